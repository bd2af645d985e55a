import { createContext, useCallback, useContext, useEffect, useReducer, useRef, useState, type ReactNode } from 'react';

import type { ServiceCommand, ServiceEvent, ServiceRequest, ServiceResponse } from '../../../electron/contract/index.js';
import { initialLiveState, liveReducer, type LiveState } from '../state/live-jobs.js';
import type { ServiceClient } from './service-client.js';

interface ServiceContextValue {
  client: ServiceClient;
  live: LiveState;
  info: ServiceResponse<'app:info'> | undefined;
  /**
   * True when the service really serves this command: it is in the routing table and, for a room's
   * command, the service host has that room composed in (an unserved room answers a marker error).
   */
  has: (command: string) => boolean;
  onEvent: (listener: (event: ServiceEvent) => void) => () => void;
}

const ServiceContext = createContext<ServiceContextValue | undefined>(undefined);

export function ServiceProvider({ client, commands, children }: { client: ServiceClient; commands: readonly string[]; children: ReactNode }) {
  const [live, dispatch] = useReducer(liveReducer, initialLiveState);
  const [info, setInfo] = useState<ServiceResponse<'app:info'>>();
  const extra = useRef(new Set<(event: ServiceEvent) => void>());

  useEffect(() => {
    const unsubscribe = client.subscribe((event) => {
      dispatch({ type: 'event', event, now: Date.now() });
      for (const listener of [...extra.current]) listener(event);
    });
    // After a reload, the questions still waiting (a device code, a password) come back.
    client.request('prompts:open', {}).then((answer) => dispatch({ type: 'prompts', prompts: answer.prompts }), () => undefined);
    client.request('app:info', {}).then(setInfo, () => undefined);
    return unsubscribe;
  }, [client]);

  const onEvent = useCallback((listener: (event: ServiceEvent) => void) => {
    extra.current.add(listener);
    return () => {
      extra.current.delete(listener);
    };
  }, []);
  const [unserved, setUnserved] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    let live = true;
    // Harmless reads, one per room: an answer or an ordinary error means the room is there.
    const probes = [
      ['preflight:', () => client.request('preflight:history', { domain: 'example.com', limit: 1 })],
      ['handover:', () => client.request('handover:report', { runId: 'probe', format: 'text' })],
    ] as const;
    for (const [prefix, probe] of probes) {
      if (!commands.some((command) => command.startsWith(prefix))) continue;
      probe().then(
        () => undefined,
        (error: unknown) => {
          if (live && isUnservedError(error)) setUnserved((current) => new Set([...current, prefix]));
        },
      );
    }
    return () => {
      live = false;
    };
  }, [client, commands]);
  const has = useCallback(
    (command: string) => commands.includes(command) && ![...unserved].some((prefix) => command.startsWith(prefix)),
    [commands, unserved],
  );

  return <ServiceContext.Provider value={{ client, live, info, has, onEvent }}>{children}</ServiceContext.Provider>;
}

/** The service host's answer for a room it does not compose yet (electron/cli/service-host.ts). */
export function isUnservedError(error: unknown): boolean {
  return error instanceof Error && /is not part of this build/.test(error.message);
}

export function useService(): ServiceContextValue {
  const value = useContext(ServiceContext);
  if (value === undefined) throw new Error('useService outside ServiceProvider');
  return value;
}

type Loadable<T> = { state: 'idle' } | { state: 'loading'; previous?: T } | { state: 'ready'; value: T } | { state: 'error'; error: Error; previous?: T };

/** Runs one command and keeps its latest answer; `reload` runs it again (the previous answer stays shown meanwhile). */
export function useCommand<C extends ServiceCommand>(
  command: C,
  payload: ServiceRequest<C> | undefined,
  deps: readonly unknown[],
): { result: Loadable<ServiceResponse<C>>; reload: () => void; value: ServiceResponse<C> | undefined } {
  const { client } = useService();
  const [result, setResult] = useState<Loadable<ServiceResponse<C>>>({ state: 'idle' });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(payload ?? null);
  useEffect(() => {
    if (payload === undefined) return;
    let live = true;
    setResult((current) => ({ state: 'loading', previous: current.state === 'ready' ? current.value : 'previous' in current ? current.previous : undefined }));
    client.request(command, payload).then(
      (value) => live && setResult({ state: 'ready', value: value as ServiceResponse<C> }),
      (error: unknown) => live && setResult((current) => ({ state: 'error', error: error instanceof Error ? error : new Error(String(error)), previous: 'previous' in current ? current.previous : undefined })),
    );
    return () => {
      live = false;
    };
  }, [client, command, key, tick, ...deps]);
  const value = result.state === 'ready' ? result.value : 'previous' in result ? result.previous : undefined;
  return { result, reload: () => setTick((n) => n + 1), value };
}
