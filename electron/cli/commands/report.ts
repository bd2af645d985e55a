import { existsSync, writeFileSync } from 'node:fs';

import { CloudwardError } from '../../contract/error-catalogue.js';
import { Ledger } from '../../engine/ledger/ledger.js';
import { buildJobReports, type JobReport } from '../../engine/report/report-data.js';
import { parse } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { defaultLedger } from '../data-paths.js';
import { exitCodes } from '../exit-codes.js';

export const reportUsage = 'cloudward report [--ledger FILE] --format html|csv|json [--out FILE]';

// Only the chosen format's renderer loads: csv-stringify is not paid for by html or json (start-up, issue 15).
async function render(format: string, reports: JobReport[]): Promise<string> {
  if (format === 'html') return (await import('../../engine/report/html-report.js')).renderHtml(reports);
  if (format === 'csv') return (await import('../../engine/report/csv-report.js')).renderCsv(reports);
  return JSON.stringify({ jobs: reports }, null, 2) + '\n';
}

export async function reportCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { ledger: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } });
  const format = values.format ?? 'html';
  if (!['html', 'csv', 'json'].includes(format)) throw new CloudwardError('BAD_ARGUMENTS', `--format takes html, csv or json, not "${format}"`);
  const file = values.ledger ?? defaultLedger(io.environment);
  if (!existsSync(file)) throw new CloudwardError('BAD_ARGUMENTS', `No ledger at ${file}`);
  const ledger = Ledger.open(file);
  let reports: JobReport[];
  try {
    reports = buildJobReports(ledger);
  } finally {
    ledger.close();
  }
  const text = await render(format, reports);
  if (values.out) {
    try {
      writeFileSync(values.out, text);
    } catch (error) {
      throw new CloudwardError('BAD_ARGUMENTS', `Cannot write ${values.out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    io.stderr.write(`Report written to ${values.out}\n`);
  } else {
    io.stdout.write(text);
  }
  return exitCodes.ok;
}
