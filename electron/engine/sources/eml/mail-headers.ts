import libmime from 'libmime';

export interface HeaderSummary {
  messageId?: string;
  date?: Date;
  subject?: string;
}

function headerEnd(buffer: Buffer): number {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf < 0) return lf < 0 ? buffer.length : lf;
  return lf < 0 ? crlf : Math.min(crlf, lf);
}

/**
 * Message-ID, Date and Subject from the header block (at most the first 256 KB), enough for
 * duplicate detection and a readable file name. Broken headers give undefined fields, never an error.
 */
export function readHeaderSummary(bytes: Uint8Array): HeaderSummary {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = Math.min(headerEnd(buffer), 256 * 1024);
  const block = buffer.subarray(0, end).toString('latin1');
  let headers: Record<string, string[]>;
  try {
    headers = libmime.decodeHeaders(block);
  } catch {
    return {};
  }
  const summary: HeaderSummary = {};
  const messageId = headers['message-id']?.[0]?.trim();
  if (messageId) summary.messageId = messageId;
  const dateText = headers['date']?.[0];
  if (dateText) {
    const date = new Date(dateText.replace(/\s*\([^)]*\)\s*$/, ''));
    if (!Number.isNaN(date.getTime())) summary.date = date;
  }
  const subject = headers['subject']?.[0];
  if (subject !== undefined) {
    // Headers were read as latin1 so that raw 8-bit UTF-8 subjects survive the round trip.
    const raw = Buffer.from(subject, 'latin1').toString('utf8');
    try {
      summary.subject = libmime.decodeWords(raw).trim();
    } catch {
      summary.subject = raw.trim();
    }
  }
  return summary;
}
