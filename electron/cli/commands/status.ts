import { existsSync } from 'node:fs';

import { CloudwardError } from '../../contract/error-catalogue.js';
import { Ledger } from '../../engine/ledger/ledger.js';
import { parse } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { defaultLedger } from '../data-paths.js';
import { exitCodes } from '../exit-codes.js';

export const statusUsage = 'cloudward status [--ledger FILE] [--json]';

/** What the ledger says: per job and mailbox, items done, skipped, failed and not finished. */
export async function statusCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { ledger: { type: 'string' }, json: { type: 'boolean' } });
  const file = values.ledger ?? defaultLedger(io.environment);
  if (!existsSync(file)) throw new CloudwardError('BAD_ARGUMENTS', `No ledger at ${file}`);
  const ledger = Ledger.open(file);
  try {
    const jobs = ledger.jobs().map((job) => ({
      id: job.id,
      source: job.source,
      target: job.target,
      ...ledger.jobCounts(job.id),
      mailboxes: ledger.mailboxes(job.id).map((mailbox) => {
        const counts = { done: 0, skipped: 0, failed: 0, pending: 0 };
        for (const row of ledger.folderCounts(mailbox.id)) counts[row.state] += row.items;
        return { label: mailbox.label, state: mailbox.state, ...counts, ...(mailbox.reason ? { error: `${mailbox.code}: ${mailbox.reason}` } : {}) };
      }),
    }));
    if (values.json) {
      io.stdout.write(JSON.stringify({ ledger: file, jobs }) + '\n');
    } else if (jobs.length === 0) {
      io.stdout.write(`${file}: no jobs yet\n`);
    } else {
      for (const job of jobs) {
        io.stdout.write(`Job ${job.id}: ${job.source} -> ${job.target}\n  ${job.done} done, ${job.skipped} skipped (${job.duplicates} duplicates), ${job.failed} failed, ${job.pending} not finished\n`);
        for (const mailbox of job.mailboxes) {
          io.stdout.write(`  ${mailbox.label} [${mailbox.state}]: ${mailbox.done} done, ${mailbox.skipped} skipped, ${mailbox.failed} failed, ${mailbox.pending} not finished${'error' in mailbox ? ` - ${mailbox.error}` : ''}\n`);
        }
      }
    }
    return exitCodes.ok;
  } finally {
    ledger.close();
  }
}
