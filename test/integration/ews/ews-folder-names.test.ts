import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEwsPeer, type EwsPeer } from '../../peers/ews/ews-peer.js';
import { fixturesDir, hasFixtures, repoRoot } from '../../support/fixtures.js';

const pst = path.join(fixturesDir, 'pst', 'DFRWS2009-Outlook-Email.pst');
const cli = path.join(repoRoot, 'build', 'cloudward.js');
const built = existsSync(path.join(repoRoot, 'build', 'out', 'electron', 'cli', 'main.js'));

if (!hasFixtures) console.warn('EWS folder-name test skipped: ../shared/fixtures is not present');
if (!built) console.warn('EWS folder-name test skipped: the CLI is not built (npx tsc -b tsconfig.json)');

describe.skipIf(!hasFixtures || !built)('cloudward migrate DFRWS2009 (a folder named "Constantine\'s calendar") into the EWS peer', () => {
  let peer: EwsPeer;
  let home: string;
  beforeAll(async () => {
    peer = await startEwsPeer({ validation: 'strict', auth: { basic: [{ user: 'dfrws@contoso.example', password: 'Winter-2024' }] } });
    home = mkdtempSync(path.join(tmpdir(), 'cw-ews-names-'));
  });
  afterAll(async () => {
    await peer?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('finishes, every folder created and answered', async () => {
    const mailbox = 'dfrws@contoso.example';
    let output = '';
    const child = spawn(
      process.execPath,
      [cli, 'migrate', '--source', `pst:${pst}`, '--target', `ews:${peer.url}`, '--target-mailbox', mailbox, '--target-auth', 'basic', '--ledger', path.join(home, 'ledger.sqlite'), '--json'],
      { env: { ...process.env, CLOUDWARD_TARGET_PASSWORD: 'Winter-2024', CLOUDWARD_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(-1);
      }, 150_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    const t0 = peer.requests[0]?.at ?? 0;
    const log = peer.requests.map((r) => `${r.seq} ${r.operation} ${r.status} ${r.outcome} ${Number(r.at) - Number(t0)}ms ${/DisplayName>([^<]*)</.exec(r.body)?.[1] ?? ''}`).join('\n');
    expect(code, `${output.slice(-3000)}\n${log}`).toBe(0);
    const created = peer.requests.filter((r) => r.operation === 'CreateFolder');
    expect(created.every((r) => r.status === 200), log).toBe(true);
    expect(peer.mailbox(mailbox).folderByPath(["Constantine's calendar"]), log).toBeDefined();
    peer.assertNoViolations();
  }, 170_000);
});
