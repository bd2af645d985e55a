import libmime from 'libmime';
import addressparser from 'nodemailer/lib/addressparser/index.js';

/**
 * Exchange does not keep the MIME it was given: CreateItem converts it to MAPI properties, and GetItem's
 * MimeContent is generated again from them (EWSDOC:how-to-import-items-by-using-ews-in-exchange, "test your
 * MIME content to see how the Exchange MIME parser handles it"; EWSDOC:exporting-and-importing-items-by-using-ews-in-exchange:
 * MIME export is a conversion, not the original stream). What a client sees change, reproduced here:
 * - Date in UTC (`+0000`), day without leading zero;
 * - Subject and display names re-encoded as UTF-8 base64 encoded words when not plain ASCII;
 * - address lists re-quoted as `"Name" <addr>`;
 * - folded header lines unfolded.
 * The body bytes are kept.
 */
export function rerenderMime(mime: Buffer): Buffer {
  const text = mime.toString('latin1');
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return mime;
  const head = text.slice(0, match.index).replace(/\r?\n[ \t]+/g, ' ');
  const body = mime.subarray(match.index + match[0].length);
  const lines = head.split(/\r?\n/).map((line) => {
    const colon = line.indexOf(':');
    if (colon <= 0) return line;
    const name = line.slice(0, colon);
    const raw = line.slice(colon + 1).trim();
    const value = Buffer.from(raw, 'latin1').toString('utf8');
    switch (name.toLowerCase()) {
      case 'date': {
        const at = new Date(raw);
        return Number.isFinite(at.getTime()) ? `${name}: ${utcDate(at)}` : line;
      }
      case 'subject':
        return `${name}: ${encoded(libmime.decodeWords(value))}`;
      case 'from':
      case 'to':
      case 'cc':
      case 'reply-to':
        return `${name}: ${addressparser(libmime.decodeWords(value), { flatten: true })
          .map((a) => (a.name ? `${/^[\x20-\x7e]*$/.test(a.name) ? `"${a.name.replace(/"/g, '')}"` : encoded(a.name)} <${a.address}>` : `<${a.address}>`))
          .join(', ')}`;
      default:
        return line;
    }
  });
  return Buffer.concat([Buffer.from(Buffer.from(lines.join('\r\n'), 'utf8').toString('latin1'), 'latin1'), Buffer.from('\r\n\r\n'), body]);
}

function encoded(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : libmime.encodeWord(value, 'B');
}

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function utcDate(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[at.getUTCDay()]}, ${at.getUTCDate()} ${months[at.getUTCMonth()]} ${at.getUTCFullYear()} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} +0000`;
}
