import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CloudwardError } from '../../../electron/contract/index.js';
import { LayeredSecrets } from '../../../electron/engine/secrets/layered-secrets.js';
import { memoryKeychain } from '../../support/memory-keychain.js';
import { mailDedupKey, sha256 } from '../../../electron/engine/pipeline/content-identity.js';
import { hasFixtures } from '../../support/fixtures.js';
import { hasDovecot, noDovecotReason, startDovecot, toImapWire, type Dovecot } from '../../support/dovecot.js';
import { drain, FakeSourceContext, type DrainedMail } from '../../support/fake-source-context.js';
import { emlFixtures, MemorySecrets, sourceFromSpec, tunedSource, type EmlFixture } from './imap-helpers.js';

const ready = hasDovecot && hasFixtures;
if (!ready) {
  console.warn(`IMAP source tests skipped: ${!hasDovecot ? noDovecotReason : 'no ../shared/fixtures (EML fixtures)'}`);
}

const flagSets = [[], ['\\Seen'], ['\\Flagged', '\\Answered'], ['\\Draft', '$Forwarded', 'Project-X'], ['\\Seen', '$Forwarded']];
const appendedAt = (i: number): Date => new Date(Date.UTC(2011, 0, 1 + i, 10, 30, 0));

describe.skipIf(!ready)('IMAP source against a real Dovecot', () => {
  let dovecot: Dovecot;
  let fixtures: EmlFixture[];
  const secrets = new MemorySecrets();
  let plainSpec: string;
  let tlsSpec: string;

  beforeAll(async () => {
    dovecot = await startDovecot();
    fixtures = emlFixtures();
    // Each fixture on its own APPEND so it gets its own flags and INTERNALDATE.
    for (const [i, fixture] of fixtures.entries()) {
      const [uid] = await dovecot.appendMessages('alice', 'INBOX', [fixture.wire], { flags: flagSets[i % flagSets.length] ?? [], internalDate: appendedAt(i) });
      // IMAP cannot carry NUL bytes in a message (RFC 3501 §4.3): imapflow appends such a file as a
      // literal8 and Dovecot stores it re-encoded (binary part to base64). What was appended is then
      // what the server stored, read from its Maildir file, not the file on our side.
      if (fixture.raw.includes(0)) fixture.wire = dovecot.storedMessage('alice', 'INBOX', uid!);
    }
    await dovecot.appendMessages('alice', 'Entwürfe', [fixtures[0]!.wire]);
    await dovecot.appendMessages('alice', 'Gesendete Objekte', [fixtures[1]!.wire]);
    await dovecot.appendMessages('alice', 'Projects/2024/Q1', [fixtures[2]!.wire]);
    plainSpec = `imap://alice@127.0.0.1:${dovecot.port}`;
    tlsSpec = `imaps://alice@127.0.0.1:${dovecot.tlsPort}`;
    await secrets.set('source-password', plainSpec, 'pass');
    await secrets.set('source-password', tlsSpec, 'pass');
  });
  afterAll(async () => {
    await dovecot?.dispose();
  });

  async function drainSpec(spec: string, context = new FakeSourceContext(), options = {}) {
    const source = sourceFromSpec(spec, secrets, { sourceCa: dovecot.caFile, ...options });
    await source.open();
    try {
      return { ...(await drain(source, context)), context };
    } finally {
      await source.close();
    }
  }

  function inbox(mails: DrainedMail[]): DrainedMail[] {
    return mails.filter((mail) => mail.item.folder.path.join('\u0000') === 'INBOX');
  }

  it('implicit TLS: every fixture comes out byte-identical with its flags and INTERNALDATE, and stays unread', async () => {
    const { mails } = await drainSpec(tlsSpec);
    const got = inbox(mails);
    expect(got).toHaveLength(fixtures.length);
    for (const [i, fixture] of fixtures.entries()) {
      const mail = got[i]!;
      expect(sha256(mail.bytes), fixture.name).toBe(sha256(fixture.wire));
      // RFC822.SIZE is the server's size of BODY[], which for a message with binary parts is re-encoded.
      if (!/^Content-Transfer-Encoding:\s*binary/im.test(fixture.raw.toString('latin1'))) {
        expect(mail.item.size, fixture.name).toBe(fixture.wire.length);
      }
      expect(mail.item.receivedAt?.toISOString(), fixture.name).toBe(appendedAt(i).toISOString());
      const flags = flagSets[i % flagSets.length]!;
      expect(mail.item.flags).toEqual({
        seen: flags.includes('\\Seen'),
        flagged: flags.includes('\\Flagged'),
        answered: flags.includes('\\Answered'),
        draft: flags.includes('\\Draft'),
        forwarded: flags.includes('$Forwarded'),
      });
      expect(mail.item.keywords).toEqual(flags.filter((flag) => !flag.startsWith('\\') && flag !== '$Forwarded'));
      const messageId = /^Message-ID:[ \t]*(<[^>\r\n]+>)/im.exec(fixture.raw.toString('latin1'))?.[1];
      if (messageId) expect(mail.item.messageId, fixture.name).toBe(messageId);
    }
    // Files that already had CRLF line ends come back identical to the file itself.
    const crlfFiles = fixtures.filter((fixture) => fixture.raw.equals(fixture.wire));
    expect(crlfFiles.length).toBeGreaterThan(5);
    expect(fixtures.filter((fixture) => !fixture.raw.includes(0)).every((fixture) => fixture.wire.equals(toImapWire(fixture.raw)))).toBe(true);
    // BODY.PEEK[]: nothing was marked read by the run.
    const client = await dovecot.client('alice');
    try {
      await client.mailboxOpen('INBOX', { readOnly: true });
      let unseen = 0;
      for await (const message of client.fetch('1:*', { uid: true, flags: true })) if (!message.flags?.has('\\Seen')) unseen++;
      expect(unseen).toBe(fixtures.filter((_, i) => !flagSets[i % flagSets.length]!.includes('\\Seen')).length);
    } finally {
      await client.logout();
    }
  });

  it('STARTTLS on the plain port: logs in over TLS and reads the same mailbox', async () => {
    const { mails } = await drainSpec(plainSpec);
    expect(inbox(mails)).toHaveLength(fixtures.length);
    const log = readFileSync(join(dovecot.dataDir, 'log/dovecot.log'), 'utf8');
    const logins = log.split('\n').filter((line) => line.includes(`Login: user=<alice>`) && line.includes(`lip=127.0.0.1`));
    expect(logins.some((line) => /\bTLS\b/.test(line) && !line.includes('*master'))).toBe(true);
  });

  it('folders: tree split on the delimiter, modified UTF-7 decoded, roles by SPECIAL-USE then by name', async () => {
    const { folders, mails } = await drainSpec(tlsSpec);
    const byPath = new Map(folders.map((folder) => [JSON.stringify(folder.path), folder]));
    expect(byPath.get('["INBOX"]')?.special).toBe('inbox');
    expect(byPath.get('["Sent"]')?.special).toBe('sent');
    expect(byPath.get('["Trash"]')?.special).toBe('deleted');
    expect(byPath.get('["Junk"]')?.special).toBe('junk');
    expect(byPath.get('["Drafts"]')?.special).toBe('drafts');
    // Drafts is taken by SPECIAL-USE, so the German name gets no second role; "Gesendete Objekte" neither.
    expect(byPath.get('["Entwürfe"]')).toBeDefined();
    expect(byPath.get('["Entwürfe"]')?.special).toBeUndefined();
    expect(byPath.get('["Projects","2024","Q1"]')).toBeDefined();
    const nested = mails.find((mail) => mail.item.folder.path.join('|') === 'Projects|2024|Q1');
    expect(nested && sha256(nested.bytes)).toBe(sha256(fixtures[2]!.wire));
    const german = mails.find((mail) => mail.item.folder.path[0] === 'Entwürfe');
    expect(german && sha256(german.bytes)).toBe(sha256(fixtures[0]!.wire));
    const keys = new Set(mails.map((mail) => mail.item.key));
    expect(keys.size).toBe(mails.length);
  });

  it('master user (user*master) and SASL PLAIN with an authorization identity open the user mailbox', async () => {
    // Only the admin's password is known: alice's own is not in this store.
    const adminOnly = new MemorySecrets();
    await adminOnly.set('source-password', `imap://master@127.0.0.1:${dovecot.port}`, 'masterpass');
    for (const loginFormat of ['dovecot', 'sasl']) {
      const source = sourceFromSpec(plainSpec, adminOnly, { sourceCa: dovecot.caFile, adminUser: 'master', loginFormat });
      await source.open();
      const { mails } = await drain(source, new FakeSourceContext());
      await source.close();
      const got = inbox(mails);
      expect(got, loginFormat).toHaveLength(fixtures.length);
      expect(got.every((mail, i) => mail.bytes.equals(fixtures[i]!.wire)), loginFormat).toBe(true);
    }
    // The master user cannot open a mailbox that does not exist, nor log in with a wrong password.
    const nobody = sourceFromSpec(`imap://nosuch@127.0.0.1:${dovecot.port}`, adminOnly, { sourceCa: dovecot.caFile, adminUser: 'master' });
    await expect(nobody.open()).rejects.toMatchObject({ code: 'SOURCE_AUTH_FAILED' });
    await adminOnly.set('source-password', `imap://master@127.0.0.1:${dovecot.port}`, 'wrong');
    const wrong = sourceFromSpec(plainSpec, adminOnly, { sourceCa: dovecot.caFile, adminUser: 'master', loginFormat: 'sasl' });
    await expect(wrong.open()).rejects.toMatchObject({ code: 'SOURCE_AUTH_FAILED' });
  });

  it('wrong password: one line, SOURCE_AUTH_FAILED', async () => {
    const wrong = new MemorySecrets();
    await wrong.set('source-password', tlsSpec, 'not-the-password');
    const source = sourceFromSpec(tlsSpec, wrong, { sourceCa: dovecot.caFile });
    const error = await source.open().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(CloudwardError);
    expect((error as CloudwardError).code).toBe('SOURCE_AUTH_FAILED');
    expect((error as CloudwardError).message).not.toContain('\n');
    expect((error as CloudwardError).message).not.toContain('not-the-password');
  });

  it('a refused password is forgotten from the keychain, so the next run asks again; an admin password is kept', async () => {
    const secrets = new LayeredSecrets({ keychain: memoryKeychain(), environment: {} });
    await secrets.set('source-password', tlsSpec, 'not-the-password');
    await expect(sourceFromSpec(tlsSpec, secrets, { sourceCa: dovecot.caFile }).open()).rejects.toMatchObject({ code: 'SOURCE_AUTH_FAILED' });
    expect(await secrets.get('source-password', tlsSpec)).toBeUndefined();
    // With an admin login a refusal may be a mailbox that does not exist: the admin's password stays.
    const admin = `imap://master@127.0.0.1:${dovecot.port}`;
    await secrets.set('source-password', admin, 'masterpass');
    const nobody = sourceFromSpec(`imap://nosuch@127.0.0.1:${dovecot.port}`, secrets, { sourceCa: dovecot.caFile, adminUser: 'master' });
    await expect(nobody.open()).rejects.toMatchObject({ code: 'SOURCE_AUTH_FAILED' });
    expect(await secrets.get('source-password', admin)).toBe('masterpass');
  });

  it('an untrusted certificate is one line naming --source-ca, on both ports', async () => {
    for (const spec of [tlsSpec, plainSpec]) {
      const source = sourceFromSpec(spec, secrets);
      const error = (await source.open().then(() => undefined, (e: unknown) => e)) as CloudwardError;
      expect(error.code, spec).toBe('SOURCE_UNREADABLE');
      expect(error.message, spec).toContain('--source-ca');
      expect(error.message).not.toContain('\n');
      await source.close();
    }
  });

  it('incremental: a re-run fetches nothing; new mail comes alone', async () => {
    const context = new FakeSourceContext();
    const first = await drainSpec(tlsSpec, context);
    expect(first.mails.length).toBeGreaterThanOrEqual(fixtures.length);
    const again = await drainSpec(tlsSpec, context);
    expect(again.mails).toHaveLength(0);
    await dovecot.appendMessages('alice', 'Projects/2024/Q1', [fixtures[3]!.wire]);
    const third = await drainSpec(tlsSpec, context);
    expect(third.mails.map((mail) => mail.item.folder.path.join('/'))).toEqual(['Projects/2024/Q1']);
    expect(third.mails[0]!.bytes.equals(fixtures[3]!.wire)).toBe(true);
  });

  it('a run stopped abruptly resumes from its checkpoint: everything exactly once', async () => {
    // Stop after 7 items, as a killed process would: the 8th is started but never settled.
    const ledger = new FakeSourceContext();
    const source = sourceFromSpec(tlsSpec, secrets, { sourceCa: dovecot.caFile });
    await source.open();
    const firstRun = await drain(source, ledger, { stopAfter: 7 });
    await source.close();
    expect(firstRun.mails).toHaveLength(7);
    const rest = await drainSpec(tlsSpec, ledger);
    const all = [...firstRun.mails, ...rest.mails];
    const keys = all.map((mail) => mail.item.key);
    expect(new Set(keys).size).toBe(keys.length);
    const full = await drainSpec(tlsSpec);
    expect(new Set(keys)).toEqual(new Set(full.mails.map((mail) => mail.item.key)));
  });

  it('the IMAP process killed mid-FETCH: reconnects and loses nothing', async () => {
    const source = tunedSource(tlsSpec, 'pass', readFileSync(dovecot.caFile), { pageSize: 5 });
    await source.open();
    const context = new FakeSourceContext();
    let killed = 0;
    const run = await drain(source, context, {
      onItem: (count) => {
        if (count === 12 || count === 31) killed += dovecot.killSessions();
      },
    });
    await source.close();
    expect(killed).toBeGreaterThanOrEqual(2);
    const got = inbox(run.mails);
    expect(got.map((mail) => sha256(mail.bytes))).toEqual(fixtures.map((fixture) => sha256(fixture.wire)));
    const keys = run.mails.map((mail) => mail.item.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('UIDVALIDITY changed: the folder is rescanned and the pipeline identity finds no new message', async () => {
    const context = new FakeSourceContext();
    const before = await drainSpec(tlsSpec, context);
    await dovecot.setUidValidity('alice', 'INBOX', 424242);
    const after = await drainSpec(tlsSpec, context);
    const rescanned = inbox(after.mails);
    expect(rescanned).toHaveLength(fixtures.length);
    expect(rescanned.every((mail) => mail.item.key.includes(':424242:'))).toBe(true);
    const identity = (mail: (typeof rescanned)[number]) =>
      mailDedupKey(mail.item.messageId, mail.item.sentAt, mail.item.size, sha256(mail.bytes));
    const known = new Set(inbox(before.mails).map(identity));
    expect(rescanned.filter((mail) => !known.has(identity(mail)))).toEqual([]);
    // And the next run is quiet again.
    expect((await drainSpec(tlsSpec, context)).mails).toHaveLength(0);
  });

  it('a large message streams in chunks and arrives byte-identical', async () => {
    const line = 'The quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopqrstuvwxyz\r\n';
    const big = Buffer.from(`From: a@example.com\r\nTo: bob@example.com\r\nSubject: big\r\nMessage-ID: <big@example.com>\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\n${line.repeat(60_000)}`);
    await dovecot.appendMessages('bob', 'Big', [big]);
    const source = tunedSource(`imaps://bob@127.0.0.1:${dovecot.tlsPort}`, 'pass', readFileSync(dovecot.caFile), {
      inlineBodyBytes: 64 * 1024,
      chunkBytes: 256 * 1024,
    });
    await source.open();
    const run = await drain(source, new FakeSourceContext());
    await source.close();
    const got = run.mails.find((mail) => mail.item.folder.path[0] === 'Big');
    expect(got?.item.size).toBe(big.length);
    expect(got && sha256(got.bytes)).toBe(sha256(big));
  });

  it('UserRoot: only the folders under the root, re-rooted to the user mailbox', async () => {
    await dovecot.appendMessages('alice', 'users/carol', [fixtures[4]!.wire]);
    await dovecot.appendMessages('alice', 'users/carol/Sent', [fixtures[5]!.wire]);
    await dovecot.appendMessages('alice', 'users/dave', [fixtures[6]!.wire]);
    const { folders, mails } = await drainSpec(tlsSpec, new FakeSourceContext(), { userRoot: '/users/carol' });
    expect(folders.map((folder) => folder.path.join('/')).sort()).toEqual(['INBOX', 'Sent']);
    expect(folders.find((folder) => folder.path[0] === 'INBOX')?.special).toBe('inbox');
    expect(mails.map((mail) => sha256(mail.bytes)).sort()).toEqual([sha256(fixtures[4]!.wire), sha256(fixtures[5]!.wire)].sort());
  });
});
