import { simpleParser, type AddressObject } from 'mailparser';

/**
 * What a person would check on a migrated message, as values rather than header strings. Exchange
 * keeps no MIME: a read-back (EWS GetItem MimeContent, Graph JSON) is rebuilt from properties, so
 * Date comes back in UTC, encoded words are re-encoded, address quoting changes (issue 9 point 3).
 * Both targets turn their read-back into these facts and compare with compareMailFacts.
 */
export interface MailFacts {
  /** The Date header as an instant. */
  date?: Date | undefined;
  /** Decoded subject. */
  subject?: string | undefined;
  /** Bare addresses, lower-case. */
  from: string[];
  to: string[];
  cc: string[];
  /** Body as plain text (from text/plain, else derived from HTML). */
  text?: string | undefined;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: string[] = [];
  const walk = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.address) out.push(entry.address.toLowerCase());
      if (entry.group) walk(entry.group);
    }
  };
  for (const object of list) walk(object.value);
  return out;
}

/**
 * Facts of a MIME message. A message mailparser cannot read gives empty facts, never a throw.
 * `preferHtml`: the body text comes from the HTML part when there is one (Graph keeps only that part).
 */
export async function mimeFacts(mime: Uint8Array, options: { preferHtml?: boolean } = {}): Promise<MailFacts> {
  try {
    const parsed = await simpleParser(Buffer.from(mime.buffer, mime.byteOffset, mime.byteLength), { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
    const hasDate = parsed.headers.has('date') && parsed.date !== undefined && Number.isFinite(parsed.date.getTime());
    return {
      date: hasDate ? parsed.date : undefined,
      subject: parsed.subject,
      from: addresses(parsed.from),
      to: addresses(parsed.to),
      cc: addresses(parsed.cc),
      text: options.preferHtml === true && typeof parsed.html === 'string' && parsed.html !== '' ? htmlText(parsed.html) : parsed.text ?? (typeof parsed.html === 'string' ? htmlText(parsed.html) : undefined),
    };
  } catch {
    return { from: [], to: [], cc: [] };
  }
}

/** Text of an HTML body, roughly: enough to compare words, not to render. */
export function htmlText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

const words = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * Differences a person would notice, as short phrases ("subject "B" instead of "A""); empty when the
 * read-back holds the same values. A value the read-back lacks is a difference only where the
 * original had one; the body compares words (whitespace and line breaks are Exchange's to change).
 */
export function compareMailFacts(expected: MailFacts, actual: MailFacts): string[] {
  const problems: string[] = [];
  if (expected.date !== undefined) {
    if (actual.date === undefined) problems.push('no Date');
    else if (Math.abs(actual.date.getTime() - expected.date.getTime()) >= 1000) problems.push(`Date ${actual.date.toISOString()} instead of ${expected.date.toISOString()}`);
  }
  if (expected.subject !== undefined && words(expected.subject) !== words(actual.subject ?? '')) {
    problems.push(`subject "${actual.subject ?? ''}" instead of "${expected.subject}"`);
  }
  for (const field of ['from', 'to', 'cc'] as const) {
    const want = [...new Set(expected[field])].sort();
    const got = [...new Set(actual[field])].sort();
    if (want.length > 0 && want.join(',') !== got.join(',')) problems.push(`${field} ${got.join(', ') || '(none)'} instead of ${want.join(', ')}`);
  }
  if (expected.text !== undefined && words(expected.text) !== '') {
    const want = words(expected.text);
    const got = words(actual.text ?? '');
    // HTML-only bodies come back converted; the first words must still be there.
    const head = want.slice(0, 200);
    if (got !== want && !got.includes(head) && !want.includes(got.slice(0, 200) || '\u0000')) problems.push('a different body text');
  }
  return problems;
}
