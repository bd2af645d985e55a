import type { JobEvent, ProgressFigures } from '../contract/index.js';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes.toFixed(0)} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** One line: bar, counts, rate and ETA. Without a known total the bar gives way to a running count. */
export function progressLine(figures: ProgressFigures, width: number, paused: boolean): string {
  const settled = figures.itemsDone + figures.itemsSkipped + figures.itemsFailed;
  const total = figures.itemsTotal;
  const parts: string[] = [];
  if (total !== undefined && total > 0) {
    const share = Math.min(1, settled / total);
    const barWidth = Math.max(10, Math.min(30, width - 70));
    const filled = Math.round(share * barWidth);
    parts.push(`[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${(share * 100).toFixed(0).padStart(3)}%`);
    parts.push(`${settled}/${total} items`);
  } else {
    parts.push(`${settled} items`);
  }
  parts.push(`${formatBytes(figures.bytesPerSecond)}/s`);
  parts.push(`${figures.itemsPerSecond.toFixed(0)} items/s`);
  if (figures.itemsSkipped + figures.itemsFailed > 0) parts.push(`${figures.itemsSkipped} skipped, ${figures.itemsFailed} failed`);
  parts.push(paused ? 'paused' : figures.etaSeconds !== undefined ? `ETA ${formatDuration(figures.etaSeconds)}` : 'ETA --');
  return parts.join('  ');
}

/** Draws the job's progress on a terminal (stderr), redrawing one line in place. */
export class TerminalProgress {
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  handle(event: JobEvent): void {
    if (event.type === 'progress') {
      const line = progressLine(event.totals, this.stream.columns ?? 100, event.paused).slice(0, (this.stream.columns ?? 100) - 1);
      this.stream.write(`\r\x1b[2K${line}`);
      this.drawn = true;
    } else if (event.type === 'wait' && event.reason === 'throttled') {
      this.note(`Server asked us to wait ${(event.milliseconds / 1000).toFixed(0)} s: ${event.message}`);
    } else if (event.type === 'mailbox' && event.error) {
      this.note(`${event.mailbox}: ${event.error.message}`);
    }
  }

  /** A line above the bar. */
  note(text: string): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.stream.write(`${text}\n`);
  }

  end(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
