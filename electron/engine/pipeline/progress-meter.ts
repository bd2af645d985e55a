/** Rate over a recent window, so the ETA follows the current speed rather than the whole run's average. */
export class RateMeter {
  private readonly samples: { at: number; items: number; bytes: number }[] = [];

  constructor(private readonly windowMs = 10_000) {}

  add(at: number, items: number, bytes: number): void {
    this.samples.push({ at, items, bytes });
    while (this.samples.length > 2 && (this.samples[0]?.at ?? at) < at - this.windowMs) this.samples.shift();
  }

  rates(now: number): { itemsPerSecond: number; bytesPerSecond: number } {
    const first = this.samples[0];
    if (!first) return { itemsPerSecond: 0, bytesPerSecond: 0 };
    const seconds = Math.max(0.25, (now - first.at) / 1000);
    let items = 0;
    let bytes = 0;
    for (const sample of this.samples) {
      items += sample.items;
      bytes += sample.bytes;
    }
    return { itemsPerSecond: items / seconds, bytesPerSecond: bytes / seconds };
  }
}

/** Lets at most one call through per interval; the last suppressed call is delivered at the end of it. */
export class Throttle {
  private last = -Infinity;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly emit: () => void,
  ) {}

  request(): void {
    const now = performance.now();
    if (now - this.last >= this.intervalMs) {
      this.fire();
      return;
    }
    this.timer ??= setTimeout(() => this.fire(), this.intervalMs - (now - this.last));
  }

  /** Delivers a pending emission (end of a job) once its interval is up: the limit holds to the last event. */
  async flush(): Promise<void> {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const wait = this.intervalMs - (performance.now() - this.last);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.fire();
  }

  private fire(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.emit();
    // Counted from when the listener had it, not from when we began building it: a slow emission (a
    // busy machine, a large job) must not let the next one follow closer than the interval.
    this.last = performance.now();
  }
}
