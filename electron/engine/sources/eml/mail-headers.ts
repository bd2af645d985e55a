import libmime from 'libmime';

export interface HeaderSummary {
  messageId?: string;
  date?: Date;
  /** A Date header was there but could not be read as a date. */
  badDate?: boolean;
  /** Dates of the Received headers, in header order: the first is the newest hop (the delivery). */
  received?: Date[];
  subject?: string;
}

/** A date as RFC 5322 writes it, without trailing comments ("(PDT) (envelope-from x)"); undefined when unreadable. */
function parseDate(text: string): Date | undefined {
  const date = new Date(text.replace(/(\s*\([^)]*\))+\s*$/, '').trim());
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function headerEnd(buffer: Buffer): number {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf < 0) return lf < 0 ? buffer.length : lf;
  return lf < 0 ? crlf : Math.min(crlf, lf);
}

/**
 * Message-ID, Date, Received dates and Subject from the header block (at most the first 256 KB), enough for
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
    const date = parseDate(dateText);
    if (date) summary.date = date;
    else summary.badDate = true;
  }
  // RFC 5322 3.6.7: each Received field ends with "; date-time", and each hop adds its own on top.
  const received = (headers['received'] ?? []).flatMap((field) => {
    const at = field.lastIndexOf(';');
    const date = at < 0 ? undefined : parseDate(field.slice(at + 1));
    return date ? [date] : [];
  });
  if (received.length > 0) summary.received = received;
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
