import type { preflightCommands, ServiceEvent, ServiceHandlers } from '../../contract/index.js';
import { Ledger } from '../ledger/ledger.js';
import type { Logger } from '../log/logger.js';
import type { Prompter } from '../prompts/prompter.js';
import { LayeredSecrets } from '../secrets/layered-secrets.js';
import type { Keychain } from '../secrets/secret-provider.js';
import { PreflightStore } from './preflight-store.js';
import { runPreflight } from './run-preflight.js';

export interface PreflightHandlerDeps {
  /** The ledger runs and findings are kept in (the job service's own file). */
  readonly ledgerFile: string;
  readonly environment: NodeJS.ProcessEnv;
  /** Sends an event to every client (the app fills in each check as it finishes). */
  readonly publish: (event: ServiceEvent) => void;
  /** Asks for a password the keychain lacks, or shows a device code, through the service. */
  readonly prompter?: Prompter | undefined;
  readonly keychain?: Keychain | undefined;
  readonly log?: Logger | undefined;
  /** The app's own sign-in registration, for a device-code target check that names none (as jobs get it). */
  readonly defaultClientId?: string | undefined;
}

export type PreflightHandlers = Pick<ServiceHandlers, keyof typeof preflightCommands>;

/**
 * The service's preflight commands: run the checks for a domain, and read earlier runs for before/after.
 * Each call opens the ledger for itself (WAL: the job service's connection goes on undisturbed).
 */
export function createPreflightHandlers(deps: PreflightHandlerDeps): PreflightHandlers {
  const withStore = async <T>(use: (store: PreflightStore) => Promise<T>): Promise<T> => {
    const ledger = Ledger.open(deps.ledgerFile);
    try {
      return await use(new PreflightStore(ledger));
    } finally {
      ledger.close();
    }
  };
  return {
    'preflight:run': (request) =>
      withStore((store) =>
        runPreflight(withDefaultClientId(request, deps.defaultClientId), {
          store,
          secrets: new LayeredSecrets({ keychain: deps.keychain, environment: deps.environment, prompter: deps.prompter }),
          emit: deps.publish,
          prompter: deps.prompter,
          log: deps.log,
        }),
      ),
    'preflight:history': ({ domain, limit }) => withStore(async (store) => ({ runs: store.history(domain, limit) })),
  };
}

/** The target check signs in as the migration will: a device-code check gets the same default app id a job gets. */
export function withDefaultClientId<R extends { targetOptions?: Record<string, string | number | boolean> | undefined }>(request: R, clientId: string | undefined): R {
  const options = request.targetOptions ?? {};
  const deviceCode = typeof options['targetAuth'] === 'string' && options['targetAuth'].toLowerCase() === 'device-code';
  const own = typeof options['clientId'] === 'string' && options['clientId'].trim() !== '';
  if (!deviceCode || own || clientId === undefined || clientId === '') return request;
  return { ...request, targetOptions: { ...options, clientId } };
}
