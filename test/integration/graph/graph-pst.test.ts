import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { JobEvent } from '../../../electron/contract/index.js';
import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import { runJob } from '../../../electron/engine/pipeline/run-job.js';
import { pstSourceSpec } from '../../../electron/engine/sources/pst/pst-spec.js';
import { graphTargetSpec } from '../../../electron/engine/targets/graph/graph-spec.js';
import { startGraphPeer, type GraphPeer } from '../../peers/graph/graph-peer.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';
import { MemorySecrets, silentLog } from '../ews/ews-helpers.js';
import { readpstExport } from '../pst/readpst-oracle.js';

const hasReadpst = spawnSync('sh', ['-c', 'command -v readpst'], { stdio: 'ignore' }).status === 0;
const pst = path.join(fixturesDir, 'pst', 'aspose_Chunks_Test_part1.pst');

if (!hasFixtures) console.warn('Graph PST test skipped: ../shared/fixtures is not present');
if (!hasReadpst) console.warn('Graph PST test skipped: readpst is missing (apt-get install -y pst-utils)');

function header(mime: string, name: string): string | undefined {
  const head = (mime.split(/\r?\n\r?\n/)[0] ?? '').replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head)?.[1]?.trim();
}

describe.skipIf(!hasFixtures || !hasReadpst)('a PST with mail, contacts and a calendar migrated into the Graph peer', () => {
  let peer: GraphPeer;
  let work: string;
  beforeAll(async () => {
    peer = await startGraphPeer();
    work = mkdtempSync(path.join(tmpdir(), 'cw-graph-pst-'));
  });
  afterAll(async () => {
    await peer?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('arrives complete and not as drafts: the messages, contacts and events readpst finds, nobody invited', async () => {
    const mailbox = 'pst@contoso.example';
    const secrets = new MemorySecrets();
    await secrets.set('target-token', `graph://${mailbox}@${new URL(peer.url).host}`, 'peer-token');
    const context = { secrets, log: silentLog, options: { targetMailbox: mailbox, targetAuth: 'token', graphEndpoint: peer.url } };
    const ledger = Ledger.open(path.join(work, 'ledger.sqlite'));
    const events: JobEvent[] = [];
    let result;
    try {
      result = await runJob({
        ledger,
        source: `pst:${pst}`,
        target: 'graph:',
        mailboxes: [{ label: mailbox, source: `pst:${pst}`, target: 'graph:', createSource: () => pstSourceSpec.create(`pst:${pst}`, context), createTarget: () => graphTargetSpec.create('graph:', context) }],
        retry: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 50 },
        onEvent: (event) => events.push(event),
      });
    } finally {
      ledger.close();
    }
    expect(result.mailboxErrors).toEqual([]);
    expect(result.summary.itemsFailed).toBe(0);

    const box = peer.mailbox(mailbox);
    const messages = box.messagesIn(['Sent Items']);
    let oracle = readpstExport(pst);
    const sentMail = (): string[] => (oracle.folders.get('Sent Items') ?? []).filter((file) => file.endsWith('.eml'));
    for (let attempt = 0; attempt < 4 && sentMail().length < messages.length; attempt++) {
      oracle.cleanup();
      oracle = readpstExport(pst);
    }
    expect(oracle.ok, 'readpst reads the file').toBe(true);
    const read = (folder: string) => (oracle.folders.get(folder) ?? []).map((file) => readFileSync(file, 'utf8'));
    const expectedMail = read('Sent Items');
    expect(messages).toHaveLength(expectedMail.length);
    // readpst's Subject headers may be encoded words; compare decoded text through the peer's stored subject.
    const decode = (value: string | undefined) => (value ?? '').replace(/=\?([^?]+)\?([bq])\?([^?]*)\?=/gi, (_, _charset: string, kind: string, text: string) => (kind.toLowerCase() === 'b' ? Buffer.from(text, 'base64').toString('utf8') : text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (__, hex: string) => String.fromCharCode(parseInt(hex, 16)))));
    expect(messages.map((m) => String(m.posted.subject ?? '')).sort()).toEqual(expectedMail.map((m) => decode(header(m, 'Subject'))).sort());
    for (const message of messages) {
      expect(message.isDraft).toBe(false);
      expect(message.sentDateTime).not.toBeNull();
    }

    const distinct = (list: string[]) => [...new Set(list)].sort();
    const expectedContacts = read('Contacts');
    expect(distinct(box.contacts.map((c) => String(c.posted.surname ?? '')))).toEqual(distinct(expectedContacts.map((v) => /^N:([^;\r\n]*)/m.exec(v)?.[1] ?? '')));
    const expectedEvents = read('Calendar');
    expect(distinct(box.events.map((e) => String(e.posted.subject ?? '')))).toEqual(distinct(expectedEvents.map((v) => /^SUMMARY:(.*)$/m.exec(v)?.[1]?.trim() ?? '')));
    const settled = (kind: string) => events.filter((e) => e.type === 'item' && e.kind === kind && (e.state === 'done' || (e.state === 'skipped' && e.error?.code === 'DUPLICATE'))).length;
    expect(settled('mail')).toBe(expectedMail.length);
    expect(settled('event')).toBe(expectedEvents.length);
    expect(box.messages.length + box.contacts.length + box.events.length + box.tasks.length).toBe(result.summary.itemsDone);
    expect(box.events.every((e) => e.posted.attendees === undefined)).toBe(true);

    oracle.cleanup();
    peer.assertNoSchemaErrors();
    peer.assertNoViolations();
  });
});
