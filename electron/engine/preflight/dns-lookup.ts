import { createSocket } from 'node:dgram';
import { getServers, Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { randomInt } from 'node:crypto';

import * as dnsPacket from 'dns-packet';

import { CloudwardError } from '../../contract/index.js';

/** The server is not there (or not answering): no point asking it again. */
const silentCodes = new Set(['ETIMEOUT', 'ECONNREFUSED']);

/** Answers that mean "no such record", not "DNS is broken". */
const emptyCodes = new Set(['ENODATA', 'ENOTFOUND', 'NOTFOUND', 'ENONAME']);

export interface MxRecord {
  exchange: string;
  priority: number;
}

/**
 * DNS for the preflight checks, always through one configurable server (`--dns-server host:port`), so
 * tests ask a dnsmasq on loopback and never leave the machine. Record contents come from node:dns's
 * Resolver; node:dns does not report TTLs for MX/TXT/CNAME, so `ttl()` asks the same server once
 * more with a plain RFC 1035 query over UDP.
 */
export class DnsLookup {
  private readonly resolver: Resolver;
  /** Set once the server timed out or refused: later queries fail at once. */
  private silent: string | undefined;
  readonly server: { host: string; port: number } | undefined;

  constructor(server?: string, private readonly timeoutMs = 3000) {
    this.resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
    if (server !== undefined) {
      this.server = parseServer(server);
      const { host, port } = this.server;
      this.resolver.setServers([isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`]);
    }
  }

  /** Where the answers come from, for the evidence. */
  describe(): string {
    if (this.server) return `DNS server ${this.server.host}:${this.server.port}`;
    return `the system's DNS servers (${getServers().join(', ') || 'none'})`;
  }

  async mx(name: string): Promise<MxRecord[]> {
    const records = await this.ask(name, 'MX', () => this.resolver.resolveMx(name), []);
    return records.map((record) => ({ exchange: record.exchange.toLowerCase().replace(/\.$/, ''), priority: record.priority }));
  }

  /** TXT records, each with its character strings joined (RFC 7208 §3.3: one SPF record may be split). */
  async txt(name: string): Promise<string[]> {
    const records = await this.ask(name, 'TXT', () => this.resolver.resolveTxt(name), []);
    return records.map((chunks) => chunks.join(''));
  }

  async cname(name: string): Promise<string | undefined> {
    const records = await this.ask(name, 'CNAME', () => this.resolver.resolveCname(name), []);
    return records[0]?.toLowerCase().replace(/\.$/, '');
  }

  /** Addresses of a host (A then AAAA), for the SPF `a`/`mx` mechanisms and to see whether a host exists. */
  async addresses(name: string): Promise<string[]> {
    const v4 = await this.ask(name, 'A', () => this.resolver.resolve4(name), []);
    const v6 = await this.ask(name, 'AAAA', () => this.resolver.resolve6(name), []);
    return [...v4, ...v6];
  }

  /** The TTL (seconds) the server gives for `name`'s records of `type`, or undefined when it has none. */
  async ttl(name: string, type: 'MX' | 'TXT' | 'CNAME'): Promise<number | undefined> {
    if (this.silent) throw new CloudwardError('TARGET_UNREACHABLE', `${this.describe()} did not answer the ${type} query for ${name} (${this.silent}, as before)`);
    const server = this.server ?? parseServer(getServers()[0] ?? '127.0.0.1');
    const answer = await rawQuery(server, name, type, this.timeoutMs);
    const ttls = (answer.answers ?? []).filter((record) => record.type === type).map((record) => ('ttl' in record ? (record.ttl ?? 0) : 0));
    return ttls.length === 0 ? undefined : Math.min(...ttls);
  }

  private async ask<T>(name: string, type: string, query: () => Promise<T>, empty: T): Promise<T> {
    if (this.silent) throw new CloudwardError('TARGET_UNREACHABLE', `${this.describe()} did not answer the ${type} query for ${name} (${this.silent}, as before)`);
    try {
      return await query();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (emptyCodes.has(code)) return empty;
      // A server that times out or refuses once is not asked again in this run: a wrong --dns-server would
      // otherwise cost every remaining query its full timeout.
      if (silentCodes.has(code)) this.silent = code;
      throw new CloudwardError('TARGET_UNREACHABLE', `${this.describe()} did not answer the ${type} query for ${name} (${code || (error as Error).message})`, { cause: error });
    }
  }
}

export function parseServer(text: string): { host: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const plain = /^([^:]+)(?::(\d+))?$/.exec(text);
  const host = bracketed?.[1] ?? plain?.[1] ?? (isIP(text) === 6 ? text : undefined);
  const port = Number(bracketed?.[2] ?? plain?.[2] ?? 53);
  if (host === undefined || isIP(host) === 0 || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CloudwardError('BAD_ARGUMENTS', `--dns-server takes an IP address and port such as 127.0.0.1:53, not "${text}"`);
  }
  return { host, port };
}

function rawQuery(server: { host: string; port: number }, name: string, type: 'MX' | 'TXT' | 'CNAME', timeoutMs: number): Promise<dnsPacket.DecodedPacket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIP(server.host) === 6 ? 'udp6' : 'udp4');
    const id = randomInt(0, 0x10000);
    const timer = setTimeout(() => finish(new CloudwardError('TIMEOUT', `DNS server ${server.host}:${server.port} did not answer the ${type} query for ${name}`)), timeoutMs);
    const finish = (error?: Error, answer?: dnsPacket.DecodedPacket): void => {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else if (answer) resolve(answer);
    };
    socket.on('error', (error) => finish(error));
    socket.on('message', (message) => {
      try {
        const answer = dnsPacket.decode(message);
        // A stray or spoofed datagram is ignored; only the answer to our own id counts.
        if (answer.id === id) finish(undefined, answer);
      } catch {
        // An undecodable datagram is not our answer.
      }
    });
    const query = dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }] });
    socket.send(query, server.port, server.host, (error) => {
      if (error) finish(error);
    });
  });
}
