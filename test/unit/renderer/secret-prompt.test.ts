import { describe, expect, it } from 'vitest';

import { imapAccount, parseImapSpec } from '../../../electron/engine/sources/imap/imap-address.js';
import { languages, translate } from '../../../renderer/src/i18n/i18n.js';
import { secretPromptText } from '../../../renderer/src/state/secret-prompt.js';

describe('a secret prompt in words a person reads', () => {
  it('names the login and the server for the account forms the engine asks with', () => {
    // The IMAP account as the engine builds it (an admin login may contain '@' and '*').
    const imap = imapAccount(parseImapSpec('imaps://ann%40example.com@mail.example.com:993'));
    expect(secretPromptText('source-password', imap)).toEqual({ key: 'prompt.secret.source', params: { user: 'ann@example.com', host: 'mail.example.com:993' } });
    expect(secretPromptText('source-password', imapAccount(parseImapSpec('imap://admin*ann@[::1]:143')))).toEqual({ key: 'prompt.secret.source', params: { user: 'admin*ann', host: '[::1]:143' } });
    // ews-spec.ts: `ews://${user}@${host}`; smtp-probe.ts: `smtp://${user}@${host}`; graph-spec.ts: `graph://…`.
    expect(secretPromptText('target-password', 'ews://ann@contoso.example@127.0.0.1:45335')).toEqual({ key: 'prompt.secret.target', params: { user: 'ann@contoso.example', host: '127.0.0.1:45335' } });
    expect(secretPromptText('target-password', 'smtp://ann@contoso.com@smtp.office365.com')?.key).toBe('prompt.secret.smtp');
    expect(secretPromptText('target-token', 'graph://ann@contoso.com@graph.microsoft.com')?.key).toBe('prompt.secret.token');
    // ews-spec.ts / graph-spec.ts: `${clientId}@${tenant}`.
    expect(secretPromptText('target-client-secret', '0b1c2d3e-aaaa-bbbb-cccc-000000000001@contoso.onmicrosoft.com')).toEqual({
      key: 'prompt.secret.clientSecret',
      params: { user: '0b1c2d3e-aaaa-bbbb-cccc-000000000001', host: 'contoso.onmicrosoft.com' },
    });
  });

  it('falls back to the engine label for what it does not know, and every language fills both names', () => {
    expect(secretPromptText('source-password', 'not an account')).toBeUndefined();
    expect(secretPromptText('something-new', 'ews://a@b')).toBeUndefined();
    const text = secretPromptText('target-password', 'ews://ann@contoso.example@mail.contoso.example');
    for (const { code } of languages) {
      const sentence = translate(code, text!.key, text!.params);
      expect(sentence).toContain('ann@contoso.example');
      expect(sentence).toContain('mail.contoso.example');
      expect(sentence).not.toMatch(/[{}]/);
    }
  });
});
