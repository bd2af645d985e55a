/** Pause and resume: work awaits `wait()` at safe points (between items, before sending). */
export class Gate {
  private release: (() => void) | undefined;
  private closed: Promise<void> | undefined;

  get paused(): boolean {
    return this.closed !== undefined;
  }

  pause(): void {
    this.closed ??= new Promise<void>((resolve) => {
      this.release = resolve;
    });
  }

  resume(): void {
    this.release?.();
    this.release = undefined;
    this.closed = undefined;
  }

  async wait(signal?: AbortSignal): Promise<void> {
    while (this.closed) {
      signal?.throwIfAborted();
      const closed = this.closed;
      if (!signal) {
        await closed;
        continue;
      }
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        void closed.then(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
  }
}
