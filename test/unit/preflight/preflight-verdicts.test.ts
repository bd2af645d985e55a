import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';

import { parseServer } from '../../../electron/engine/preflight/dns-lookup.js';
import { capabilityFinding, durationFinding, folderFinding, sizeFinding } from '../../../electron/engine/preflight/imap-probe.js';
import { areaOf, summarize } from '../../../electron/engine/preflight/preflight-store.js';
import { todoList } from '../../../electron/engine/preflight/run-preflight.js';
import { ehloExtensions, SmtpSession } from '../../../electron/engine/preflight/smtp-session.js';
import { parseSpf, spfCovers } from '../../../electron/engine/preflight/spf-check.js';
import { isExchangeOnlineEws } from '../../../electron/engine/preflight/target-probe.js';

const GiB = 1024 ** 3;

describe('IMAP verdicts that no local server can be made to show', () => {
  it('capabilities: no IMAP4rev1 fails, no SPECIAL-USE warns, both pass', () => {
    expect(capabilityFinding(['IDLE']).verdict).toBe('fail');
    expect(capabilityFinding(['IMAP4REV1', 'IDLE']).verdict).toBe('warn');
    expect(capabilityFinding(['IMAP4REV1', 'SPECIAL-USE']).verdict).toBe('pass');
    expect(capabilityFinding(['IMAP4REV2']).verdict).toBe('warn');
  });

  it('folders: none fails, one that cannot be opened warns', () => {
    expect(folderFinding(0, 0, [], []).verdict).toBe('fail');
    expect(folderFinding(3, 10, ['INBOX: 10 messages'], ['Shared: permission denied']).verdict).toBe('warn');
    expect(folderFinding(3, 10, ['INBOX: 10 messages'], []).verdict).toBe('pass');
  });

  it('size: over the 50 GB Business mailbox warns', () => {
    expect(sizeFinding(51 * GiB, 400_000, 'STATUS (SIZE)').verdict).toBe('warn');
    expect(sizeFinding(49 * GiB, 400_000, 'STATUS (SIZE)').verdict).toBe('pass');
  });

  it('duration at 150 MB per 5 minutes: 40 GB is over a day (warn), 1 GB about 34 minutes (pass)', () => {
    // 150 MiB / 5 min = 1800 MiB an hour; 40 GiB = 40960 MiB → 22.76 h; 50 GiB → 28.44 h.
    expect(durationFinding(40 * GiB).verdict).toBe('pass');
    const fifty = durationFinding(50 * GiB);
    expect(fifty.verdict).toBe('warn');
    expect(fifty.evidence[0]).toMatch(/≈ 28\.4 hours$/);
    expect(durationFinding(GiB).evidence[0]).toMatch(/≈ 35 minutes$/);
  });
});

describe('target', () => {
  it('an EWS target in Exchange Online is flagged (a warning even when it works: EWS leaves on 2027-04-01); on-premises and Graph are not', () => {
    expect(isExchangeOnlineEws('ews:https://outlook.office365.com/EWS/Exchange.asmx')).toBe(true);
    expect(isExchangeOnlineEws('ews:https://mail.contoso.com/EWS/Exchange.asmx')).toBe(false);
    expect(isExchangeOnlineEws('graph:')).toBe(false);
  });
});

describe('findings', () => {
  it('the to-do list puts failures first, then warnings, in check order; passes and skips are not to-dos', () => {
    const finding = (checkId: string, verdict: 'pass' | 'warn' | 'fail' | 'skip') => ({ checkId, area: areaOf(checkId), verdict, title: checkId, evidence: [] });
    const list = [finding('dns.mx.ttl', 'warn'), finding('dns.spf.all', 'fail'), finding('dns.dmarc', 'pass'), finding('smtp.auth', 'fail'), finding('smtp.send', 'skip')];
    expect(todoList(list).map((entry) => entry.checkId)).toEqual(['dns.spf.all', 'smtp.auth', 'dns.mx.ttl']);
    expect(summarize(list)).toEqual({ pass: 1, warn: 1, fail: 2, skip: 1 });
    expect(areaOf('source.imap.size')).toBe('source');
  });

  it('SPF terms: qualifiers, mechanisms and modifiers as RFC 7208 writes them', () => {
    expect(parseSpf('v=spf1 +a -mx:mail.example ~include:x.example ?all redirect=y.example')).toEqual([
      { qualifier: '+', name: 'a', text: '+a' },
      { qualifier: '-', name: 'mx', value: 'mail.example', text: '-mx:mail.example' },
      { qualifier: '~', name: 'include', value: 'x.example', text: '~include:x.example' },
      { qualifier: '?', name: 'all', text: '?all' },
      { qualifier: '+', name: 'redirect', value: 'y.example', text: 'redirect=y.example' },
    ]);
  });

  it("the old server's address is found inside an SPF range (ip4 and ip6), not only as the same text", () => {
    const terms = new Set(['include:spf.protection.outlook.com', 'ip4:198.51.100.0/24', 'ip6:2001:db8::/32', 'a']);
    expect(spfCovers(terms, 'ip4:198.51.100.7')).toBe(true);
    expect(spfCovers(terms, 'ip4:198.51.100.0/25')).toBe(true);
    expect(spfCovers(terms, 'ip4:198.51.0.0/16')).toBe(false);
    expect(spfCovers(terms, 'ip4:203.0.113.7')).toBe(false);
    expect(spfCovers(terms, 'ip6:2001:db8:1::25')).toBe(true);
    expect(spfCovers(terms, 'a')).toBe(true);
    expect(spfCovers(terms, 'mx')).toBe(false);
  });

  it('--dns-server takes an IP and port, never a name (so a test never asks the real DNS to find its DNS)', () => {
    expect(parseServer('127.0.0.1:5353')).toEqual({ host: '127.0.0.1', port: 5353 });
    expect(parseServer('[::1]:53')).toEqual({ host: '::1', port: 53 });
    expect(parseServer('192.0.2.1')).toEqual({ host: '192.0.2.1', port: 53 });
    expect(() => parseServer('dns.example:53')).toThrow(/IP address/);
    expect(() => parseServer('127.0.0.1:70000')).toThrow(/IP address/);
  });
});

describe('SMTP session against hostile servers', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    server = undefined;
  });
  const serve = (onConnection: (socket: Socket) => void): Promise<number> =>
    new Promise((resolve) => {
      server = createServer(onConnection);
      server.listen(0, '127.0.0.1', () => {
        const address = server?.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });

  it('a server that is not SMTP is one clear error', async () => {
    const port = await serve((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await expect(SmtpSession.open('127.0.0.1', port, 2000)).rejects.toThrow(/does not speak SMTP \(it said "HTTP\/1\.1 400 Bad Request"\)/);
  });

  it('an endless multi-line reply stops at 64 KB instead of filling memory', async () => {
    const port = await serve((socket) => {
      const line = `220-${'x'.repeat(1000)}\r\n`;
      const timer = setInterval(() => {
        if (!socket.destroyed) socket.write(line.repeat(20));
      }, 1);
      socket.on('close', () => clearInterval(timer));
      socket.on('error', () => clearInterval(timer));
    });
    await expect(SmtpSession.open('127.0.0.1', port, 5000)).rejects.toThrow(/more than 64 KB/);
  });

  it('a server that never greets times out', async () => {
    const port = await serve(() => undefined);
    await expect(SmtpSession.open('127.0.0.1', port, 300)).rejects.toThrow(/did not answer within/);
  });

  it('EHLO keywords and their parameters', () => {
    expect(ehloExtensions({ code: 250, lines: ['smtp.example Hello', 'SIZE 35882577', 'STARTTLS', 'AUTH LOGIN XOAUTH2'] })).toEqual(
      new Map([
        ['SIZE', ['35882577']],
        ['STARTTLS', []],
        ['AUTH', ['LOGIN', 'XOAUTH2']],
      ]),
    );
  });
});
