import { existsSync, writeFileSync } from 'node:fs';

import { CloudwardError } from '../../contract/index.js';
import { Ledger } from '../../engine/ledger/ledger.js';
import { renderCsv } from '../../engine/report/csv-report.js';
import { renderHtml } from '../../engine/report/html-report.js';
import { buildJobReports } from '../../engine/report/report-data.js';
import { parse } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { defaultLedger } from '../data-paths.js';
import { exitCodes } from '../exit-codes.js';

export const reportUsage = 'cloudward report [--ledger FILE] --format html|csv|json [--out FILE]';

export async function reportCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { ledger: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } });
  const format = values.format ?? 'html';
  if (!['html', 'csv', 'json'].includes(format)) throw new CloudwardError('BAD_ARGUMENTS', `--format takes html, csv or json, not "${format}"`);
  const file = values.ledger ?? defaultLedger(io.environment);
  if (!existsSync(file)) throw new CloudwardError('BAD_ARGUMENTS', `No ledger at ${file}`);
  const ledger = Ledger.open(file);
  let text: string;
  try {
    const reports = buildJobReports(ledger);
    text = format === 'html' ? renderHtml(reports) : format === 'csv' ? renderCsv(reports) : JSON.stringify({ jobs: reports }, null, 2) + '\n';
  } finally {
    ledger.close();
  }
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
