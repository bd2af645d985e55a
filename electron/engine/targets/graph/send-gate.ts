import { CloudwardError } from '../../../contract/index.js';

/**
 * How many items one mailbox holds mapped (parsed MIME, attachment Buffers, JSON) at once, across all
 * the pipeline's writes in flight: at most `items`, and at most `bytes` of them unless one item alone
 * is larger. FIFO, so a large item is not passed over for ever by small ones.
 */
export class SendGate {
  private heldItems = 0;
  private heldBytes = 0;
  private readonly waiting: { bytes: number; resolve: () => void }[] = [];

  constructor(
    private readonly items: number,
    private readonly bytes: number,
  ) {}

  async take(bytes: number, signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) throw new CloudwardError('CANCELLED', 'The job was cancelled');
    if (this.waiting.length > 0 || !this.fits(bytes)) {
      await new Promise<void>((resolve, reject) => {
        const entry = {
          bytes,
          resolve: () => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = (): void => {
          const index = this.waiting.indexOf(entry);
          if (index >= 0) this.waiting.splice(index, 1);
          this.wake();
          reject(new CloudwardError('CANCELLED', 'The job was cancelled'));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(entry);
      });
    } else this.hold(bytes);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.heldItems -= 1;
      this.heldBytes -= bytes;
      this.wake();
    };
  }

  private fits(bytes: number): boolean {
    return this.heldItems === 0 || (this.heldItems < this.items && this.heldBytes + bytes <= this.bytes);
  }

  private hold(bytes: number): void {
    this.heldItems += 1;
    this.heldBytes += bytes;
  }

  private wake(): void {
    for (let next = this.waiting[0]; next && this.fits(next.bytes); next = this.waiting[0]) {
      this.waiting.shift();
      this.hold(next.bytes);
      next.resolve();
    }
  }
}
