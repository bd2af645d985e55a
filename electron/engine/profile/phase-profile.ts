/**
 * Where a mailbox's time went, for `cloudward migrate --profile`. Each mailbox's wall time is split by
 * what that mailbox was doing at each moment (exclusive time: one phase at a time), so the phases add
 * up to its wall time. Off by default: the pipeline only calls it through `?.`, so the cost when off is
 * one property read per step.
 */
export const phases = ['open', 'read', 'convert', 'ledger', 'write', 'wait', 'close'] as const;
export type Phase = (typeof phases)[number];

export interface MailboxProfile {
  readonly mailbox: string;
  readonly wallMs: number;
  /** Exclusive milliseconds per phase; they add up to `wallMs`. */
  readonly phaseMs: Record<Phase, number>;
  /** Target write requests and their summed duration (they overlap one another and the phases). */
  readonly writes: number;
  readonly writeBusyMs: number;
}

export class PhaseClock {
  private current: Phase = 'open';
  private since = performance.now();
  private readonly started = this.since;
  private ended: number | undefined;
  private readonly totals: Record<Phase, number> = { open: 0, read: 0, convert: 0, ledger: 0, write: 0, wait: 0, close: 0 };
  private writes = 0;
  private writeBusyMs = 0;

  constructor(readonly mailbox: string) {}

  /** Time from now on belongs to `phase`; returns the phase it replaces, so a caller can switch back. */
  enter(phase: Phase): Phase {
    const now = performance.now();
    this.totals[this.current] += now - this.since;
    this.since = now;
    const previous = this.current;
    this.current = phase;
    return previous;
  }

  /** Moves `ms` already counted in `from` to `to` (conversion measured inside a source's load). */
  move(from: Phase, to: Phase, ms: number): void {
    this.totals[from] -= ms;
    this.totals[to] += ms;
  }

  wrote(ms: number): void {
    this.writes++;
    this.writeBusyMs += ms;
  }

  end(): void {
    if (this.ended !== undefined) return;
    this.enter(this.current);
    this.ended = this.since;
  }

  snapshot(): MailboxProfile {
    const end = this.ended ?? performance.now();
    return { mailbox: this.mailbox, wallMs: end - this.started, phaseMs: { ...this.totals }, writes: this.writes, writeBusyMs: this.writeBusyMs };
  }
}

let active: PhaseClock[] | undefined;
let convertMs = 0;

/** Turns profiling on, afresh, for the mailboxes that start after this call (one job at a time). */
export function enablePhaseProfile(): void {
  active = [];
}

export function disablePhaseProfile(): void {
  active = undefined;
}

/** A clock for a mailbox starting now, or undefined when profiling is off. */
export function mailboxClock(mailbox: string): PhaseClock | undefined {
  if (!active) return undefined;
  const clock = new PhaseClock(mailbox);
  active.push(clock);
  return clock;
}

export function phaseProfiles(): MailboxProfile[] {
  return (active ?? []).map((clock) => clock.snapshot());
}

/**
 * Sources time their own conversion work (MIME building, RTF) with this; the pipeline moves the part
 * that fell inside an item's load() from read to convert. Synchronous work only, so a parallel
 * mailbox's conversion cannot land inside another's load.
 */
export function timeConvert<T>(work: () => T): T {
  if (!active) return work();
  const start = performance.now();
  try {
    return work();
  } finally {
    convertMs += performance.now() - start;
  }
}

/** Running total of conversion time, read around a load(). */
export function convertClock(): number {
  return convertMs;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** The table `--profile` prints: one line per mailbox, phases with their share of its wall time. */
export function formatPhaseProfiles(profiles: readonly MailboxProfile[]): string {
  if (profiles.length === 0) return 'Profile: no mailbox ran.\n';
  const lines = ['Profile (each mailbox\'s wall time split by what it was doing; the phases add up to it):'];
  for (const profile of profiles) {
    const parts = phases
      .filter((phase) => profile.phaseMs[phase] >= 0.5)
      .map((phase) => `${phase} ${seconds(profile.phaseMs[phase])} (${profile.wallMs > 0 ? Math.round((100 * profile.phaseMs[phase]) / profile.wallMs) : 0}%)`);
    lines.push(`  ${profile.mailbox}: wall ${seconds(profile.wallMs)} = ${parts.join(', ')}`);
    if (profile.writes > 0) {
      lines.push(`    target busy ${seconds(profile.writeBusyMs)} over ${profile.writes} write requests (overlapping)`);
    }
  }
  const slowest = profiles.reduce((worst, profile) => (profile.wallMs > worst.wallMs ? profile : worst));
  const top = phases.reduce((best, phase) => (slowest.phaseMs[phase] > slowest.phaseMs[best] ? phase : best));
  lines.push(`  Most time: ${hint[top]}`);
  return lines.join('\n') + '\n';
}

const hint: Record<Phase, string> = {
  open: 'opening the source and signing in to the target.',
  read: 'reading the source (the source side is slow: disk, network or server).',
  convert: 'converting items (MIME building, RTF, hashing): CPU-bound on this machine.',
  ledger: 'the ledger (SQLite commits): a slow disk under the ledger file.',
  write: 'the target (its requests take longer than the source needs to read).',
  wait: 'waiting for the target\'s budget or throttling (the server\'s limits, not this machine).',
  close: 'closing (finishing folders and connections).',
};
