import { describe, expect, it } from 'vitest';

import { createLogger } from '../../../electron/engine/log/logger.js';
import { ewsTargetSpec } from '../../../electron/engine/targets/ews/ews-spec.js';
import { MemorySecrets } from '../../integration/ews/ews-helpers.js';

const context = (options: Record<string, string | number | undefined> = {}) => ({ secrets: new MemorySecrets(), log: createLogger(), options });

describe('ews: target spec', () => {
  it('takes the URL with or without the scheme prefix, and refuses what would leak credentials', () => {
    expect(() => ewsTargetSpec.validate('ews:https://mail.contoso.example/EWS/Exchange.asmx')).not.toThrow();
    expect(() => ewsTargetSpec.validate('https://outlook.office365.com/EWS/Exchange.asmx')).not.toThrow();
    expect(() => ewsTargetSpec.validate('http://127.0.0.1:8080/EWS/Exchange.asmx')).not.toThrow();
    expect(() => ewsTargetSpec.validate('ews:http://mail.contoso.example/EWS/Exchange.asmx')).toThrow(/https/);
    expect(() => ewsTargetSpec.validate('ews:https://bob:pw@mail.contoso.example/EWS/Exchange.asmx')).toThrow(/no user or password/);
    expect(() => ewsTargetSpec.validate('ews:mail.contoso.example')).toThrow(/Not an EWS address/);
  });

  it('needs a mailbox; the batch mailbox argument wins over --target-mailbox', () => {
    expect(() => ewsTargetSpec.create('https://m.example/EWS/Exchange.asmx', context())).toThrow(/--target-mailbox/);
    const target = ewsTargetSpec.create('https://m.example/EWS/Exchange.asmx', context({ targetMailbox: 'a@example.org' }), 'b@example.org');
    expect(target.label).toBe('ews:b@example.org@m.example');
  });

  it('size limit: 35 MB by default, up to 150 MB, never more', () => {
    const MB = 1024 * 1024;
    expect(ewsTargetSpec.create('https://m.example/EWS/Exchange.asmx', context({ targetMailbox: 'a@example.org' })).capabilities.maxItemBytes).toBe(35 * MB);
    expect(ewsTargetSpec.create('https://m.example/EWS/Exchange.asmx', context({ targetMailbox: 'a@example.org', maxItemMb: 150 })).capabilities.maxItemBytes).toBe(150 * MB);
    expect(() => ewsTargetSpec.create('https://m.example/EWS/Exchange.asmx', context({ targetMailbox: 'a@example.org', maxItemMb: 200 }))).toThrow(/at most 150/);
    expect(() => ewsTargetSpec.create('https://m.example/EWS/Exchange.asmx', context({ targetMailbox: 'a@example.org', targetAuth: 'kerberos' }))).toThrow(/--target-auth/);
  });

  it('budget: about 150 MB per 5 minutes of requests, a few requests at once, batches of ten', () => {
    const caps = ewsTargetSpec.create('https://m.example/EWS/Exchange.asmx', context({ targetMailbox: 'a@example.org' })).capabilities;
    // The pipeline's item-byte estimate runs a little ahead of the server's 150 MB of requests (base64: 4/3);
    // the exact pacing on request bytes is the target's (ews-request-window.test.ts).
    const requestBytes = caps.budget.bytesPerWindow * (4 / 3);
    expect(requestBytes).toBeCloseTo(150 * 1024 * 1024, -1);
    // Longer than the server's by twice the round trip, at most 1 % + 250 ms (none measured yet: the cap).
    expect(caps.budget.windowMs).toBe(303_250);
    expect(caps.budget.maxConcurrent).toBeLessThanOrEqual(4);
    expect(caps.maxBatchItems).toBe(10);
    expect(caps.kinds).toEqual(['mail', 'contact', 'distlist', 'event', 'task', 'autocomplete']);
    expect(caps.sizeLimitAdvice).toMatch(/Set-Mailbox .*-MaxReceiveSize/);
  });

  it('a missing token or password is SECRET_MISSING at open(), naming where to put it', async () => {
    const token = ewsTargetSpec.create('https://127.0.0.1:1/EWS/Exchange.asmx', context({ targetMailbox: 'a@example.org' }));
    await expect(token.open()).rejects.toMatchObject({ code: 'SECRET_MISSING', message: expect.stringMatching(/CLOUDWARD_TARGET_TOKEN/) });
    const basic = ewsTargetSpec.create('https://127.0.0.1:1/EWS/Exchange.asmx', context({ targetMailbox: 'a@example.org', targetAuth: 'basic' }));
    await expect(basic.open()).rejects.toMatchObject({ code: 'SECRET_MISSING', message: expect.stringMatching(/CLOUDWARD_TARGET_PASSWORD/) });
    const oauth = ewsTargetSpec.create('https://127.0.0.1:1/EWS/Exchange.asmx', context({ targetMailbox: 'a@example.org', targetAuth: 'client-credentials' }));
    await expect(oauth.open()).rejects.toMatchObject({ code: 'BAD_ARGUMENTS', message: expect.stringMatching(/--client-id/) });
  });
});
