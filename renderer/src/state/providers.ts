/**
 * IMAP settings of the providers small businesses in Belgium (and elsewhere) most often leave.
 * Published by each provider; `note` is a message key explaining what the person needs first.
 */
export interface ImapProvider {
  id: string;
  name: string;
  host: string;
  port: number;
  security: 'tls' | 'starttls';
  note?: 'provider.note.appPassword' | 'provider.note.gmail';
}

export const imapProviders: readonly ImapProvider[] = [
  { id: 'gmail', name: 'Gmail / Google Workspace', host: 'imap.gmail.com', port: 993, security: 'tls', note: 'provider.note.gmail' },
  { id: 'outlook', name: 'Outlook.com / Hotmail', host: 'outlook.office365.com', port: 993, security: 'tls' },
  { id: 'yahoo', name: 'Yahoo Mail', host: 'imap.mail.yahoo.com', port: 993, security: 'tls', note: 'provider.note.appPassword' },
  { id: 'icloud', name: 'iCloud Mail', host: 'imap.mail.me.com', port: 993, security: 'tls', note: 'provider.note.appPassword' },
  { id: 'gmx', name: 'GMX', host: 'imap.gmx.net', port: 993, security: 'tls' },
  { id: 'proximus', name: 'Proximus (Skynet, Belgacom)', host: 'imap.proximus.be', port: 993, security: 'tls' },
  { id: 'telenet', name: 'Telenet', host: 'imap.telenet.be', port: 993, security: 'tls' },
  { id: 'scarlet', name: 'Scarlet', host: 'imap.scarlet.be', port: 993, security: 'tls' },
  { id: 'orange-be', name: 'Orange Belgium', host: 'imap.orange.be', port: 993, security: 'tls' },
  { id: 'other', name: '', host: '', port: 993, security: 'tls' },
];

export function findProvider(id: string): ImapProvider | undefined {
  return imapProviders.find((provider) => provider.id === id);
}
