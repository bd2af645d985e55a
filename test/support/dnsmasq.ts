import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** dnsmasq (Debian: apt-get install -y dnsmasq-base) is on PATH; DNS tests skip with this reason otherwise. */
export const dnsmasqPath = ['/usr/sbin/dnsmasq', '/usr/bin/dnsmasq'].find((path) => spawnSync('test', ['-x', path]).status === 0);
export const hasDnsmasq = dnsmasqPath !== undefined;
export const noDnsmasqReason = 'dnsmasq is not installed (apt-get install -y dnsmasq-base): DNS preflight tests against a real DNS server skipped';

/** One test's zone: what the DNS server answers. Everything else is NXDOMAIN (`--local=/#/`), never forwarded. */
export interface Zone {
  mx?: { name: string; host: string; preference?: number }[];
  txt?: { name: string; text: string }[];
  cname?: { alias: string; target: string }[];
  hosts?: { name: string; address: string }[];
  /** TTL of every record (dnsmasq's --local-ttl covers MX, TXT and CNAME from its configuration). Default 300. */
  ttl?: number;
}

export interface DnsServer {
  /** host:port for --dns-server. */
  readonly address: string;
  readonly port: number;
  stop(): Promise<void>;
}

async function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** The zone as a dnsmasq configuration file: only there are quoted TXT values (with commas and spaces) kept whole. */
function zoneConfig(zone: Zone): string {
  return [
    ...(zone.mx ?? []).map((record) => `mx-host=${record.name},${record.host},${record.preference ?? 10}`),
    ...(zone.txt ?? []).map((record) => `txt-record=${record.name},"${record.text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`),
    ...(zone.cname ?? []).map((record) => `cname=${record.alias},${record.target}`),
    ...(zone.hosts ?? []).map((record) => `host-record=${record.name},${record.address}`),
    '',
  ].join('\n');
}

/**
 * A dnsmasq on 127.0.0.1 and a free high port, serving exactly `zone`, unprivileged where it can be,
 * in the foreground (so it dies with its process), with no upstream and no /etc/hosts.
 */
export async function startDnsmasq(zone: Zone): Promise<DnsServer> {
  if (!dnsmasqPath) throw new Error(noDnsmasqReason);
  const dir = mkdtempSync(join(tmpdir(), 'cloudward-dnsmasq-'));
  const pidFile = join(dir, 'dnsmasq.pid');
  const confFile = join(dir, 'zone.conf');
  writeFileSync(confFile, zoneConfig(zone));
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = await freeUdpPort();
    const args = [
      '--keep-in-foreground',
      `--port=${port}`,
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      '--no-resolv',
      '--no-hosts',
      // Our zone file instead of /etc/dnsmasq.conf.
      `--conf-file=${confFile}`,
      '--local=/#/',
      `--pid-file=${pidFile}`,
      `--local-ttl=${zone.ttl ?? 300}`,
      // As root dnsmasq would switch to "nobody", which cannot write the pid file in our temp dir.
      ...(process.getuid?.() === 0 ? ['--user=root'] : []),
    ];
    const child = spawn(dnsmasqPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const ready = await waitReady(port, exited);
    if (ready) {
      return {
        address: `127.0.0.1:${port}`,
        port,
        async stop() {
          if (child.exitCode === null) {
            child.kill('SIGTERM');
            await exited;
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    // Port taken between our probe and dnsmasq's bind: try another.
    if (!/Address already in use/i.test(stderr)) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`dnsmasq did not start: ${stderr.trim() || 'no answer'}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error('dnsmasq did not start: no free port');
}

async function waitReady(port: number, exited: Promise<number | null>): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  const resolver = new Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  for (let i = 0; i < 50 && !gone; i += 1) {
    try {
      await resolver.resolveTxt('ready.invalid');
      return true;
    } catch (error) {
      // NXDOMAIN is an answer: the server is up.
      if ((error as NodeJS.ErrnoException).code === 'ENOTFOUND') return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

