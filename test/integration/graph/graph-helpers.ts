import { StaticTokenSource } from '../../../electron/engine/targets/exchange/auth/token-source.js';
import { HttpTransport } from '../../../electron/engine/targets/exchange/http-transport.js';
import { GraphTarget, type GraphTargetOptions } from '../../../electron/engine/targets/graph/graph-target.js';
import { silentLog } from '../ews/ews-helpers.js';

export { defaultFlags, folderRef, mailItem, prepare, silentLog } from '../ews/ews-helpers.js';

/** A Graph target on a bearer token, pointed at a peer (`{endpoint}/v1.0/...`). */
export function graphTarget(endpoint: string, mailbox: string, extra: Partial<GraphTargetOptions> = {}): GraphTarget {
  return new GraphTarget({
    endpoint,
    mailbox,
    log: silentLog,
    connect: async () => ({ tokens: new StaticTokenSource('peer-token', { account: `graph://${mailbox}`, mailbox }), transport: new HttpTransport({ maxSockets: 5 }) }),
    requestTimeoutMs: 20_000,
    retry: { maxAttempts: 8, baseDelayMs: 20, maxDelayMs: 500 },
    ...extra,
  });
}
