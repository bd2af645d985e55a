import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEwsPeer, type EwsPeer } from '../../peers/ews/ews-peer.js';
import { repoRoot } from '../../support/fixtures.js';

const cli = path.join(repoRoot, 'build', 'cloudward.js');
const built = existsSync(path.join(repoRoot, 'build', 'out', 'electron', 'cli', 'main.js'));
if (!built) console.warn('EWS no-library test skipped: the CLI is not built (run `npx tsc -b` first)');

/**
 * Memory (issue 15): ews-javascript-api is ~48 MB once loaded, and only the NTLM handshake needs it. A resolve
 * hook in the CLI process makes any import of it throw, so a token migration that loaded it would fail.
 */
describe.skipIf(!built)('EWS migration with a token does not load ews-javascript-api', () => {
  let peer: EwsPeer;
  let home = '';
  let hook = '';
  beforeAll(async () => {
    peer = await startEwsPeer({ validation: 'strict' });
    home = mkdtempSync(path.join(tmpdir(), 'cw-ews-nolib-'));
    const mail = path.join(home, 'mail');
    mkdirSync(path.join(mail, 'Projects'), { recursive: true });
    writeFileSync(path.join(mail, 'a.eml'), 'From: a@example.org\r\nTo: b@contoso.example\r\nSubject: one\r\nMessage-ID: <nolib-1@example.org>\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nhi\r\n');
    writeFileSync(path.join(mail, 'Projects', 'b.eml'), 'From: a@example.org\r\nTo: b@contoso.example\r\nSubject: two\r\nMessage-ID: <nolib-2@example.org>\r\nDate: Mon, 1 Jan 2024 11:00:00 +0000\r\n\r\nho\r\n');
    const hooks = path.join(home, 'forbid-hooks.mjs');
    writeFileSync(
      hooks,
      `export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.includes('/node_modules/ews-javascript-api/')) throw new Error('loaded a forbidden package: ' + result.url);
  return result;
}
`,
    );
    const register = path.join(home, 'register.mjs');
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    hook = `--import ${pathToFileURL(register).href}`;
  });
  afterAll(async () => {
    await peer?.close();
    rmSync(home, { recursive: true, force: true });
  });

  function migrate(mailbox: string, extra: string[] = []): Promise<{ code: number | null; output: string }> {
    const child = spawn(
      process.execPath,
      [cli, 'migrate', '--source', `eml:${path.join(home, 'mail')}`, '--target', `ews:${peer.url}`, '--target-mailbox', mailbox, '--ledger', path.join(home, `${mailbox}.sqlite`), ...extra],
      { env: { ...process.env, CLOUDWARD_TARGET_TOKEN: 'peer-token', CLOUDWARD_TARGET_PASSWORD: 'pw', CLOUDWARD_HOME: home, NODE_OPTIONS: hook }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
  }

  it('creates the folder and both messages with the hook on', async () => {
    const { code, output } = await migrate('nolib@contoso.example');
    expect(output).not.toMatch(/forbidden package/);
    expect(code, output).toBe(0);
    const mailbox = peer.mailbox('nolib@contoso.example');
    expect(mailbox.items.filter((item) => item.kind === 'Message')).toHaveLength(2);
    await peer.assertNoSchemaErrors();
    peer.assertNoViolations();
  }, 120_000);

  it('the hook itself works: NTLM, which needs the library, fails under it', async () => {
    const { code, output } = await migrate('ntlm@contoso.example', ['--target-auth', 'ntlm']);
    expect(code).not.toBe(0);
    expect(output).toMatch(/forbidden package/);
  }, 120_000);
});
