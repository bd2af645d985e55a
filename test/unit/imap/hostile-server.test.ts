import { createServer, type Server, type Socket } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { CloudwardError } from '../../../electron/contract/index.js';
import { type Clock, realClock } from '../../../electron/engine/pipeline/pacer.js';
import { parseImapSpec } from '../../../electron/engine/sources/imap/imap-address.js';
import { ImapSource } from '../../../electron/engine/sources/imap/imap-source.js';
import { drain, FakeSourceContext } from '../../support/fake-source-context.js';

/**
 * A scripted IMAP server on loopback for what Dovecot will not do on demand: Exchange Online's
 * "Suggested Backoff Time" answers, a BYE in the middle of a FETCH, a server that stops answering.
 * One INBOX with one message; `misbehave` decides, per connection and command, what goes wrong.
 */
type Misbehaviour = (connection: number, command: string) => 'throttle-login' | 'throttle-short' | 'refuse' | 'bye' | 'silent' | undefined;

const message = Buffer.from(
  'From: a@example.com\r\nTo: b@example.com\r\nSubject: hello\r\nMessage-ID: <one@example.com>\r\n' +
    'Date: Mon, 01 Jan 2024 10:00:00 +0000\r\n\r\nBody\r\n',
);

function startServer(misbehave: Misbehaviour): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket: Socket) => {
    const connection = ++connections;
    let buffer = '';
    const send = (text: string | Buffer): void => {
      if (!socket.destroyed) socket.write(text);
    };
    send('* OK [CAPABILITY IMAP4rev1] scripted server ready\r\n');
    socket.on('error', () => undefined);
    socket.on('data', (data) => {
      buffer += data.toString('latin1');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const [tag = '*', ...rest] = line.split(' ');
        const command = rest.join(' ');
        const verb = command.toUpperCase().startsWith('UID ') ? command.split(' ').slice(0, 2).join(' ').toUpperCase() : (command.split(' ')[0] ?? '').toUpperCase();
        const trouble = misbehave(connection, verb);
        if (trouble === 'silent') continue;
        if (trouble === 'refuse' && verb === 'EXAMINE') {
          send(`${tag} NO [SERVERBUG] Mailbox is broken\r\n`);
          continue;
        }
        if (trouble === 'refuse' && /BODY\.PEEK/i.test(command)) {
          send(`${tag} NO [SERVERBUG] Cannot read message 1 from disk\r\n`);
          continue;
        }
        if (trouble === 'throttle-short') {
          send(`${tag} NO Request is throttled. Suggested Backoff Time: 400 milliseconds\r\n`);
          continue;
        }
        if (trouble === 'bye') {
          send('* BYE Server shutting down for maintenance\r\n');
          socket.end();
          return;
        }
        switch (verb) {
          case 'CAPABILITY':
            send(`* CAPABILITY IMAP4rev1\r\n${tag} OK done\r\n`);
            break;
          case 'LOGIN':
          case 'AUTHENTICATE':
            if (trouble === 'throttle-login') send(`${tag} NO Request is throttled. Suggested Backoff Time: 300000 milliseconds\r\n`);
            else send(`${tag} OK [CAPABILITY IMAP4rev1] logged in\r\n`);
            break;
          case 'LIST':
            send(`* LIST (\\HasNoChildren) "/" INBOX\r\n${tag} OK done\r\n`);
            break;
          case 'LSUB':
            send(`* LSUB (\\HasNoChildren) "/" INBOX\r\n${tag} OK done\r\n`);
            break;
          case 'STATUS':
            send(`* STATUS INBOX (MESSAGES 1)\r\n${tag} OK done\r\n`);
            break;
          case 'SELECT':
          case 'EXAMINE':
            send(`* FLAGS (\\Seen)\r\n* 1 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT 2] ok\r\n${tag} OK [READ-ONLY] done\r\n`);
            break;
          case 'UID SEARCH':
            send(`* SEARCH 1\r\n${tag} OK done\r\n`);
            break;
          case 'UID FETCH':
            {
              const meta =
                `UID 1 FLAGS (\\Seen) INTERNALDATE "01-Jan-2024 10:05:00 +0000" RFC822.SIZE ${message.length} ` +
                `ENVELOPE ("Mon, 01 Jan 2024 10:00:00 +0000" "hello" NIL NIL NIL NIL NIL NIL NIL "<one@example.com>")`;
              if (/BODY\.PEEK\[\]/i.test(command)) {
                send(Buffer.concat([Buffer.from(`* 1 FETCH (${meta} BODY[] {${message.length}}\r\n`), message, Buffer.from(`)\r\n${tag} OK done\r\n`)]));
              } else {
                send(`* 1 FETCH (${meta})\r\n${tag} OK done\r\n`);
              }
            }
            break;
          case 'LOGOUT':
            send(`* BYE bye\r\n${tag} OK done\r\n`);
            socket.end();
            break;
          default:
            send(`${tag} OK done\r\n`);
        }
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0, connections: () => connections });
    });
  });
}

function source(port: number, socketTimeoutMs = 2_000, clock?: Clock): ImapSource {
  return new ImapSource({
    address: parseImapSpec(`imap://alice@127.0.0.1:${port}`),
    allowPlaintext: true,
    login: async () => ({ user: 'alice', pass: 'pw' }),
    tuning: { socketTimeoutMs, reconnectAttempts: 3 },
    ...(clock ? { clock } : {}),
  });
}

describe('IMAP source against a misbehaving server', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  });

  it('a long "Suggested Backoff Time" at login ends open() with THROTTLED and the server hint', async () => {
    const started = await startServer((_, verb) => (verb === 'LOGIN' ? 'throttle-login' : undefined));
    server = started.server;
    const imap = source(started.port);
    const error = (await imap.open().then(() => undefined, (e: unknown) => e)) as CloudwardError;
    await imap.close();
    expect(error).toBeInstanceOf(CloudwardError);
    expect(error.code).toBe('THROTTLED');
    expect(error.retryAfterMs).toBeGreaterThan(290_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(300_000);
    expect(error.message).not.toContain('\n');
  });

  it('a BYE in the middle of the FETCH: reconnects and delivers the message once', async () => {
    const started = await startServer((connection, verb) => (connection === 1 && verb === 'UID FETCH' ? 'bye' : undefined));
    server = started.server;
    const imap = source(started.port);
    await imap.open();
    const run = await drain(imap, new FakeSourceContext());
    await imap.close();
    expect(run.mails.map((mail) => mail.bytes.toString('latin1'))).toEqual([message.toString('latin1')]);
    expect(run.mails[0]?.item).toMatchObject({ messageId: '<one@example.com>', flags: { seen: true }, key: 'imap:["INBOX"]:7:1' });
    expect(started.connections()).toBeGreaterThanOrEqual(2);
  });

  it('reconnect waits go through the pipeline clock with the run\'s signal, so a cancel ends them', async () => {
    const started = await startServer((_, verb) => (verb === 'UID FETCH' ? 'bye' : undefined));
    server = started.server;
    const waits: { ms: number; signal: AbortSignal | undefined }[] = [];
    const clock: Clock = { now: () => realClock.now(), sleep: (ms, signal) => (waits.push({ ms, signal }), realClock.sleep(ms, signal)) };
    const imap = source(started.port, 2_000, clock);
    await imap.open();
    const context = new FakeSourceContext();
    const running = drain(imap, context).then(() => 'finished', () => 'cancelled');
    for (let tries = 0; waits.length === 0 && tries < 250; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(waits, 'no reconnect wait went through the injected clock').not.toHaveLength(0);
    const cancelledAt = performance.now();
    context.controller.abort(new Error('cancel'));
    expect(await running).toBe('cancelled');
    expect(performance.now() - cancelledAt).toBeLessThan(1_000);
    await imap.close();
    expect(waits[0]?.signal).toBe(context.signal);
    expect(waits[0]?.ms).toBeGreaterThanOrEqual(250);
  });

  it('a short back-off in the middle of a run is waited out and the run goes on', async () => {
    let throttled = 0;
    const started = await startServer((_, verb) => (verb === 'UID FETCH' && throttled++ < 2 ? 'throttle-short' : undefined));
    server = started.server;
    const imap = source(started.port);
    await imap.open();
    const begun = performance.now();
    const run = await drain(imap, new FakeSourceContext());
    await imap.close();
    expect(run.mails).toHaveLength(1);
    expect(throttled).toBeGreaterThanOrEqual(3);
    expect(performance.now() - begun).toBeGreaterThanOrEqual(700);
  });

  it('a message the server refuses becomes a per-item failure with its reason; the run goes on', async () => {
    const started = await startServer((_, verb) => (verb === 'UID FETCH' ? 'refuse' : undefined));
    server = started.server;
    const imap = source(started.port);
    await imap.open();
    const context = new FakeSourceContext();
    const run = await drain(imap, context);
    await imap.close();
    expect(run.mails).toHaveLength(0);
    expect(context.unreadable).toEqual([
      { key: 'imap:["INBOX"]:7:1', folderPath: ['INBOX'], kind: 'mail', reason: expect.stringContaining('Cannot read message 1') },
    ]);
  });

  it('a folder the server will not open is reported, not fatal', async () => {
    const started = await startServer((_, verb) => (verb === 'EXAMINE' ? 'refuse' : undefined));
    server = started.server;
    const imap = source(started.port);
    await imap.open();
    const context = new FakeSourceContext();
    const run = await drain(imap, context);
    await imap.close();
    expect(run.folders.map((folder) => folder.path)).toEqual([['INBOX']]);
    expect(context.unreadable).toEqual([
      { key: 'imap:["INBOX"]', folderPath: ['INBOX'], kind: 'mail', reason: expect.stringContaining('folder cannot be opened') },
    ]);
  });

  it('a server that stops answering mid-FETCH times out, and the retry on a new connection succeeds', async () => {
    const started = await startServer((connection, verb) => (connection === 1 && verb === 'UID FETCH' ? 'silent' : undefined));
    server = started.server;
    const imap = source(started.port, 1_000);
    await imap.open();
    const run = await drain(imap, new FakeSourceContext());
    await imap.close();
    expect(run.mails).toHaveLength(1);
    expect(started.connections()).toBeGreaterThanOrEqual(2);
  });
});
