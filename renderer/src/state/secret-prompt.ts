import type { MessageKey } from '../i18n/i18n.js';

/**
 * The sentence a secret prompt shows a person, from the engine's role and account
 * (`imap://ann@mail.example:993`, `ews://ann@contoso.com@mail.contoso.com`, `smtp://…`, `<client id>@<tenant>`):
 * "the password of ann on your old mail server" instead of "source password for imap://…". Undefined for a form
 * it does not know: the dialog then shows the engine's own label.
 */
export function secretPromptText(role: string, account: string): { key: MessageKey; params: { user: string; host: string } } | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/(.+)@([^@/]+)\/?$/i.exec(account);
  if (scheme) {
    const [, protocol = '', user = '', host = ''] = scheme;
    const params = { user, host };
    if (role === 'source-password') return { key: 'prompt.secret.source', params };
    if (role === 'target-token') return { key: 'prompt.secret.token', params };
    if (role === 'target-password') return { key: /^smtps?$/i.test(protocol) ? 'prompt.secret.smtp' : 'prompt.secret.target', params };
    return undefined;
  }
  const app = /^([^@/]+)@([^@/]+)$/.exec(account);
  if (app && role === 'target-client-secret') return { key: 'prompt.secret.clientSecret', params: { user: app[1] ?? '', host: app[2] ?? '' } };
  return undefined;
}
