import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createLogger } from '../../../electron/engine/log/logger.js';
import type { SecretProvider, SecretRole } from '../../../electron/engine/secrets/secret-provider.js';
import { imapSourceSpec } from '../../../electron/engine/sources/imap/imap-spec.js';
import { parseImapSpec } from '../../../electron/engine/sources/imap/imap-address.js';
import { ImapSource, type ImapTuning } from '../../../electron/engine/sources/imap/imap-source.js';
import { buildLogin } from '../../../electron/engine/sources/imap/login-format.js';
import type { Source } from '../../../electron/engine/sources/source.js';
import type { SpecOptions } from '../../../electron/engine/specs/spec.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';
import { toImapWire } from '../../support/dovecot.js';

/** Secrets held in memory, keyed by role and account, like the keychain. */
export class MemorySecrets implements SecretProvider {
  readonly values = new Map<string, string>();
  async get(role: SecretRole, account: string): Promise<string | undefined> {
    return this.values.get(`${role} ${account}`);
  }
  async set(role: SecretRole, account: string, secret: string): Promise<void> {
    this.values.set(`${role} ${account}`, secret);
  }
  async delete(role: SecretRole, account: string): Promise<boolean> {
    return this.values.delete(`${role} ${account}`);
  }
}

/** Builds a source the way the CLI will: through imapSourceSpec with a secret store. */
export function sourceFromSpec(spec: string, secrets: SecretProvider, options: SpecOptions = {}): Source {
  imapSourceSpec.validate(spec);
  return imapSourceSpec.create(spec, { secrets, log: createLogger(), options });
}

/** A source with test tuning (small chunks, short timeouts) that the spec handler does not expose. */
export function tunedSource(spec: string, password: string, ca: Buffer, tuning: Partial<ImapTuning>): ImapSource {
  const address = parseImapSpec(spec);
  return new ImapSource({ address, ca, tuning, login: async () => buildLogin(address.user, password) });
}

export interface EmlFixture {
  name: string;
  /** The file's bytes as IMAP carries them (CRLF line ends). */
  wire: Buffer;
  raw: Buffer;
}

/** The *.eml fixtures (not the TNEF/.dat files). */
export function emlFixtures(): EmlFixture[] {
  if (!hasFixtures) return [];
  const dir = join(fixturesDir, 'eml');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => {
      const raw = readFileSync(join(dir, name));
      return { name, raw, wire: toImapWire(raw) };
    });
}
