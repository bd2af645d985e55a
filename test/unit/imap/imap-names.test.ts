import { describe, expect, it } from 'vitest';

import { CloudwardError } from '../../../electron/contract/index.js';
import { assignRoles, decodeModifiedUtf7, roleFromName, splitMailboxName } from '../../../electron/engine/sources/imap/folder-names.js';
import { imapAccount, parseImapSpec } from '../../../electron/engine/sources/imap/imap-address.js';
import { backoffFromText, toImapError } from '../../../electron/engine/sources/imap/imap-errors.js';
import { imapPasswordAccount, imapSourceSpec } from '../../../electron/engine/sources/imap/imap-spec.js';
import { folderScope, mailKey, parseCheckpoint, uidFromKey, uidSet, folderKeyPrefix } from '../../../electron/engine/sources/imap/item-keys.js';
import { buildLogin } from '../../../electron/engine/sources/imap/login-format.js';

describe('IMAP spec', () => {
  it('parses imap:// and imaps:// with default and explicit ports and encoded user names', () => {
    expect(parseImapSpec('imaps://alice@mail.example.com')).toMatchObject({ secure: true, host: 'mail.example.com', port: 993, user: 'alice' });
    expect(parseImapSpec('imap://alice@Mail.Example.com:1143')).toMatchObject({ secure: false, host: 'mail.example.com', port: 1143 });
    expect(parseImapSpec('imap://alice%40example.com@127.0.0.1').user).toBe('alice@example.com');
    expect(parseImapSpec('imap://alice@example.com@127.0.0.1').user).toBe('alice@example.com');
    expect(parseImapSpec('imaps://bob@[::1]:10993')).toMatchObject({ host: '::1', port: 10993 });
    expect(() => parseImapSpec('imaps://alice:secret@mail.example.com')).toThrow(/password does not go in the source/);
    expect(parseImapSpec('imaps://odd%3Aname@mail.example.com').user).toBe('odd:name');
    // The --batch form: host only, each CSV row brings its user; create() still needs one.
    expect(() => imapSourceSpec.validate('imaps://mail.example.com:993')).not.toThrow();
    expect(() => parseImapSpec('imaps://mail.example.com')).toThrow(/user name is missing/);
    for (const bad of ['imap://@mail.example.com', 'pop://a@b', 'imap://a@b:99999', 'imap://a@b:x', 'imap://%E0%A4%A@host']) {
      expect(() => imapSourceSpec.validate(bad), bad).toThrow(CloudwardError);
    }
  });

  it('names the account a password is kept under: the user, or the admin with --admin-user', () => {
    expect(imapAccount(parseImapSpec('imaps://alice@mail.example.com'))).toBe('imaps://alice@mail.example.com');
    expect(imapPasswordAccount('imap://alice@127.0.0.1:10143')).toBe('imap://alice@127.0.0.1:10143');
    expect(imapPasswordAccount('imap://alice@127.0.0.1:10143', 'master')).toBe('imap://master@127.0.0.1:10143');
  });

  it('fails a bad admin combination before asking for a password', () => {
    const context = { secrets: { get: async () => 'x', set: async () => undefined, delete: async () => true }, log: undefined as never };
    expect(() => imapSourceSpec.create('imap://alice@h', { ...context, options: { adminUser: 'x', loginFormat: 'bogus' } })).toThrow(/login-format/);
    expect(() => imapSourceSpec.create('imap://alice@h', { ...context, options: { sourceCa: '/nonexistent/ca.pem' } })).toThrow(/--source-ca \/nonexistent\/ca.pem cannot be read/);
  });
});

describe('admin logins', () => {
  it('builds the four documented forms', () => {
    expect(buildLogin('alice', 'pw')).toEqual({ user: 'alice', pass: 'pw' });
    expect(buildLogin('alice', 'pw', 'admin')).toEqual({ user: 'alice*admin', pass: 'pw' });
    expect(buildLogin('alice', 'pw', 'admin', 'dovecot')).toEqual({ user: 'alice*admin', pass: 'pw' });
    expect(buildLogin('alice', 'pw', 'admin', 'sasl')).toEqual({ user: 'admin', pass: 'pw', authzid: 'alice', loginMethod: 'AUTH=PLAIN' });
    expect(buildLogin('terry.adams', 'pw', 'contoso-students/administrator', 'exchange').user).toBe('contoso-students/administrator/terry.adams');
    expect(buildLogin('terry.adams', 'pw', 'CONTOSO\\administrator', 'exchange').user).toBe('CONTOSO/administrator/terry.adams');
    expect(buildLogin('terry.adams@contoso-students.edu', 'pw', 'mpadmin', 'mirapoint').user).toBe('#terry.adams@contoso-students.edu#mpadmin#');
  });

  it('refuses forms that cannot work, saying what is missing', () => {
    expect(() => buildLogin('alice', 'pw', 'administrator', 'exchange')).toThrow(/DOMAIN\/ADMIN/);
    expect(() => buildLogin('alice', 'pw', 'mpadmin', 'mirapoint')).toThrow(/user@domain/);
    expect(() => buildLogin('alice', 'pw', undefined, 'sasl')).toThrow(/--admin-user/);
    expect(() => buildLogin('alice', 'pw', 'a', 'kerberos')).toThrow(/dovecot, sasl, exchange, mirapoint/);
  });
});

describe('folder names', () => {
  it('decodes modified UTF-7 per segment, after splitting on the delimiter', () => {
    expect(decodeModifiedUtf7('Entw&APw-rfe')).toBe('Entwürfe');
    expect(decodeModifiedUtf7('&ZeVnLIqe-')).toBe('日本語');
    expect(decodeModifiedUtf7('Tom &- Jerry')).toBe('Tom & Jerry');
    expect(splitMailboxName('INBOX.&AMk-l&AOk-ments envoy&AOk-s', '.', false)).toEqual(['INBOX', 'Éléments envoyés']);
    // "/" encoded inside a name on a "/" server stays inside the segment.
    expect(splitMailboxName('Projects/a&AC8-b', '/', false)).toEqual(['Projects', 'a/b']);
    expect(splitMailboxName('Reports/2024', '.', false)).toEqual(['Reports/2024']);
    expect(splitMailboxName('Flat', null, false)).toEqual(['Flat']);
    expect(splitMailboxName('Entw&APw-rfe', '/', true)).toEqual(['Entw&APw-rfe']);
  });

  it('maps common names in English, Dutch, French and German', () => {
    const cases: [string[], string | undefined][] = [
      [['Sent Items'], 'sent'], [['Verzonden items'], 'sent'], [['Éléments envoyés'], 'sent'], [['Gesendete Objekte'], 'sent'],
      [['INBOX', 'Sent'], 'sent'], [['Concepten'], 'drafts'], [['Brouillons'], 'drafts'], [['Entwürfe'], 'drafts'],
      [['Deleted Items'], 'deleted'], [['Prullenbak'], 'deleted'], [['Corbeille'], 'deleted'], [['Papierkorb'], 'deleted'],
      [['Spam'], 'junk'], [['Ongewenste e-mail'], 'junk'], [['Courrier indésirable'], 'junk'], [['Archief'], 'archive'],
      [['inbox'], 'inbox'], [['Projects', 'Sent'], undefined], [['Sentinel'], undefined],
    ];
    for (const [path, role] of cases) expect(roleFromName(path), path.join('/')).toBe(role);
  });

  it('gives SPECIAL-USE first claim on a role, then names, each role once', () => {
    expect(
      assignRoles([
        { path: ['Sent Items'] },
        { path: ['Verzonden'], specialUse: '\\Sent' },
        { path: ['Trash'] },
        { path: ['Papierkorb'] },
        { path: ['All Mail'], specialUse: '\\All' },
      ]),
    ).toEqual([undefined, 'sent', 'deleted', undefined, undefined]);
  });
});

describe('keys and checkpoints', () => {
  it('scopes keys per folder with the path as JSON', () => {
    const path = ['a:b', 'c/d'];
    expect(mailKey(path, '7', 42)).toBe('imap:["a:b","c/d"]:7:42');
    expect(folderScope(['a', 'b'])).not.toBe(folderScope(['a/b']));
    expect(uidFromKey(mailKey(path, '7', 42), folderKeyPrefix(path, '7'))).toBe(42);
    expect(uidFromKey(mailKey(path, '8', 42), folderKeyPrefix(path, '7'))).toBeUndefined();
    expect(parseCheckpoint('1795412415:120')).toEqual({ uidValidity: '1795412415', lastUid: 120 });
    expect(parseCheckpoint('garbage')).toBeUndefined();
    expect(uidSet([9, 1, 2, 3, 7, 10])).toBe('1:3,7,9:10');
    expect(uidSet([5])).toBe('5');
  });
});

describe('server answers to errors', () => {
  it('reads a back-off hint and turns it into THROTTLED with retryAfterMs', () => {
    expect(backoffFromText('Request is throttled. Suggested Backoff Time: 299609 ms')).toBe(299_609);
    expect(backoffFromText('[THROTTLED] slow down')).toBe(60_000);
    expect(backoffFromText('Invalid credentials')).toBeUndefined();
    const error = toImapError({ code: 'ETHROTTLE', throttleReset: 92_415, throttleWaited: 2_000, responseText: 'Request is throttled. Suggested Backoff Time: 92415 milliseconds' }, 'imaps://a@h');
    expect(error).toMatchObject({ code: 'THROTTLED', retryAfterMs: 90_415, retryable: true });
  });

  it('classifies auth, certificate, dropped and timed-out connections in one line each', () => {
    expect(toImapError({ authenticationFailed: true, responseText: 'Authentication failed.' }, 'x').code).toBe('SOURCE_AUTH_FAILED');
    const cert = toImapError({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' }, 'imaps://a@h:993');
    expect(cert.message).toContain('--source-ca');
    expect(toImapError({ code: 'NoConnection', message: 'Connection not available' }, 'x').code).toBe('CONNECTION_LOST');
    expect(toImapError({ responseStatus: 'BYE', responseText: 'Server shutting down' }, 'x')).toMatchObject({ code: 'CONNECTION_LOST', retryable: true });
    expect(toImapError({ code: 'ETIMEOUT' }, 'x')).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(toImapError({ code: 'ECONNREFUSED' }, 'x').code).toBe('SOURCE_UNREADABLE');
    expect(toImapError(new Error('line one\nline two'), 'x').message).not.toContain('\n');
  });
});
