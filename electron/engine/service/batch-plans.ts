import { CloudwardError } from '../../contract/index.js';
import type { MailboxPlan } from '../pipeline/job-types.js';
import { batchRowSourceSpec, readMigrationCsv } from '../sources/imap/batch-csv.js';
import { imapPasswordAccount, imapSourceSpec } from '../sources/imap/imap-spec.js';
import type { SecretProvider } from '../secrets/secret-provider.js';
import { normalizeSpec, type SpecContext, type TargetSpecHandler } from '../specs/spec.js';
import { mailboxIdentity } from './mailbox-identity.js';

/**
 * A secret provider that holds a batch's passwords in memory from planning on: a plan that is never
 * started (or expires) leaves nothing in the keychain. They go to the keychain only when the job starts
 * (persist); where the keychain cannot take them they stay in memory for this run, never in SQLite or on disk.
 */
class BatchSecrets implements SecretProvider {
  private readonly memory = new Map<string, string>();
  private readonly held = new Map<string, { role: Parameters<SecretProvider['set']>[0]; account: string; secret: string }>();

  constructor(private readonly inner: SecretProvider) {}

  async get(role: Parameters<SecretProvider['get']>[0], account: string): Promise<string | undefined> {
    const key = `${role}:${account}`;
    return this.held.get(key)?.secret ?? this.memory.get(key) ?? this.inner.get(role, account);
  }

  async set(role: Parameters<SecretProvider['set']>[0], account: string, secret: string): Promise<void> {
    try {
      await this.inner.set(role, account, secret);
    } catch {
      this.memory.set(`${role}:${account}`, secret);
    }
  }

  /** Kept in memory until persist() or forget(). */
  hold(role: Parameters<SecretProvider['set']>[0], account: string, secret: string): void {
    this.held.set(`${role}:${account}`, { role, account, secret });
  }

  async persist(): Promise<void> {
    for (const [key, { role, account, secret }] of this.held) {
      await this.set(role, account, secret);
      this.held.delete(key);
    }
  }

  forget(): void {
    this.held.clear();
    this.memory.clear();
  }

  async refused(role: Parameters<SecretProvider['delete']>[0], account: string): Promise<void> {
    this.memory.delete(`${role}:${account}`);
    this.held.delete(`${role}:${account}`);
    await this.inner.refused?.(role, account);
  }

  async delete(role: Parameters<SecretProvider['delete']>[0], account: string): Promise<boolean> {
    this.memory.delete(`${role}:${account}`);
    this.held.delete(`${role}:${account}`);
    return this.inner.delete(role, account).catch(() => false);
  }
}

/**
 * One mailbox per good row of Microsoft's IMAP migration CSV. Every row's password is held in memory with
 * the plan; `persistPasswords` (at job start) puts them in the keychain, `forgetPasswords` (plan expired) drops them.
 */
export async function planBatch(
  csvFile: string,
  sourceSpec: string,
  target: { handler: TargetSpecHandler; rest: string },
  context: SpecContext,
): Promise<{
  plans: MailboxPlan[];
  errors: { line: number; reason: string }[];
  persistPasswords: () => Promise<void>;
  forgetPasswords: () => void;
  removePasswords: () => Promise<void>;
}> {
  if (!/^imaps?:\/\//i.test(sourceSpec)) throw new CloudwardError('BAD_ARGUMENTS', '--batch takes an IMAP source: --source imaps://HOST[:PORT]');
  const csv = await readMigrationCsv(csvFile);
  const secrets = new BatchSecrets(context.secrets);
  const batchContext: SpecContext = { ...context, secrets };
  const accounts: string[] = [];
  const plans: MailboxPlan[] = [];
  for (const row of csv.rows) {
    const spec = batchRowSourceSpec(sourceSpec, row);
    const account = imapPasswordAccount(spec, context.options.adminUser);
    // With an admin login the CSV's password column is the admin's; it is stored all the same.
    secrets.hold('source-password', account, row.password);
    accounts.push(account);
    const rowContext: SpecContext = row.userRoot ? { ...batchContext, options: { ...batchContext.options, userRoot: row.userRoot } } : batchContext;
    plans.push({
      label: row.emailAddress,
      source: spec,
      target: `${normalizeSpec(target.rest)}#${row.emailAddress}`,
      identity: await mailboxIdentity(spec, target.rest, row.emailAddress),
      createSource: () => imapSourceSpec.create(spec, rowContext),
      createTarget: () => target.handler.create(target.rest, batchContext, row.emailAddress),
    });
  }
  return {
    plans,
    errors: csv.errors,
    persistPasswords: () => secrets.persist(),
    forgetPasswords: () => secrets.forget(),
    removePasswords: async () => {
      for (const account of accounts) await secrets.delete('source-password', account);
    },
  };
}
