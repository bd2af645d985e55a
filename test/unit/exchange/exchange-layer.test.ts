import { describe, expect, it } from 'vitest';

import type { PromptAnswer, PromptBody } from '../../../electron/contract/index.js';
import type { Prompter } from '../../../electron/engine/prompts/prompter.js';
import { StaticTokenSource } from '../../../electron/engine/targets/exchange/auth/token-source.js';
import { backOffMilliseconds, retryAfterMs } from '../../../electron/engine/targets/exchange/back-off.js';
import { withRetry } from '../../../electron/engine/targets/exchange/retry.js';
import {
  ewsSourceKeyFieldUri,
  graphSourceKeyPropertyId,
  publicStringsGuid,
  sourceKeyHash,
} from '../../../electron/engine/targets/exchange/source-key.js';
import { localZone } from '../../../electron/engine/targets/exchange/time-zones.js';
import { compareMailFacts, mimeFacts } from '../../../electron/engine/targets/exchange/verify-values.js';
import { CloudwardError } from '../../../electron/contract/index.js';

function answeringPrompter(answers: PromptAnswer[]): Prompter & { asked: PromptBody[] } {
  const asked: PromptBody[] = [];
  return {
    asked,
    ask: async (prompt) => {
      asked.push(prompt);
      await new Promise((resolve) => setTimeout(resolve, 10));
      return answers.shift() ?? { promptId: 'p', cancelled: true };
    },
    show: () => ({ close: () => undefined }),
  };
}

describe('the source-key property is one MAPI property for EWS and Graph', () => {
  it('EWS PublicStrings and the Graph id name the same set, name and type', () => {
    // MS-OXPROPS: PS_PUBLIC_STRINGS = {00020329-0000-0000-C000-000000000046}; EWSREF:distinguishedpropertysetid maps PublicStrings to it.
    expect(publicStringsGuid).toBe('00020329-0000-0000-C000-000000000046');
    expect(ewsSourceKeyFieldUri).toContain('DistinguishedPropertySetId="PublicStrings"');
    expect(ewsSourceKeyFieldUri).toContain('PropertyName="CloudwardSourceKey"');
    expect(ewsSourceKeyFieldUri).toContain('PropertyType="String"');
    expect(graphSourceKeyPropertyId).toBe('String {00020329-0000-0000-C000-000000000046} Name CloudwardSourceKey');
  });

  it('hash = sha256(lower-cased mailbox, newline, source key): the same whichever case the mailbox was typed in', () => {
    // Independent: `printf 'user@contoso.example\nnid:2097188' | sha256sum`
    expect(sourceKeyHash('User@Contoso.example', 'nid:2097188')).toBe('b3177c6ab4a518d8217a1dae4e9412ae1af12f9037fee4f29e942680bea86a2a');
  });
});

describe('back-off hints', () => {
  it('Retry-After in seconds or as an HTTP date; BackOffMilliseconds as a number', () => {
    expect(retryAfterMs('7')).toBe(7000);
    expect(retryAfterMs('Sun, 29 Nov 2026 00:00:10 GMT', Date.parse('2026-11-29T00:00:00Z'))).toBe(10_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(backOffMilliseconds('30000')).toBe(30_000);
    expect(backOffMilliseconds('-5')).toBeUndefined();
  });

  it('withRetry sleeps on the injected clock, the server hint first, and stops on a non-retryable error', async () => {
    const slept: number[] = [];
    const clock = { now: () => 0, sleep: async (ms: number) => void slept.push(ms) };
    let calls = 0;
    const value = await withRetry(
      async () => {
        calls += 1;
        if (calls === 1) throw new CloudwardError('THROTTLED', 'busy', { retryAfterMs: 1234 });
        if (calls === 2) throw new CloudwardError('CONNECTION_LOST', 'dropped');
        return 'done';
      },
      { signal: new AbortController().signal, clock, random: () => 0, policy: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 } },
    );
    expect(value).toBe('done');
    expect(slept).toEqual([1234, 100]); // second retry: base 100 * 2^1 with random 0 → half = 100
    await expect(withRetry(async () => Promise.reject(new CloudwardError('TARGET_AUTH_FAILED', 'no')), { signal: new AbortController().signal, clock })).rejects.toMatchObject({ code: 'TARGET_AUTH_FAILED' });
  });
});

describe('a token a script supplied', () => {
  it('after a 401 the person is asked once for a new token, even when several requests were refused together', async () => {
    const prompter = answeringPrompter([{ promptId: 'p', value: 'fresh-token' }]);
    const source = new StaticTokenSource('old-token', { prompter, account: 'ews://u@host', mailbox: 'u@contoso.example' });
    await Promise.all([source.renew('old-token'), source.renew('old-token')]);
    expect(await source.getToken()).toBe('fresh-token');
    expect(prompter.asked).toEqual([expect.objectContaining({ kind: 'secret', role: 'target-token', account: 'ews://u@host', canRemember: false })]);
    await source.renew('old-token'); // a late 401 for the old token asks nobody
    expect(prompter.asked).toHaveLength(1);
  });

  it('with nobody to ask, or a declined prompt, the mailbox stops with TOKEN_EXPIRED that is not retried', async () => {
    const alone = new StaticTokenSource('t', { account: 'a', mailbox: 'u@contoso.example' });
    await expect(alone.renew('t')).rejects.toMatchObject({ code: 'TOKEN_EXPIRED', retryable: false });
    const declined = new StaticTokenSource('t', { prompter: answeringPrompter([]), account: 'a', mailbox: 'u@contoso.example' });
    await expect(declined.renew('t')).rejects.toMatchObject({ code: 'TOKEN_EXPIRED', retryable: false });
  });
});

describe('verify by values, not header strings', () => {
  const original = Buffer.from(
    [
      'From: "Müller, Jörg" <Joerg.Mueller@Example.org>',
      'To: Anna <anna@example.org>, bob@example.org',
      'Subject: =?ISO-8859-1?Q?Gr=FC=DFe_aus_K=F6ln?=',
      'Date: Tue, 03 Mar 2026 09:15:00 +0100',
      'Message-ID: <a1@example.org>',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hallo Anna,',
      'bis morgen.',
      '',
    ].join('\r\n'),
  );
  // What Exchange's GetItem MimeContent looks like for it: Date in UTC, subject re-encoded as UTF-8 base64, quoting changed.
  const rebuilt = Buffer.from(
    [
      'From: =?utf-8?B?TcO8bGxlciwgSsO2cmc=?= <joerg.mueller@example.org>',
      'To: "Anna" <anna@example.org>, "bob@example.org" <bob@example.org>',
      'Subject: =?utf-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=',
      'Date: Tue, 3 Mar 2026 08:15:00 +0000',
      'Message-ID: <a1@example.org>',
      'Content-Type: text/plain; charset="utf-8"',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Hallo Anna,',
      '',
      'bis morgen.',
      '',
    ].join('\r\n'),
  );

  it('a re-rendered message with the same values passes', async () => {
    expect(compareMailFacts(await mimeFacts(original), await mimeFacts(rebuilt))).toEqual([]);
  });

  it('a different instant, subject, address or body fails, naming what differs', async () => {
    const changed = Buffer.from(rebuilt.toString('latin1').replace('08:15:00 +0000', '09:15:00 +0000').replace('R3LDvMOfZSBhdXMgS8O2bG4=', 'R3LDvMOfZQ==').replace(/bob@/g, 'rob@').replace('bis morgen', 'bis heute'), 'latin1');
    const problems = compareMailFacts(await mimeFacts(original), await mimeFacts(changed));
    expect(problems.join(' | ')).toMatch(/Date 2026-03-03T09:15:00.000Z instead of 2026-03-03T08:15:00.000Z/);
    expect(problems.join(' | ')).toMatch(/subject "Grüße" instead of "Grüße aus Köln"/);
    expect(problems.join(' | ')).toMatch(/to .*rob@example.org/);
    expect(problems.join(' | ')).toMatch(/body/);
  });

  it('an unreadable message gives empty facts instead of a throw', async () => {
    const facts = await mimeFacts(Buffer.from([0xff, 0x00, 0x13]));
    expect(facts.from).toEqual([]);
  });
});

describe('time zones', () => {
  it('the PC zone resolves to a Windows id', () => {
    expect(localZone('Europe/Berlin')).toEqual({ windows: 'W. Europe Standard Time', iana: 'Europe/Berlin' });
    expect(localZone('UTC')?.windows).toBe('UTC');
  });
});
