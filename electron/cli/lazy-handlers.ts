import type { ServiceHandlers } from '../contract/index.js';

type RoomHandlers<K extends keyof ServiceHandlers> = Pick<ServiceHandlers, K>;
type AnyHandler = (request: unknown) => Promise<unknown>;

/**
 * A room's handlers whose module is imported on the first call of any of them, so a host that only
 * runs jobs (`migrate`, `status`) does not pay for preflight's DNS/SMTP, handover's or discovery's code.
 * `commands` is the room's contract table: its keys are exactly the commands to answer. A failed load is
 * not cached, so the next call tries again and reports its own error.
 */
export function lazyHandlers<K extends keyof ServiceHandlers>(commands: Record<K, unknown>, load: () => Promise<RoomHandlers<K>>): RoomHandlers<K> {
  let loaded: Promise<RoomHandlers<K>> | undefined;
  const handlers: Partial<Record<K, AnyHandler>> = {};
  for (const command of Object.keys(commands) as K[]) {
    handlers[command] = async (request) => {
      loaded ??= load().catch((error: unknown) => {
        loaded = undefined;
        throw error;
      });
      const room = (await loaded) as unknown as Record<K, AnyHandler>;
      return room[command](request);
    };
  }
  return handlers as unknown as RoomHandlers<K>;
}
