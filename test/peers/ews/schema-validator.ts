import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateXML, type XMLFileInfo } from 'xmllint-wasm';

export interface ValidationOutcome {
  readonly valid: boolean;
  readonly errors: string[];
}

export interface ValidatorStats {
  documents: number;
  batches: number;
  totalMs: number;
  maxBatchMs: number;
  maxBatchSize: number;
}

interface Pending {
  readonly fileName: string;
  readonly contents: string;
  readonly resolve: (outcome: ValidationOutcome) => void;
}

const SCHEMA_FILES = ['xml.xsd', 'soap-envelope-strict.xsd', 'types.xsd', 'messages.xsd'] as const;
const MAX_BATCH_DOCS = 400;
const MAX_BATCH_BYTES = 96 * 1024 * 1024;
const WASM_PAGE = 65536;
/**
 * xmllint-wasm's promise settles only on a message or an 'error' from its worker: a worker that exits or wedges
 * without either (an aborted wasm run) leaves it pending forever, and in strict mode the peer would then never
 * answer the request. Past this, the batch gets a verdict of failure instead: loud, never a hang.
 */
const DEFAULT_DEADLINE_MS = 60_000;

type RunXmllint = typeof validateXML;

export interface SchemaValidatorOptions {
  /** How long one xmllint run may take before its documents are failed (default 60 s). */
  readonly deadlineMs?: number;
  /** The xmllint call (tests put a stuck one here). */
  readonly run?: RunXmllint;
}

/**
 * xmllint-wasm compiles the 600 KB EWS schema on every call (~350 ms; the document itself costs ~1 ms) and offers
 * no way to keep the compiled schema. So documents are validated in micro-batches: one xmllint run (in its own
 * worker thread) checks every request that arrived while the previous run was busy, which spreads the compile
 * over the batch. Only one run at a time: the machine has 2 cores shared with the code under test.
 */
export class SchemaValidator {
  readonly stats: ValidatorStats = { documents: 0, batches: 0, totalMs: 0, maxBatchMs: 0, maxBatchSize: 0 };
  private readonly schema: XMLFileInfo;
  private readonly preload: XMLFileInfo[];
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;
  private scheduled = false;
  private seq = 0;
  private idleWaiters: (() => void)[] = [];

  private readonly deadlineMs: number;
  private readonly run: RunXmllint;

  constructor(schemaDir: string, options: SchemaValidatorOptions = {}) {
    this.deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.run = options.run ?? validateXML;
    const read = (name: string): XMLFileInfo => ({ fileName: name, contents: readFileSync(path.join(schemaDir, name), 'utf8') });
    this.schema = read('ews-request.xsd');
    this.preload = SCHEMA_FILES.map(read);
  }

  validate(xml: string): Promise<ValidationOutcome> {
    return new Promise((resolve) => {
      this.queue.push({ fileName: `request-${++this.seq}.xml`, contents: xml, resolve });
      this.schedule();
    });
  }

  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  get pendingBytes(): number {
    return this.queue.reduce((n, p) => n + p.contents.length, 0);
  }

  /** Resolves when everything queued so far has been validated. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && !this.running && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    // Let requests arriving in the same tick join the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.startBatch();
    });
  }

  private startBatch(): void {
    if (this.running) return;
    if (this.queue.length === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
      return;
    }
    const batch: Pending[] = [];
    let bytes = 0;
    while (this.queue.length > 0 && batch.length < MAX_BATCH_DOCS) {
      const next = this.queue[0]!;
      if (batch.length > 0 && bytes + next.contents.length > MAX_BATCH_BYTES) break;
      batch.push(next);
      bytes += next.contents.length;
      this.queue.shift();
    }
    this.running = this.runBatch(batch).finally(() => {
      this.running = null;
      this.startBatch();
    });
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    const started = performance.now();
    const largest = batch.reduce((n, p) => Math.max(n, Buffer.byteLength(p.contents)), 0);
    // Schema compile needs ~30 MB; one document in libxml2 costs a few times its size.
    const maxMemoryPages = Math.min(65536, 1024 + Math.ceil((largest * 4) / WASM_PAGE));
    let stderr: string;
    let timer: NodeJS.Timeout | undefined;
    try {
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`xmllint gave no verdict within ${Math.round(this.deadlineMs / 1000)} s (its worker is stuck or died silently)`)), this.deadlineMs);
      });
      const result = await Promise.race([
        this.run({
          xml: batch.map((p) => ({ fileName: p.fileName, contents: p.contents })),
          schema: this.schema,
          preload: this.preload,
          maxMemoryPages,
        }),
        deadline,
      ]);
      stderr = result.rawOutput;
    } catch (error) {
      // Non-validation exit codes (e.g. a body that is not well-formed XML) still print per-file lines.
      stderr = error instanceof Error ? error.message : String(error);
    } finally {
      clearTimeout(timer);
    }
    const ms = performance.now() - started;
    this.stats.batches += 1;
    this.stats.documents += batch.length;
    this.stats.totalMs += ms;
    this.stats.maxBatchMs = Math.max(this.stats.maxBatchMs, ms);
    this.stats.maxBatchSize = Math.max(this.stats.maxBatchSize, batch.length);
    const lines = stderr.split('\n');
    for (const p of batch) {
      const mine = lines.filter((l) => l.startsWith(`${p.fileName}:`) || l.startsWith(`${p.fileName} `));
      const valid = mine.some((l) => l === `${p.fileName} validates`);
      const errors = valid
        ? []
        : mine.filter((l) => l !== `${p.fileName} fails to validate`).map((l) => l.slice(p.fileName.length + 1).trim());
      if (!valid && errors.length === 0) errors.push(stderr.trim().slice(0, 500) || 'xmllint gave no verdict');
      p.resolve({ valid, errors });
    }
  }
}
