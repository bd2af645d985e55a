import type { AutocompleteEntry } from '../../contract/index.js';
import { type AutocompleteFile, type AutocompleteProperty, type AutocompleteRow, Tag } from './stream-format.js';
import { decodeBoolean, decodeLong, decodeString, encodeAnsi, encodeUnicode, findProperty, fixedHeader, withLong } from './row-values.js';

/** One autocomplete row as a person reads it. */
export interface AutocompleteRecord {
  /** PR_NICK_NAME_W: the row's key, usually the address typed. */
  readonly nickname: string;
  readonly displayName?: string;
  /** PR_EMAIL_ADDRESS: SMTP, or an Exchange X.500 DN for EX rows. */
  readonly emailAddress?: string;
  /** PR_ADDRTYPE: SMTP, EX, … */
  readonly addressType?: string;
  /** PR_SMTP_ADDRESS, when the row has one. */
  readonly smtpAddress?: string;
  readonly dropdownDisplayName?: string;
  readonly weight?: number;
  readonly isNew?: boolean;
  readonly propertyCount: number;
}

export function rowRecord(row: AutocompleteRow): AutocompleteRecord {
  const string = (...tags: number[]): string | undefined => {
    for (const tag of tags) {
      const value = decodeString(findProperty(row, tag));
      if (value !== undefined && value !== '') return value;
    }
    return undefined;
  };
  const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));
  return {
    nickname: string(Tag.NICK_NAME_W) ?? '',
    ...optional('displayName', string(Tag.RECIPIENT_DISPLAY_NAME_W, Tag.DISPLAY_NAME_W, Tag.DISPLAY_NAME_A)),
    ...optional('emailAddress', string(Tag.EMAIL_ADDRESS_W, Tag.EMAIL_ADDRESS_A)),
    ...optional('addressType', string(Tag.ADDRTYPE_W)),
    ...optional('smtpAddress', string(Tag.SMTP_ADDRESS_W, Tag.SMTP_ADDRESS_A)),
    ...optional('dropdownDisplayName', string(Tag.DROPDOWN_DISPLAY_NAME_W)),
    ...optional('weight', decodeLong(findProperty(row, Tag.NICK_NAME_WEIGHT))),
    ...optional('isNew', decodeBoolean(findProperty(row, Tag.NEW_NICK_NAME))),
    propertyCount: row.properties.length,
  };
}

export function isX500(address: string | undefined): boolean {
  return address !== undefined && /^\/o=/i.test(address.trim());
}

function looksLikeSmtp(address: string | undefined): address is string {
  return address !== undefined && /^[^\s@/]+@[^\s@]+$/.test(address.trim());
}

/** A row resolved to what a new tenant can use. */
export interface ResolvedEntry extends AutocompleteEntry {
  /** The Exchange X.500 DN the row held, when it held one. */
  readonly x500?: string;
  /** Only an X.500 address and no SMTP address found for it in the same data. */
  readonly unresolved: boolean;
  /** The X.500 address was rewritten to SMTP from elsewhere in the data. */
  readonly rewritten: boolean;
  /** Index of the row in its file. */
  readonly row: number;
}

/**
 * The SMTP address of each row. An entry holding only an Exchange X.500 address is rewritten when the
 * same data knows that DN's SMTP address (another row with both, e.g. an EX row that also has
 * PR_SMTP_ADDRESS); otherwise it is kept and flagged `unresolved`.
 */
export function resolveEntries(rows: readonly AutocompleteRow[]): ResolvedEntry[] {
  const records = rows.map(rowRecord);
  const known = new Map<string, string>();
  for (const record of records) {
    const smtp = directSmtp(record);
    for (const dn of [record.emailAddress, record.nickname]) if (smtp && isX500(dn)) known.set(dn!.trim().toLowerCase(), smtp);
  }
  return records.map((record, row) => {
    const direct = directSmtp(record);
    const dn = [record.emailAddress, record.nickname].find(isX500)?.trim();
    const looked = direct ?? (dn ? known.get(dn.toLowerCase()) : undefined);
    const address = looked ?? dn ?? record.emailAddress ?? record.nickname;
    const displayName = record.displayName ?? record.dropdownDisplayName;
    return {
      address,
      ...(displayName && displayName !== address ? { displayName } : {}),
      ...(record.weight === undefined ? {} : { weight: record.weight }),
      ...(dn ? { x500: dn } : {}),
      unresolved: looked === undefined && dn !== undefined,
      rewritten: direct === undefined && looked !== undefined,
      row,
    };
  });
}

function directSmtp(record: AutocompleteRecord): string | undefined {
  if (looksLikeSmtp(record.smtpAddress)) return record.smtpAddress.trim();
  if ((record.addressType ?? 'SMTP').toUpperCase() === 'SMTP' && looksLikeSmtp(record.emailAddress)) return record.emailAddress.trim();
  if (looksLikeSmtp(record.nickname)) return record.nickname.trim();
  return undefined;
}

const ONE_OFF_PROVIDER = Uint8Array.from([0x81, 0x2b, 0x1f, 0xa4, 0xbe, 0xa3, 0x10, 0x19, 0x9d, 0x6e, 0x00, 0xdd, 0x01, 0x0f, 0x54, 0x02]);

/** MS-OXCDATA 2.2.5.1 one-off EntryID, Unicode, flags 0x9001 as Outlook writes them (both fixtures). */
function oneOffEntryId(displayName: string, address: string): Uint8Array {
  const parts = [encodeUnicode(displayName), encodeUnicode('SMTP'), encodeUnicode(address)];
  const out = new Uint8Array(4 + 16 + 4 + parts.reduce((sum, part) => sum + part.length, 0));
  out.set(ONE_OFF_PROVIDER, 4);
  out[22] = 0x01;
  out[23] = 0x90;
  let offset = 24;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const text = (tag: number, value: string): AutocompleteProperty => ({ tag, header: new Uint8Array(12), value: encodeUnicode(value) });

/** A row for an SMTP recipient, with the properties Outlook writes for one (see the .dat fixture). */
export function buildRow(entry: AutocompleteEntry): AutocompleteRow {
  const address = entry.address.trim();
  const name = entry.displayName?.trim() || address;
  const weight = Math.max(1, Math.min(0x7fffffff, Math.round(entry.weight ?? 1)));
  return {
    properties: [
      text(Tag.NICK_NAME_W, address),
      text(Tag.DISPLAY_NAME_W, name),
      text(Tag.EMAIL_ADDRESS_W, address),
      text(Tag.ADDRTYPE_W, 'SMTP'),
      text(Tag.SMTP_ADDRESS_W, address),
      { tag: Tag.ENTRYID, header: new Uint8Array(12), value: oneOffEntryId(name, address) },
      { tag: Tag.SEARCH_KEY, header: new Uint8Array(12), value: encodeAnsi(`SMTP:${address.toUpperCase()}`) },
      { tag: Tag.OBJECT_TYPE, header: fixedHeader(6) },
      { tag: Tag.DISPLAY_TYPE, header: fixedHeader(0) },
      { tag: Tag.NEW_NICK_NAME, header: fixedHeader(0) },
      text(Tag.DROPDOWN_DISPLAY_NAME_W, name === address ? address : `${name} (${address})`),
      { tag: Tag.NICK_NAME_WEIGHT, header: fixedHeader(weight) },
    ],
  };
}

export function rowWeight(row: AutocompleteRow): number {
  return decodeLong(findProperty(row, Tag.NICK_NAME_WEIGHT)) ?? 0;
}

export function setRowWeight(row: AutocompleteRow, weight: number): AutocompleteRow {
  const index = row.properties.findIndex((property) => property.tag === Tag.NICK_NAME_WEIGHT);
  if (index === -1) return { properties: [...row.properties, { tag: Tag.NICK_NAME_WEIGHT, header: fixedHeader(weight) }] };
  const properties = [...row.properties];
  properties[index] = withLong(properties[index]!, weight);
  return { properties };
}

export function fileEntries(file: AutocompleteFile): ResolvedEntry[] {
  return resolveEntries(file.rows);
}
