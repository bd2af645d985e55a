import { z } from 'zod';

/**
 * The IPC contract between the renderer and the main process. Types are inferred from the runtime
 * schemas, so the main side validates exactly what the compiler promised the renderer.
 */
export const ipcCommands = {
  'app:info': {
    request: z.object({}).strict(),
    response: z.object({ version: z.string(), platform: z.string() }),
  },
  'job:status': {
    request: z.object({ ledger: z.string().min(1).optional() }).strict(),
    response: z.object({
      jobs: z.array(
        z.object({
          id: z.number().int(),
          source: z.string(),
          target: z.string(),
          done: z.number().int(),
          skipped: z.number().int(),
          failed: z.number().int(),
          pending: z.number().int(),
        }),
      ),
    }),
  },
} as const;

export type IpcCommand = keyof typeof ipcCommands;
export type IpcRequest<C extends IpcCommand> = z.infer<(typeof ipcCommands)[C]['request']>;
export type IpcResponse<C extends IpcCommand> = z.infer<(typeof ipcCommands)[C]['response']>;

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

export function isIpcCommand(value: unknown): value is IpcCommand {
  return typeof value === 'string' && Object.hasOwn(ipcCommands, value);
}

/** The one object the preload script exposes to the renderer. */
export interface CloudwardBridge {
  invoke<C extends IpcCommand>(command: C, request: IpcRequest<C>): Promise<IpcResult<IpcResponse<C>>>;
  on(channel: 'job:event', listener: (event: unknown) => void): () => void;
}
