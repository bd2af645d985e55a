import type { ServiceResult } from './envelope.js';

/**
 * The one object the Electron preload exposes to the renderer (window.cloudward). It carries the
 * service contract (commands.ts) unchanged: the main process checks the sender, validates every
 * request and answer against the routing table, and forwards to the engine's utility process.
 */
export interface DesktopBridge {
  request(command: string, payload: unknown): Promise<ServiceResult>;
  /** Service events (already validated by the main process); returns the unsubscribe function. */
  subscribe(listener: (event: unknown) => void): () => void;
  /** Prints a self-contained HTML report to PDF and asks where to save it (a desktop-only facility). */
  savePdf(html: string, fileName: string): Promise<ServiceResult<{ saved: boolean }>>;
}
