import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CloudwardError } from '../../../electron/contract/errors.js';
import { walkFolders } from '../../../electron/engine/sources/pst/folders.js';
import { bagOf, str } from '../../../electron/engine/sources/pst/properties.js';
import { PstStore } from '../../../electron/engine/sources/pst/pst-file.js';
import { messageNids } from '../../../electron/engine/sources/pst/pst-source.js';
import { StaticTokenSource } from '../../../electron/engine/targets/exchange/auth/token-source.js';
import { HttpTransport } from '../../../electron/engine/targets/exchange/http-transport.js';
import { GraphClient } from '../../../electron/engine/targets/graph/graph-client.js';
import { ftsMessageFromPst } from '../../../electron/engine/targets/graph/import/from-pst.js';
import { writeMessageStream } from '../../../electron/engine/targets/graph/import/fts-writer.js';
import { GraphImportSession } from '../../../electron/engine/targets/graph/import/import-session.js';
import { type GraphPeer, startGraphPeer } from '../../peers/graph/graph-peer.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';

if (!hasFixtures) console.warn('Graph import-session tests skipped: ../shared/fixtures (graph-schema, pst) is not present');

const user = 'adele@contoso.example';

describe.skipIf(!hasFixtures)('Graph import session (mailbox import API) against the peer', () => {
  let peer: GraphPeer;
  let transport: HttpTransport;
  let store: PstStore;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    peer = await startGraphPeer();
    peer.mailbox(user);
    transport = new HttpTransport({ maxSockets: 4 });
    store = PstStore.open(path.join(fixturesDir, 'pst', 'pst-exp_submessage.pst'));
  });
  afterAll(async () => {
    store?.close();
    transport?.close();
    await peer?.close();
  });

  function session(options: { renewBeforeMs?: number } = {}): GraphImportSession {
    const client = new GraphClient({
      endpoint: peer.url,
      tokens: new StaticTokenSource('t', { account: 'graph://x', mailbox: user }),
      transport,
      requestTimeoutMs: 10_000,
      maxConcurrent: 4,
      requestsPerWindow: 10_000,
      requestWindowMs: 600_000,
    });
    return new GraphImportSession({ client, transport, user, requestTimeoutMs: 10_000, ...options });
  }

  function pstMessages(): { subject: string | undefined; stream: Buffer; attachments: number }[] {
    const result = [];
    for (const node of walkFolders(store, () => undefined)) {
      for (const nid of messageNids(store, node.folder)) {
        const message = store.message(nid);
        result.push({ subject: str(bagOf(message, store.defaultCharset), 0x0037), stream: writeMessageStream(ftsMessageFromPst(store, message).message), attachments: message.numberOfAttachments });
      }
    }
    return result;
  }

  it('imports PST messages: mailbox id, session, then one POST per item without a bearer token', async () => {
    const messages = pstMessages();
    expect(messages.length).toBeGreaterThan(0);
    const importer = session();
    const ids = [];
    for (const message of messages) ids.push(await importer.importItem('AAMkFolderInbox', message.stream, signal));
    expect(new Set(ids.map((id) => id.itemId)).size).toBe(messages.length);
    const stored = peer.importApi.items;
    expect(stored).toHaveLength(messages.length);
    expect(stored.every((item) => item.address === user && item.folderId === 'AAMkFolderInbox' && item.mailboxId === peer.importApi.mailboxIdOf(user))).toBe(true);
    // What arrived is what the PST holds: subject and attachment count, read by the peer's own stream reader.
    stored.forEach((item, i) => {
      expect(item.message.properties.find((p) => p.tag === 0x0037001f)?.value).toBe(messages[i]!.subject);
      expect(item.message.attachments).toHaveLength(messages[i]!.attachments);
    });
    expect(stored.some((item) => item.message.attachments.some((a) => a.embedded))).toBe(true);
    peer.assertNoViolations();
  });

  it('a malformed stream is one item refused with its reason, not a crash or a retry loop', async () => {
    const before = peer.importApi.items.length;
    const broken = Buffer.concat([writeMessageStream({ properties: [{ id: 0x0037, type: 0x001f, value: 'x' }], recipients: [], attachments: [] }).subarray(0, 10)]);
    const error = await session().importItem('AAMkFolderInbox', broken, signal, 'item-7').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudwardError);
    expect((error as CloudwardError).item).toBe('item-7');
    expect((error as CloudwardError).retryable).toBe(false);
    expect((error as CloudwardError).message).toMatch(/FastTransfer/);
    expect(peer.importApi.items.length).toBe(before);
  });

  it('an import session that ended is replaced once and the item still goes in', async () => {
    peer.importApi.sessionLifetimeMs = 300;
    try {
      const importer = session({ renewBeforeMs: 0 });
      const stream = pstMessages()[0]!.stream;
      await importer.importItem('AAMkFolderInbox', stream, signal);
      await new Promise((resolve) => setTimeout(resolve, 400));
      const before = peer.importApi.items.length;
      await importer.importItem('AAMkFolderInbox', stream, signal);
      expect(peer.importApi.items.length).toBe(before + 1);
    } finally {
      peer.importApi.sessionLifetimeMs = 60 * 60 * 1000;
    }
  });
});
