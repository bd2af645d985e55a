import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

import { ensureBuilt, runCli } from '../../support/run-cli.js';

// Start-up budget (issue 15): the quick commands must not load zod or a protocol stack. A resolve hook in the
// child makes any import of a forbidden package throw, so the command fails instead of only getting slower.
// csv-stringify is only for `report --format csv`: html and json reports must not pay for it.
const forbidden = ['/node_modules/zod/', '/node_modules/csv-stringify/', '/node_modules/imapflow/', '/node_modules/ews-javascript-api/', '/node_modules/@azure/msal-node/', '/node_modules/pst-extractor/'];

function hookFlags(dir: string): string[] {
  const hooks = join(dir, 'forbid-hooks.mjs');
  writeFileSync(
    hooks,
    `const forbidden = ${JSON.stringify(forbidden)};
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  const hit = forbidden.find((part) => result.url.includes(part));
  if (hit) throw new Error('start-up loaded a forbidden package: ' + result.url);
  return result;
}
`,
  );
  const register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  return ['--import', pathToFileURL(register).href];
}

describe('quick commands start without protocol stacks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cloudward-startup-'));
  const ledger = join(dir, 'ledger.sqlite');
  let nodeOptions = '';

  beforeAll(async () => {
    ensureBuilt();
    const mail = join(dir, 'mail');
    mkdirSync(mail);
    writeFileSync(join(mail, '1.eml'), 'From: a@example.com\r\nTo: b@example.com\r\nSubject: one\r\nMessage-ID: <1@example.com>\r\n\r\nhi\r\n');
    const migrated = await runCli(['migrate', '--source', `eml:${mail}`, '--target', `dir:${join(dir, 'out')}`, '--ledger', ledger]);
    expect(migrated.code, migrated.stderr).toBe(0);
    nodeOptions = hookFlags(dir).join(' ');
  }, 120_000);

  it('the hook itself works: migrate (which needs zod) fails under it', async () => {
    const result = await runCli(['migrate', '--source', `eml:${dir}`, '--target', `dir:${join(dir, 'out2')}`, '--ledger', join(dir, 'l2.sqlite')], { NODE_OPTIONS: nodeOptions });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/forbidden package/);
  });

  it('status reads the ledger without loading zod', async () => {
    const result = await runCli(['status', '--ledger', ledger], { NODE_OPTIONS: nodeOptions });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/1 done, 0 skipped/);
  });

  it.each(['html', 'json'])('report --format %s reads the ledger without loading zod or csv-stringify', async (format) => {
    const result = await runCli(['report', '--ledger', ledger, '--format', format], { NODE_OPTIONS: nodeOptions });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(format === 'html' ? /<html/ : /"jobs"/);
  });

  it.each([[['--version']], [['help']], [['status', '--ledger', join(tmpdir(), 'no-such-ledger.sqlite')]]])('%j answers without loading zod', async (args) => {
    const result = await runCli(args, { NODE_OPTIONS: nodeOptions });
    expect(result.stderr).not.toMatch(/forbidden package/);
    expect(result.code === 0 || /No ledger at/.test(result.stderr)).toBe(true);
  });
});
