import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Prompter } from '../../../electron/engine/prompts/prompter.js';
import { StaticTokenSource } from '../../../electron/engine/targets/exchange/auth/token-source.js';
import { HttpTransport } from '../../../electron/engine/targets/exchange/http-transport.js';
import { parseEndpoint } from '../../../electron/engine/targets/graph/graph-spec.js';
import { startGraphPeer, type GraphPeer } from '../../peers/graph/graph-peer.js';
import { hasFixtures } from '../../support/fixtures.js';
import { folderRef, graphTarget, mailItem, prepare } from './graph-helpers.js';

if (!hasFixtures) console.warn('Graph edge tests skipped: ../shared/fixtures/graph-schema is not present');

function mimeWith(attachments: { name: string; bytes: Buffer }[], subject: string): Buffer {
  const parts = attachments
    .map((a) => `--b1\r\nContent-Type: application/octet-stream; name="${a.name}"\r\nContent-Disposition: attachment; filename="${a.name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${a.bytes.toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`)
    .join('');
  return Buffer.from(
    `From: Ann <ann@example.org>\r\nTo: bob@contoso.example\r\nSubject: ${subject}\r\nDate: Tue, 2 Mar 2021 09:15:00 +0100\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.org>\r\nX-Mailer: Test 1.0\r\nReceived: from a by b; Tue, 2 Mar 2021 09:15:01 +0100\r\nMIME-Version: 1.0\r\n` +
      `Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee attached.\r\n${parts}--b1--\r\n`,
  );
}

describe.skipIf(!hasFixtures)('Graph target at the edges: big attachments, expired tokens, endpoints', () => {
  let peer: GraphPeer;
  beforeAll(async () => {
    peer = await startGraphPeer();
  });
  afterAll(async () => {
    await peer?.close();
  });

  it('sends a 9 MB attachment through an upload session in ranges under 4 MB and a 2 MB one by POST; bytes arrive intact', async () => {
    const mailbox = 'big@contoso.example';
    const target = graphTarget(peer.url, mailbox, { maxItemMb: 35 });
    await target.open();
    const inbox = await target.ensureFolder({ path: ['Inbox'], special: 'inbox' }, ['Inbox']);
    const big = randomBytes(9 * 1024 * 1024);
    const medium = randomBytes(2 * 1024 * 1024);
    const small = randomBytes(10_000);
    const mime = mimeWith([{ name: 'big.bin', bytes: big }, { name: 'medium.bin', bytes: medium }, { name: 'small.bin', bytes: small }], 'Big one');
    const item = prepare(mailItem('big.eml', { path: ['Inbox'], special: 'inbox' }, new Uint8Array(mime)), folderRef(inbox.path, inbox.targetId), new Uint8Array(mime));
    const [outcome] = await target.write([item], new AbortController().signal);
    expect(outcome?.ok, outcome && !outcome.ok ? outcome.error.message : '').toBe(true);
    const stored = peer.mailbox(mailbox).messages[0];
    expect(stored?.isDraft).toBe(false);
    const byName = new Map(stored?.attachments.map((a) => [a.name, a]));
    expect(byName.get('big.bin')?.bytes.equals(big)).toBe(true);
    expect(byName.get('big.bin')?.viaUploadSession).toBe(true);
    expect(byName.get('medium.bin')?.bytes.equals(medium)).toBe(true);
    expect(byName.get('small.bin')?.bytes.equals(small)).toBe(true);
    // Only x- headers go across (Received cannot), and every request stayed under Graph's 4 MB.
    expect(stored?.posted.internetMessageHeaders).toEqual([{ name: 'X-Mailer', value: 'Test 1.0' }]);
    expect(Math.max(...peer.log.map((entry) => entry.bytes))).toBeLessThan(4 * 1024 * 1024);
    peer.assertNoSchemaErrors();
    peer.assertNoViolations();
    await target.close();
  });

  it('after the token expires, asks the person for a new one and goes on; with nobody to ask, stops the mailbox with TOKEN_EXPIRED', async () => {
    const mailbox = 'expiry@contoso.example';
    const asked: string[] = [];
    const prompter: Prompter = {
      ask: async (prompt) => {
        asked.push(prompt.kind);
        return { promptId: 'p1', value: 'fresh-token' };
      },
      show: () => ({ close: () => undefined }),
    };
    for (const withPrompter of [true, false]) {
      const target = graphTarget(peer.url, mailbox, {
        connect: async () => ({
          tokens: new StaticTokenSource(withPrompter ? 'old-token' : 'other-token', { account: `graph://${mailbox}`, mailbox, ...(withPrompter ? { prompter } : {}) }),
          transport: new HttpTransport(),
        }),
      });
      await target.open();
      const inbox = await target.ensureFolder({ path: ['Inbox'], special: 'inbox' }, ['Inbox']);
      peer.expireTokens();
      const mime = mimeWith([], `After expiry ${String(withPrompter)}`);
      const [outcome] = await target.write([prepare(mailItem(`e-${String(withPrompter)}.eml`, { path: ['Inbox'], special: 'inbox' }, new Uint8Array(mime)), folderRef(inbox.path, inbox.targetId), new Uint8Array(mime))], new AbortController().signal);
      if (withPrompter) {
        expect(outcome?.ok).toBe(true);
        expect(asked).toEqual(['secret']);
      } else {
        expect(outcome?.ok).toBe(false);
        expect(outcome && !outcome.ok ? [outcome.error.code, outcome.error.retryable] : []).toEqual(['TOKEN_EXPIRED', false]);
      }
      await target.close();
    }
  });

  it('reads the endpoint from graph:, graph:URL and --graph-endpoint, and refuses clear-text and /v1.0 endpoints', () => {
    expect(parseEndpoint('graph:').href).toBe('https://graph.microsoft.com/');
    expect(parseEndpoint('graph:https://graph.microsoft.us').host).toBe('graph.microsoft.us');
    expect(parseEndpoint('graph:', 'http://127.0.0.1:9999').host).toBe('127.0.0.1:9999');
    expect(() => parseEndpoint('graph:http://graph.example.com')).toThrow(/https/);
    expect(() => parseEndpoint('graph:https://graph.microsoft.com/v1.0')).toThrow(/without \/v1.0/);
  });
});
