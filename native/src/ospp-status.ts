/**
 * Parses what `cscript ospp.vbs /dstatus` prints (Office volume licensing status) into one record
 * per licence. Also reads the same "KEY: value" blocks of `/act`. Pure: tested on recorded output.
 */
export interface OfficeLicense {
  productId?: string;
  skuId?: string;
  /** e.g. "Office 16, Office16O365ProPlusR_Subscription1 edition". */
  licenseName: string;
  licenseDescription?: string;
  /** Without the dashes, upper case: LICENSED, OOB_GRACE, OOT_GRACE, NOTIFICATIONS, UNLICENSED, ... */
  status?: string;
  errorCode?: string;
  errorDescription?: string;
  remainingGrace?: { days: number; minutes: number };
  /** The only part of the key ospp ever shows. */
  lastFiveOfKey?: string;
}

const separator = /^-{10,}$/;
const fieldLine = /^([A-Za-z][A-Za-z0-9 ]*?)\s*:\s?(.*)$/;
const knownFields = new Set([
  'PRODUCT ID',
  'SKU ID',
  'LICENSE NAME',
  'LICENSE DESCRIPTION',
  'BETA EXPIRATION',
  'LICENSE STATUS',
  'ERROR CODE',
  'ERROR DESCRIPTION',
  'REMAINING GRACE',
  'LAST 5 CHARACTERS OF INSTALLED PRODUCT KEY',
]);

function parseGrace(text: string): OfficeLicense['remainingGrace'] {
  const match = /^(\d+)\s+days?\s+\((\d+)\s+minute/i.exec(text);
  return match ? { days: Number(match[1]), minutes: Number(match[2]) } : undefined;
}

/** "---OOB_ GRACE---" → "OOB_GRACE": statuses never hold spaces; copied console text sometimes does. */
function normalizeStatus(text: string): string {
  return text.replace(/^-+|-+$/g, '').replace(/\s+/g, '').toUpperCase();
}

function recordFrom(fields: Map<string, string>): OfficeLicense | undefined {
  const licenseName = fields.get('LICENSE NAME');
  if (licenseName === undefined || licenseName === '') return undefined;
  const record: OfficeLicense = { licenseName };
  const set = <K extends keyof OfficeLicense>(key: K, value: OfficeLicense[K] | undefined): void => {
    if (value !== undefined && value !== '') record[key] = value;
  };
  set('productId', fields.get('PRODUCT ID'));
  set('skuId', fields.get('SKU ID'));
  set('licenseDescription', fields.get('LICENSE DESCRIPTION'));
  const status = fields.get('LICENSE STATUS');
  set('status', status === undefined ? undefined : normalizeStatus(status));
  set('errorCode', fields.get('ERROR CODE')?.split(/\s/)[0]);
  set('errorDescription', fields.get('ERROR DESCRIPTION'));
  const grace = fields.get('REMAINING GRACE');
  set('remainingGrace', grace === undefined ? undefined : parseGrace(grace));
  const key = fields.get('LAST 5 CHARACTERS OF INSTALLED PRODUCT KEY');
  set('lastFiveOfKey', key !== undefined && /^[A-Z0-9]{5}$/i.test(key) ? key.toUpperCase() : undefined);
  return record;
}

export function parseOsppStatus(output: string): OfficeLicense[] {
  const records: OfficeLicense[] = [];
  let fields = new Map<string, string>();
  const flush = (): void => {
    const record = recordFrom(fields);
    if (record !== undefined) records.push(record);
    fields = new Map();
  };
  for (const raw of output.split(/\r?\n/)) {
    const line = raw.trim();
    if (separator.test(line)) {
      flush();
      continue;
    }
    const match = fieldLine.exec(line);
    if (match === null) continue;
    const name = (match[1] ?? '').toUpperCase();
    if (!knownFields.has(name)) continue;
    // A field seen twice means a new licence began without a separator line (cut or merged output).
    if (fields.has(name)) flush();
    fields.set(name, (match[2] ?? '').trim());
  }
  flush();
  return records;
}
