import { utilityProcess, type UtilityProcess } from 'electron';

import { CloudwardError, isErrorCode, type IpcResult } from '../contract/index.js';

/**
 * Messages to and from electron/cli/utility-entry.ts. Main may not import that room, so the shapes
 * are repeated there; both sides check `type` before trusting a message.
 */
interface EngineRequestMessage {
  type: 'request';
  id: number;
  command: string;
  request: unknown;
}
type EngineMessage =
  | { type: 'reply'; id: number; result: IpcResult<unknown> }
  | { type: 'event'; event: unknown };

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Runs the engine (SQLite, protocols, long jobs) in an Electron utility process, so the window's
 * main process never blocks on it. The process starts on first use and again after it dies.
 */
export class EngineHost {
  private child: UtilityProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly entry: string,
    private readonly onEvent: (event: unknown) => void,
    private readonly timeoutMs = 60_000,
  ) {}

  request(command: string, request: unknown): Promise<unknown> {
    const child = this.ensureChild();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CloudwardError('TIMEOUT', `The engine did not answer ${command} within ${this.timeoutMs / 1000} s.`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      const message: EngineRequestMessage = { type: 'request', id, command, request };
      child.postMessage(message);
    });
  }

  stop(): void {
    this.child?.kill();
    this.child = undefined;
  }

  private ensureChild(): UtilityProcess {
    if (this.child !== undefined) return this.child;
    const child = utilityProcess.fork(this.entry, [], { serviceName: 'Cloudward engine', stdio: 'inherit' });
    child.on('message', (message: EngineMessage) => this.receive(message));
    child.on('exit', (code) => {
      if (this.child === child) this.child = undefined;
      this.failAll(new CloudwardError('INTERNAL', `The engine process stopped (exit code ${code}).`));
    });
    this.child = child;
    return child;
  }

  private receive(message: EngineMessage): void {
    if (message?.type === 'event') {
      this.onEvent(message.event);
      return;
    }
    if (message?.type !== 'reply') return;
    const pending = this.pending.get(message.id);
    if (pending === undefined) return;
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    const { result } = message;
    if (result.ok) pending.resolve(result.value);
    else pending.reject(new CloudwardError(isErrorCode(result.error.code) ? result.error.code : 'INTERNAL', result.error.message));
  }

  private failAll(error: Error): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.pending.delete(id);
    }
  }
}
