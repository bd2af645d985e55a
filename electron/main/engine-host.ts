import { utilityProcess, type UtilityProcess } from 'electron';

import {
  envelopeVersion,
  eventEnvelopeSchema,
  parseEvent,
  replyEnvelopeSchema,
  type RequestEnvelope,
  type ServiceEvent,
  type ServiceResult,
} from '../contract/index.js';

interface Pending {
  resolve: (result: ServiceResult) => void;
  timer: NodeJS.Timeout;
}

function failure(code: 'TIMEOUT' | 'INTERNAL', message: string): ServiceResult {
  return { ok: false, error: { code, message, retryable: code === 'TIMEOUT' } };
}

/**
 * Runs the engine (SQLite, protocols, long jobs) in an Electron utility process
 * (electron/cli/utility-entry.ts), so the window's main process never blocks on it. Both directions
 * carry the contract's envelopes; a message that is not one is dropped. The process starts on first
 * use and again after it dies. Never rejects: every outcome is a ServiceResult.
 */
export class EngineHost {
  private child: UtilityProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly entry: string,
    private readonly onEvent: (event: ServiceEvent) => void,
    // A plan reads whole PSTs and IMAP folder lists: minutes are legitimate, hours are not.
    private readonly timeoutMs = 15 * 60_000,
  ) {}

  request(command: string, payload: unknown): Promise<ServiceResult> {
    const child = this.ensureChild();
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(failure('TIMEOUT', `The engine did not answer ${command} within ${Math.round(this.timeoutMs / 1000)} s.`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, timer });
      const envelope: RequestEnvelope = { v: envelopeVersion, kind: 'request', id, command, payload };
      child.postMessage(envelope);
    });
  }

  /** Starts the engine now, so its events (jobs still running, open prompts) reach the window early. */
  start(): void {
    this.ensureChild();
  }

  stop(): void {
    this.child?.kill();
    this.child = undefined;
  }

  private ensureChild(): UtilityProcess {
    if (this.child !== undefined) return this.child;
    const child = utilityProcess.fork(this.entry, [], { serviceName: 'Cloudward engine', stdio: 'inherit' });
    child.on('message', (message: unknown) => this.receive(message));
    child.on('exit', (code) => {
      if (this.child === child) this.child = undefined;
      this.failAll(`The engine process stopped (exit code ${code}).`);
    });
    this.child = child;
    return child;
  }

  private receive(message: unknown): void {
    const event = eventEnvelopeSchema.safeParse(message);
    if (event.success) {
      try {
        this.onEvent(parseEvent(event.data.event));
      } catch {
        // An event outside the contract never reaches the window.
      }
      return;
    }
    const reply = replyEnvelopeSchema.safeParse(message);
    if (!reply.success) return;
    const pending = this.pending.get(reply.data.id);
    if (pending === undefined) return;
    this.pending.delete(reply.data.id);
    clearTimeout(pending.timer);
    pending.resolve(reply.data.result);
  }

  private failAll(message: string): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.resolve(failure('INTERNAL', message));
      this.pending.delete(id);
    }
  }
}
