import libmime from 'libmime';

/** A small MIME reader for tests: enough to see a message's parts, their names and decoded sizes. */
export interface MimePart {
  headers: Map<string, string>;
  contentType: string;
  params: Record<string, string>;
  filename?: string;
  body: Buffer;
  children: MimePart[];
}

function splitHead(raw: Buffer): { head: string; body: Buffer } {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return { head: raw.toString('latin1'), body: Buffer.alloc(0) };
  return { head: raw.subarray(0, end).toString('latin1'), body: raw.subarray(end + 4) };
}

export function parseMime(raw: Buffer): MimePart {
  const { head, body } = splitHead(raw);
  const headers = new Map<string, string>();
  for (const field of head.split(/\r\n(?![ \t])/)) {
    const colon = field.indexOf(':');
    if (colon <= 0) continue;
    const name = field.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, field.slice(colon + 1).replace(/\r\n[ \t]/g, ' ').trim());
  }
  const type = libmime.parseHeaderValue(headers.get('content-type') ?? 'text/plain');
  const disposition = libmime.parseHeaderValue(headers.get('content-disposition') ?? '');
  const contentType = type.value.toLowerCase();
  const part: MimePart = { headers, contentType, params: type.params, body: Buffer.alloc(0), children: [] };
  const rawName = disposition.params.filename ?? type.params.name;
  if (rawName) part.filename = libmime.decodeWords(rawName);
  if (contentType.startsWith('multipart/') && type.params.boundary) {
    const delimiter = Buffer.from(`--${type.params.boundary}`);
    let at = body.indexOf(delimiter);
    while (at >= 0) {
      const start = body.indexOf('\r\n', at) + 2;
      const next = body.indexOf(delimiter, start);
      if (next < 0 || body.subarray(at + delimiter.length, at + delimiter.length + 2).toString() === '--') break;
      part.children.push(parseMime(body.subarray(start, next - 2)));
      at = next;
    }
    return part;
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (encoding === 'base64') part.body = Buffer.from(body.toString('latin1').replace(/\s+/g, ''), 'base64');
  else if (encoding === 'quoted-printable') part.body = decodeQuotedPrintable(body.toString('latin1'));
  else part.body = body;
  return part;
}

function decodeQuotedPrintable(text: string): Buffer {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(joined.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

export function leaves(part: MimePart): MimePart[] {
  return part.children.length === 0 ? [part] : part.children.flatMap(leaves);
}

export function headerText(part: MimePart, name: string): string | undefined {
  const value = part.headers.get(name);
  return value === undefined ? undefined : libmime.decodeWords(value);
}
