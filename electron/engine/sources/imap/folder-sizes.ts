/**
 * What the plan preview asks each folder's STATUS for: its messages and, by RFC 8438 (STATUS=SIZE, part of
 * IMAP4rev2; Dovecot 2.3 has it), its size in octets. imapflow leaves SIZE out of the request where the
 * server does not advertise it; then the size stays unknown: the preview never fetches to count bytes.
 * Only the preview asks: a job's own folder listing does not make the server sum every folder's sizes.
 */
export const previewStatusQuery = { messages: true, size: true } as const;

/** A folder's bytes from its STATUS: 0, which the preview shows as "size unknown", where the server did not say. */
export function statusBytes(status: { messages?: number; size?: number } | undefined): number {
  const size = status?.size;
  return typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : 0;
}
