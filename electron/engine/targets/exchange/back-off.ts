/** Server back-off hints, the same for EWS and Graph: the server knows its load better than our guess. */

/** Retry-After is delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** EWS `<t:Value Name="BackOffMilliseconds">` text (EWSDOC:ews-throttling-in-exchange); nonsense gives undefined. */
export function backOffMilliseconds(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined || text.trim() === '') return undefined;
  const ms = Number(text);
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms) : undefined;
}
