/**
 * vNext (Microsoft 365 "NUL") licences: `%LOCALAPPDATA%\Microsoft\Office\Licenses\<n>\*` (user) and
 * `%PROGRAMDATA%\Microsoft\Office\Licenses` (device). Each file is UTF-16 JSON whose `License` field is
 * base64 of a JSON licence with LicenseId, ProductReleaseId, LicenseType and Metadata {UserId,
 * TenantId, NotBefore, NotAfter} (as Microsoft's vNextDiag.ps1 decodes it). Also reads vNextDiag's
 * own `-action list` output, which a capture may carry instead of the files.
 */
export interface DecodedLicense {
  licenseId?: string;
  product?: string;
  licenseType?: string;
  userId?: string;
  tenantId?: string;
  email?: string;
  notBefore?: string;
  notAfter?: string;
  licenseState?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function decodeText(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  if (bytes.length >= 2 && bytes[1] === 0) return bytes.toString('utf16le');
  return bytes.toString('utf8');
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Decodes one licence file; throws an Error saying what is wrong (the caller records it per file). */
export function decodeLicenseFile(bytes: Buffer): DecodedLicense {
  if (bytes.length > 4 * 1024 * 1024) throw new Error('larger than any licence file (4 MB)');
  let outer: unknown;
  try {
    outer = JSON.parse(decodeText(bytes).replace(/^\uFEFF/, ''));
  } catch {
    throw new Error('not JSON');
  }
  const encoded = text(record(outer)['License']);
  if (encoded === undefined) throw new Error('no License field');
  if (!/^[A-Za-z0-9+/=\s_-]+$/.test(encoded)) throw new Error('License is not base64');
  let inner: unknown;
  try {
    inner = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    throw new Error('License does not decode to JSON');
  }
  const licence = record(inner);
  const metadata = record(licence['Metadata'] ?? licence['MetaData']);
  return withoutUndefined({
    licenseId: text(licence['LicenseId']),
    product: text(licence['ProductReleaseId']),
    licenseType: text(licence['LicenseType']),
    userId: text(metadata['UserId']),
    tenantId: text(metadata['TenantId']),
    notBefore: text(metadata['NotBefore']),
    notAfter: text(metadata['NotAfter']),
  });
}

export interface VnextDiagList {
  modes: { productReleaseId: string; mode: string }[];
  licenses: (DecodedLicense & { scope: 'user' | 'device' })[];
}

/**
 * vNextDiag.ps1 `-action list`: "==== Mode per ProductReleaseId ====" lines `prid = mode`, then one
 * JSON object per licence under "==== vNext|NUL licenses found ====" and "==== Device licenses found ====".
 */
export function parseVnextDiagList(output: string): VnextDiagList {
  const result: VnextDiagList = { modes: [], licenses: [] };
  let section = '';
  let buffer: string[] | undefined;
  for (const raw of output.split(/\r?\n/)) {
    const line = raw.trim();
    const heading = /^=+\s*(.*?)\s*=+$/.exec(line);
    if (heading) {
      section = (heading[1] ?? '').toLowerCase();
      buffer = undefined;
      continue;
    }
    if (section.startsWith('mode per')) {
      const mode = /^(\S+)\s*=\s*(\S+)$/.exec(line);
      if (mode) result.modes.push({ productReleaseId: mode[1] ?? '', mode: mode[2] ?? '' });
      continue;
    }
    if (!section.includes('licenses found')) continue;
    if (line === '{') buffer = [];
    if (buffer === undefined) continue;
    buffer.push(raw);
    if (line !== '}') continue;
    let parsed: Record<string, unknown>;
    try {
      parsed = record(JSON.parse(buffer.join('\n')));
    } catch {
      buffer = undefined;
      continue;
    }
    buffer = undefined;
    result.licenses.push(
      withoutUndefined({
        scope: section.startsWith('device') ? ('device' as const) : ('user' as const),
        licenseId: text(parsed['LicenseId']),
        product: text(parsed['Product']),
        licenseType: text(parsed['Type'])?.split('|')[1],
        email: text(parsed['Email']),
        tenantId: text(parsed['TenantId']),
        notBefore: text(parsed['NotBefore']),
        notAfter: text(parsed['NotAfter']),
        licenseState: text(parsed['LicenseState']),
      }),
    );
  }
  return result;
}
