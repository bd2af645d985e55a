import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import type { ServiceEvent } from '../../../electron/contract/index.js';
import { createServiceHost, type ServiceHost } from '../../../electron/cli/service-host.js';
import { callService as call } from '../../support/service-call.js';
import { defaultClientId } from '../../../electron/cli/sign-in-config.js';
import { specOptions } from '../../../electron/engine/service/job-plans.js';
import { writeEmlCorpus } from '../../support/generate-mail.js';

// Issue 11: the wizard's Microsoft 365 target is graph: with device-code and no --client-id of its own.
const appId = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const wizardSpec = { source: 'eml:/nowhere', target: 'graph:', options: { targetMailbox: 'ann@contoso.be', targetAuth: 'device-code' } };

const hosts: ServiceHost[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
});


function open(environment: NodeJS.ProcessEnv): { host: ServiceHost; work: string } {
  const work = mkdtempSync(join(tmpdir(), 'cw-signin-'));
  const host = createServiceHost({ ledgerFile: join(work, 'ledger.sqlite'), environment, host: 'cli', version: '0.0.0-test', summaryMs: 20 });
  hosts.push(host);
  return { host, work };
}

describe('the default app registration for device-code sign-in', () => {
  it('comes from CLOUDWARD_CLIENT_ID, else from package.json cloudward.clientId, else nowhere', () => {
    const work = mkdtempSync(join(tmpdir(), 'cw-pkg-'));
    const built = join(work, 'package.json');
    writeFileSync(built, JSON.stringify({ name: 'x', cloudward: { clientId: ' 11111111-2222-4333-8444-555555555555 ' } }));
    const empty = join(work, 'empty.json');
    writeFileSync(empty, JSON.stringify({ name: 'x', cloudward: { clientId: '' } }));
    expect(defaultClientId({ CLOUDWARD_CLIENT_ID: appId }, new URL(`file://${built}`))).toBe(appId);
    expect(defaultClientId({}, new URL(`file://${built}`))).toBe('11111111-2222-4333-8444-555555555555');
    expect(defaultClientId({ CLOUDWARD_CLIENT_ID: '  ' }, new URL(`file://${empty}`))).toBeUndefined();
    expect(defaultClientId({}, new URL(`file://${join(work, 'missing.json')}`))).toBeUndefined();
    // The repository ships none: the release pipeline fills it.
    expect(defaultClientId({})).toBeUndefined();
  });

  it('goes into a device-code job spec without its own clientId, and nowhere else', () => {
    expect(specOptions(wizardSpec, appId)).toMatchObject({ clientId: appId, targetAuth: 'device-code', targetMailbox: 'ann@contoso.be' });
    const own = { ...wizardSpec, options: { ...wizardSpec.options, clientId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' } };
    expect(specOptions(own, appId).clientId).toBe('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
    // A client secret belongs to the tenant's own app: Cloudward's public client must not stand in for it.
    const appOnly = { ...wizardSpec, options: { ...wizardSpec.options, targetAuth: 'client-credentials', tenant: 'contoso.be' } };
    expect(specOptions(appOnly, appId).clientId).toBeUndefined();
    expect(specOptions(wizardSpec, undefined).clientId).toBeUndefined();
  });

  it('tells the UI through app:info whether sign-in needs an Application (client) ID typed in', async () => {
    expect((await call(open({ CLOUDWARD_CLIENT_ID: appId }).host, 'app:info', {})).signInConfigured).toBe(true);
    expect((await call(open({}).host, 'app:info', {})).signInConfigured).toBe(false);
  });

  it('without any id, the device-code mailbox fails with the clear BAD_ARGUMENTS line, not a hang', async () => {
    const { host, work } = open({});
    writeEmlCorpus(join(work, 'in'), 2, 3, ['Inbox']);
    const finished = new Promise<void>((resolve) => {
      const stop = host.subscribe((event: ServiceEvent) => {
        if (event.type === 'job-state' && event.state === 'finished') {
          stop();
          resolve();
        }
      });
    });
    const { jobId } = await call(host, 'job:start', { spec: { ...wizardSpec, source: `eml:${join(work, 'in')}` } });
    await finished;
    const status = await call(host, 'job:status', { jobId });
    expect(status.mailboxes[0]?.error).toMatchObject({ code: 'BAD_ARGUMENTS' });
    expect(status.mailboxes[0]?.error?.message).toMatch(/--target-auth device-code needs --client-id/);
  });
});
