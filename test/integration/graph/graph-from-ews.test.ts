import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { graphSourceKeyPropertyId } from '../../../electron/engine/targets/exchange/source-key.js';
import { startEwsPeer, type EwsPeer, type PeerMailbox } from '../../peers/ews/ews-peer.js';
import { startGraphPeer, type GraphPeer } from '../../peers/graph/graph-peer.js';
import { type GraphMailbox, normalisePropertyId, type StoredMessage } from '../../peers/graph/mailbox-store.js';
import { fixturesDir, hasFixtures, repoRoot } from '../../support/fixtures.js';

const cli = path.join(repoRoot, 'build', 'cloudward.js');
const built = existsSync(path.join(repoRoot, 'build', 'out', 'electron', 'cli', 'main.js'));

if (!hasFixtures || !built) console.warn('EWS → Graph move test skipped: fixtures or the built CLI are missing');

/**
 * The two peers are one Exchange mailbox seen through two protocols: what EWS stored is what Graph
 * sees. The copy keeps folders by path and each message's MAPI properties (EWS's PublicStrings named
 * property is Graph's `String {00020329-…} Name …`: the same PS_PUBLIC_STRINGS set).
 */
function sameMailboxThroughGraph(ews: PeerMailbox, graph: GraphMailbox): void {
  const wellKnown: Record<string, string> = { inbox: 'inbox', sentitems: 'sentitems', deleteditems: 'deleteditems', drafts: 'drafts', junkemail: 'junkemail', archive: 'archive' };
  const folderFor = (ewsFolderId: string): string => {
    const folder = ews.folders.find((f) => f.id === ewsFolderId);
    if (!folder) throw new Error('unknown EWS folder');
    if (folder.distinguishedId && wellKnown[folder.distinguishedId]) return graph.folder(wellKnown[folder.distinguishedId] ?? '', 'mail')?.id ?? '';
    let parent = graph.root.id;
    for (const name of folder.path) {
      const existing = graph.folders.find((f) => f.kind === 'mail' && f.parentId === parent && f.displayName.toLowerCase() === name.toLowerCase());
      parent = (existing ?? graph.addFolder('mail', name, parent)).id;
    }
    return parent;
  };
  for (const item of ews.items.filter((i) => i.kind === 'Message')) {
    const extended = new Map<string, string>();
    for (const prop of item.extendedProps) {
      if (prop.value === undefined) continue;
      if (prop.tag) extended.set(normalisePropertyId(`${prop.type} ${prop.tag}`), prop.value);
      else if (prop.distinguishedPropertySetId === 'PublicStrings' && prop.propertyName) extended.set(normalisePropertyId(`${prop.type} {00020329-0000-0000-C000-000000000046} Name ${prop.propertyName}`), prop.value);
    }
    const flags = Number(extended.get('integer 0xe07') ?? '8');
    const message: StoredMessage = {
      kind: 'message',
      id: `from-ews-${item.id}`,
      folderId: folderFor(item.folderId),
      posted: { subject: item.subject ?? '' },
      extended,
      createdAt: new Date(item.createdAt),
      isDraft: (flags & 8) !== 0,
      isRead: (flags & 1) !== 0,
      receivedDateTime: extended.get('systemtime 0xe06') ?? new Date().toISOString(),
      sentDateTime: extended.get('systemtime 0x39') ?? null,
      attachments: [],
    };
    graph.items.push(message);
  }
}

describe.skipIf(!hasFixtures || !built)('a mailbox started over ews: and finished over graph:', () => {
  let ews: EwsPeer;
  let graph: GraphPeer;
  let home: string;
  let emlDir = '';
  beforeAll(async () => {
    ews = await startEwsPeer({ validation: 'deferred', simulate: { delayMs: (operation) => (operation === 'CreateItem' ? 120 : 0) } });
    graph = await startGraphPeer();
    home = mkdtempSync(path.join(tmpdir(), 'cw-ews-graph-'));
    emlDir = path.join(home, 'mail');
    mkdirSync(emlDir);
    for (const name of readdirSync(path.join(fixturesDir, 'eml')).filter((n) => n.endsWith('.eml'))) copyFileSync(path.join(fixturesDir, 'eml', name), path.join(emlDir, name));
    for (let i = 0; i < 150; i += 1) {
      writeFileSync(path.join(emlDir, `gen-${i}.eml`), `From: s${i}@example.org\r\nSubject: Generated ${i}\r\nMessage-ID: <gen-${i}@example.org>\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nBody ${i}\r\n`);
    }
  });
  afterAll(async () => {
    await ews?.close();
    await graph?.close();
    rmSync(home, { recursive: true, force: true });
  });

  function migrate(target: string[], mailbox: string) {
    let output = '';
    const child = spawn(process.execPath, [cli, 'migrate', '--source', `eml:${emlDir}`, ...target, '--target-mailbox', mailbox, '--ledger', path.join(home, 'ledger.sqlite'), '--parallel', '1'], {
      env: { ...process.env, CLOUDWARD_TARGET_TOKEN: 'peer-token', CLOUDWARD_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, done, output: () => output };
  }

  it('duplicates nothing: what EWS wrote before the switch is recognised by Graph', async () => {
    const mailbox = 'move@contoso.example';
    const files = readdirSync(emlDir).filter((name) => name.endsWith('.eml'));
    const viaEws = () => ews.mailbox(mailbox).items.filter((item) => item.kind === 'Message').length;
    const first = migrate(['--target', `ews:${ews.url}`], mailbox);
    const deadline = Date.now() + 60_000;
    while (viaEws() < 30 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(viaEws(), first.output()).toBeGreaterThanOrEqual(30);
    first.child.kill('SIGKILL');
    await first.done;
    await new Promise((resolve) => setTimeout(resolve, 400));
    const before = viaEws();
    expect(before).toBeLessThan(files.length);
    sameMailboxThroughGraph(ews.mailbox(mailbox), graph.mailbox(mailbox));

    const second = migrate(['--target', 'graph:', '--graph-endpoint', graph.url], mailbox);
    expect(await second.done, second.output()).toBe(0);
    const messages = graph.mailbox(mailbox).messages;
    const keys = messages.map((m) => m.extended.get(normalisePropertyId(graphSourceKeyPropertyId)));
    expect(new Set(keys).size).toBe(files.length);
    expect(messages).toHaveLength(files.length);
    // Graph wrote only what EWS had not.
    expect(messages.filter((m) => !m.id.startsWith('from-ews-'))).toHaveLength(files.length - before);
    graph.assertNoSchemaErrors();
    graph.assertNoViolations();
  }, 180_000);
});
