/**
 * Runs one read at a time, and never throws a read in flight away: a trigger during a read asks for exactly one
 * more read after it. Cancelling the older read on every trigger instead starves a view whose reads take longer
 * than triggers take to arrive (a busy engine streaming progress): CI once saw a wizard with no count after a reload.
 */
export class SingleFlight {
  private running = false;
  private again = false;

  /** `read` reports its own failures; one that throws anyway does not stop later reads. */
  constructor(private readonly read: () => Promise<void>) {}

  trigger(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.read().catch(() => undefined);
    } while (this.again);
    this.running = false;
  }
}
