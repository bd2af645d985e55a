import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { graphSourceKeyPropertyId } from '../../../electron/engine/targets/exchange/source-key.js';
import { startGraphPeer, type GraphPeer } from '../../peers/graph/graph-peer.js';
import { normalisePropertyId } from '../../peers/graph/mailbox-store.js';
import { fixturesDir, hasFixtures, repoRoot } from '../../support/fixtures.js';

const cli = path.join(repoRoot, 'build', 'cloudward.js');
const built = existsSync(path.join(repoRoot, 'build', 'out', 'electron', 'cli', 'main.js'));
const fixtureEml = path.join(fixturesDir, 'eml');

if (!hasFixtures) console.warn('Graph CLI tests skipped: ../shared/fixtures is not present');
if (!built) console.warn('Graph CLI tests skipped: the CLI is not built (run `npx tsc -b` first)');

describe.skipIf(!hasFixtures || !built)('cloudward migrate into Graph: kill and restart, throttling storm', () => {
  let home: string;
  let emlDir = '';
  let peer: GraphPeer | undefined;
  beforeAll(() => {
    home = mkdtempSync(path.join(tmpdir(), 'cw-graph-cli-'));
    emlDir = path.join(home, 'mail');
    mkdirSync(emlDir);
    for (const name of readdirSync(fixtureEml).filter((n) => n.endsWith('.eml'))) copyFileSync(path.join(fixtureEml, name), path.join(emlDir, name));
    for (let i = 0; i < 200; i += 1) {
      writeFileSync(path.join(emlDir, `gen-${i}.eml`), `From: s${i}@example.org\r\nTo: ann@contoso.example\r\nSubject: Generated ${i}\r\nMessage-ID: <gen-${i}@example.org>\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nBody ${i}\r\n`);
    }
  });
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });
  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
  });

  function migrate(mailbox: string, ledger: string): { child: ReturnType<typeof spawn>; done: Promise<number | null>; output: () => string } {
    let output = '';
    const child = spawn(
      process.execPath,
      [cli, 'migrate', '--source', `eml:${emlDir}`, '--target', 'graph:', '--graph-endpoint', peer?.url ?? '', '--target-mailbox', mailbox, '--ledger', path.join(home, ledger), '--parallel', '1'],
      { env: { ...process.env, CLOUDWARD_TARGET_TOKEN: 'peer-token', CLOUDWARD_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, done, output: () => output };
  }

  /** Every source file exactly once: as many messages as files, each source key once, none a draft. */
  function expectExactlyOnce(mailbox: string): void {
    const files = readdirSync(emlDir).filter((name) => name.endsWith('.eml'));
    const messages = peer?.mailbox(mailbox).messages ?? [];
    const keys = new Set(messages.map((m) => m.extended.get(normalisePropertyId(graphSourceKeyPropertyId))));
    expect(messages).toHaveLength(files.length);
    expect(keys.size).toBe(files.length);
    expect(messages.filter((m) => m.isDraft)).toHaveLength(0);
    const generated = messages.filter((m) => String(m.posted.subject ?? '').startsWith('Generated '));
    expect(generated).toHaveLength(200);
    for (const message of generated) expect(message.receivedDateTime).toBe('2024-01-01T10:00:00.000Z');
  }

  it('killed mid-run and started again, leaves every message exactly once', async () => {
    peer = await startGraphPeer({ simulate: { delayMs: (method, p) => (method === 'POST' && p.endsWith('/messages') ? 120 : 0) } });
    const mailbox = 'kill@contoso.example';
    const stored = () => peer?.mailbox(mailbox).messages.length ?? 0;
    const first = migrate(mailbox, 'kill.sqlite');
    const deadline = Date.now() + 30_000;
    while (stored() < 30 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stored(), first.output()).toBeGreaterThanOrEqual(30);
    first.child.kill('SIGKILL');
    await first.done;
    await new Promise((resolve) => setTimeout(resolve, 400)); // requests the peer was still answering land now
    expect(stored()).toBeLessThan(readdirSync(emlDir).length);

    const second = migrate(mailbox, 'kill.sqlite');
    expect(await second.done, second.output()).toBe(0);
    expectExactlyOnce(mailbox);
    peer.assertNoSchemaErrors();
    peer.assertNoViolations();
  }, 180_000);

  it('under a storm of 429 (Retry-After), 503, the 4-request limit and dropped connections, loses and duplicates nothing', async () => {
    peer = await startGraphPeer({
      seed: 7,
      simulate: { random: { rate429: 0.12, rate503: 0.04, retryAfterSeconds: 1 }, maxConcurrent: 4, dropConnections: { everyNth: 17, phase: 'after-commit' } },
    });
    const mailbox = 'storm@contoso.example';
    const run = migrate(mailbox, 'storm.sqlite');
    expect(await run.done, run.output()).toBe(0);
    expectExactlyOnce(mailbox);
    expect(peer.stats.throttled).toBeGreaterThan(10);
    expect(Math.max(...Object.values(peer.stats.maxConcurrentSeen))).toBeLessThanOrEqual(4);
    peer.assertNoSchemaErrors();
    peer.assertNoViolations();
  }, 180_000);
});
