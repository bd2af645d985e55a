/**
 * Cancel must answer within a second even when the other side does not: a target stuck in a TLS
 * handshake, a PST on a USB disk that stopped answering, a server that accepts and never replies.
 * The work itself may go on in the background (and is cleaned up by close()); the pipeline stops
 * waiting for it at once, rejecting with the signal's reason.
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      work.catch(() => undefined);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

/** Closes without letting a stuck close() hold a cancelled job: after `graceMs` the pipeline moves on. */
export async function closeWithin(close: () => Promise<void>, aborted: boolean, graceMs = 250): Promise<void> {
  const closing = close().catch(() => undefined);
  if (!aborted) return closing;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closing, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
}
