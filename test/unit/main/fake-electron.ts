import { vi } from 'vitest';

/**
 * A stand-in for the parts of the 'electron' module that electron/main uses. The real module only
 * works inside the Electron binary, which is absent here; tests load it via
 * vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectron).
 */
type Listener = (...args: unknown[]) => unknown;

export interface FakeFrame {
  url: string;
  processId: number;
  routingId: number;
  parent: FakeFrame | null;
}

export class FakeWebContents {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly listeners = new Map<string, Listener[]>();
  readonly mainFrame: FakeFrame = { url: 'app://cloudward/index.html', processId: 7, routingId: this.id, parent: null };
  windowOpenHandler: ((details: { url: string }) => unknown) | undefined;
  destroyed = false;
  readonly send = vi.fn();

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => unknown): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Fires `event` like Chromium would; returns whether some listener called preventDefault(). */
  emitPreventable(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    const domEvent = { preventDefault: () => (prevented = true) };
    for (const listener of this.listeners.get(event) ?? []) listener(domEvent, ...args);
    return prevented;
  }
}

export class FakeBrowserWindow {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadURL = vi.fn(async (_url: string) => undefined);
  constructor(readonly options: Record<string, unknown>) {
    FakeBrowserWindow.created.push(this);
  }
  once(): this {
    return this;
  }
  on(): this {
    return this;
  }
  show(): void {}
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.created;
  }
}

export class FakeUtilityProcess {
  static forked: FakeUtilityProcess[] = [];
  readonly listeners = new Map<string, Listener[]>();
  readonly postMessage = vi.fn();
  readonly kill = vi.fn(() => true);
  constructor(readonly modulePath: string, readonly options: unknown) {}
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}

export const fakeElectron = {
  BrowserWindow: FakeBrowserWindow,
  ipcMain: { handle: vi.fn() },
  protocol: { handle: vi.fn(), registerSchemesAsPrivileged: vi.fn() },
  utilityProcess: {
    fork: vi.fn((modulePath: string, _args: string[], options: unknown) => {
      const child = new FakeUtilityProcess(modulePath, options);
      FakeUtilityProcess.forked.push(child);
      return child;
    }),
  },
  contextBridge: { exposeInMainWorld: vi.fn() },
  shell: { openExternal: vi.fn(async (_url: string) => undefined) },
  dialog: { showSaveDialog: vi.fn() },
  ipcRenderer: { invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: {} })), on: vi.fn(), removeListener: vi.fn() },
};

/** A fake session recording the handlers electron/main/security.ts installs. */
export function fakeSession() {
  const handlers: {
    headers?: (details: { responseHeaders?: Record<string, string[]> }, callback: (response: unknown) => void) => void;
    permissionRequest?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
    permissionCheck?: (...args: unknown[]) => boolean;
  } = {};
  const session = {
    webRequest: { onHeadersReceived: (listener: NonNullable<typeof handlers.headers>) => (handlers.headers = listener) },
    setPermissionRequestHandler: (handler: NonNullable<typeof handlers.permissionRequest>) => (handlers.permissionRequest = handler),
    setPermissionCheckHandler: (handler: NonNullable<typeof handlers.permissionCheck>) => (handlers.permissionCheck = handler),
  };
  return { session, handlers };
}
