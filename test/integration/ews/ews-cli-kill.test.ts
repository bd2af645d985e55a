import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEwsPeer, type EwsPeer } from '../../peers/ews/ews-peer.js';
import { fixturesDir, hasFixtures, repoRoot } from '../../support/fixtures.js';

const cli = path.join(repoRoot, 'build', 'cloudward.js');
const built = existsSync(path.join(repoRoot, 'build', 'out', 'electron', 'cli', 'main.js'));
const fixtureEml = path.join(fixturesDir, 'eml');
const mailbox = 'kill@contoso.example';

if (!hasFixtures) console.warn('EWS CLI kill test skipped: ../shared/fixtures is not present');
if (!built) console.warn('EWS CLI kill test skipped: the CLI is not built (run `npx tsc -b` first)');

describe.skipIf(!hasFixtures || !built)('cloudward migrate into EWS, killed and restarted', () => {
  let peer: EwsPeer;
  let home: string;
  let emlDir = '';
  beforeAll(async () => {
    // Slow CreateItem answers so the kill lands with requests in flight; the peer still commits what it received.
    peer = await startEwsPeer({ validation: 'deferred', simulate: { delayMs: (operation) => (operation === 'CreateItem' ? 120 : 0) } });
    home = mkdtempSync(path.join(tmpdir(), 'cw-ews-kill-'));
    // The fixtures plus enough generated mail that the kill lands mid-run, past the requests in flight.
    emlDir = path.join(home, 'mail');
    mkdirSync(emlDir);
    for (const name of readdirSync(fixtureEml).filter((n) => n.endsWith('.eml'))) copyFileSync(path.join(fixtureEml, name), path.join(emlDir, name));
    for (let i = 0; i < 200; i += 1) {
      writeFileSync(path.join(emlDir, `gen-${i}.eml`), `From: s${i}@example.org\r\nSubject: Generated ${i}\r\nMessage-ID: <gen-${i}@example.org>\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nBody ${i}\r\n`);
    }
  });
  afterAll(async () => {
    await peer?.close();
    rmSync(home, { recursive: true, force: true });
  });

  function migrate(): { child: ReturnType<typeof spawn>; done: Promise<number | null>; output: () => string } {
    let output = '';
    const child = spawn(
      process.execPath,
      [cli, 'migrate', '--source', `eml:${emlDir}`, '--target', `ews:${peer.url}`, '--target-mailbox', mailbox, '--ledger', path.join(home, 'ledger.sqlite'), '--parallel', '1'],
      { env: { ...process.env, CLOUDWARD_TARGET_TOKEN: 'peer-token', CLOUDWARD_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, done, output: () => output };
  }

  it('leaves every message exactly once, byte for byte', async () => {
    const files = readdirSync(emlDir).filter((name) => name.endsWith('.eml'));
    const stored = () => peer.mailbox(mailbox).items.filter((item) => item.kind === 'Message');

    const first = migrate();
    const deadline = Date.now() + 30_000;
    while (stored().length < 30 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stored().length, first.output()).toBeGreaterThanOrEqual(30);
    first.child.kill('SIGKILL');
    await first.done;
    await new Promise((resolve) => setTimeout(resolve, 300)); // requests the peer was still answering land now
    const afterKill = stored().length;
    expect(afterKill).toBeLessThan(files.length);

    const second = migrate();
    const code = await second.done;
    expect(code, second.output()).toBe(0);

    const items = stored();
    expect(items).toHaveLength(files.length);
    for (const name of files) {
      const bytes = readFileSync(path.join(emlDir, name));
      expect(items.filter((item) => item.mime && Buffer.compare(item.mime, bytes) === 0), name).toHaveLength(1);
    }
    await peer.flushValidation();
    await peer.assertNoSchemaErrors();
    peer.assertNoViolations();
    // Two CLI runs of 240 messages: ~40 s on an idle machine, more when the cores are shared.
  }, 180_000);
});
