import { describe, expect, it } from 'vitest';

import { sourceIdentity, targetIdentity } from '../../../electron/engine/service/mailbox-identity.js';

describe('mailbox identity', () => {
  it('is one Exchange store whatever the protocol or endpoint', () => {
    const viaEws = targetIdentity('ews:https://mail.contoso.com/EWS/Exchange.asmx', 'Alice@Contoso.com');
    expect(targetIdentity('ews:https://outlook.office365.com/EWS/Exchange.asmx', 'alice@contoso.com')).toBe(viaEws);
    expect(targetIdentity('graph:', 'alice@contoso.com')).toBe(viaEws);
    expect(targetIdentity('graph:alice@contoso.com', undefined)).toBe(viaEws);
    expect(viaEws).toBe('exchange:alice@contoso.com');
    expect(targetIdentity('ews:https://mail.contoso.com/EWS/Exchange.asmx', 'bob@contoso.com')).not.toBe(viaEws);
  });

  it('knows an IMAP mailbox by user and host, whatever the port or TLS mode', async () => {
    expect(await sourceIdentity('imaps://Alice@Mail.Example.com:993')).toBe(await sourceIdentity('imap://alice@mail.example.com'));
    expect(await sourceIdentity('imap://bob@mail.example.com')).not.toBe(await sourceIdentity('imap://alice@mail.example.com'));
  });

  it('gives an unreadable PST an identity all the same (the job then says why it cannot be read)', async () => {
    expect(await sourceIdentity('pst:/nonexistent/Outlook.pst')).toMatch(/^pst:file-[0-9a-f]{32}$/);
  });
});
