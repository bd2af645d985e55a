import { CloudwardError } from '../../contract/index.js';
import type { MailboxPlan } from '../pipeline/job-types.js';
import { batchRowSourceSpec, readMigrationCsv } from '../sources/imap/batch-csv.js';
import { imapPasswordAccount, imapSourceSpec } from '../sources/imap/imap-spec.js';
import type { SecretProvider } from '../secrets/secret-provider.js';
import { normalizeSpec, type SpecContext, type TargetSpecHandler } from '../specs/spec.js';
import { mailboxIdentity } from './mailbox-identity.js';

/**
 * A secret provider that holds a batch's passwords for this run when the keychain cannot: they stay in
 * memory only, never in SQLite or on disk.
 */
class BatchSecrets implements SecretProvider {
  private readonly memory = new Map<string, string>();

  constructor(private readonly inner: SecretProvider) {}

  async get(role: Parameters<SecretProvider['get']>[0], account: string): Promise<string | undefined> {
    return this.memory.get(`${role}:${account}`) ?? this.inner.get(role, account);
  }

  async set(role: Parameters<SecretProvider['set']>[0], account: string, secret: string): Promise<void> {
    try {
      await this.inner.set(role, account, secret);
    } catch {
      this.memory.set(`${role}:${account}`, secret);
    }
  }

  async delete(role: Parameters<SecretProvider['delete']>[0], account: string): Promise<boolean> {
    this.memory.delete(`${role}:${account}`);
    return this.inner.delete(role, account).catch(() => false);
  }
}

/** One mailbox per good row of Microsoft's IMAP migration CSV; every row's password goes to the keychain. */
export async function planBatch(
  csvFile: string,
  sourceSpec: string,
  target: { handler: TargetSpecHandler; rest: string },
  context: SpecContext,
): Promise<{ plans: MailboxPlan[]; errors: { line: number; reason: string }[]; removePasswords: () => Promise<void> }> {
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
    await secrets.set('source-password', account, row.password);
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
    removePasswords: async () => {
      for (const account of accounts) await secrets.delete('source-password', account);
    },
  };
}
