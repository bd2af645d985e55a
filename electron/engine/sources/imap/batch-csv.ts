import { open } from 'node:fs/promises';

import { parse } from 'csv-parse/sync';

import { CloudwardError } from '../../../contract/index.js';

/** One mailbox of Microsoft's IMAP migration CSV: EmailAddress,UserName,Password[,UserRoot]. */
export interface MigrationCsvRow {
  /** 1-based line in the file, for reports. */
  line: number;
  emailAddress: string;
  userName: string;
  password: string;
  userRoot?: string;
}

export interface MigrationCsvResult {
  rows: MigrationCsvRow[];
  errors: { line: number; reason: string }[];
}

/** Microsoft's limits for one migration batch. */
export const maxCsvRows = 50_000;
export const maxCsvBytes = 10 * 1024 * 1024;

const columns = ['emailaddress', 'username', 'password', 'userroot'] as const;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Reads the CSV as Excel writes it: UTF-8 with or without BOM, ',' or ';' (European Excel), quoted
 * fields, CRLF, blank trailing rows. Every bad row is reported with its line; good rows still count.
 * Whole-file problems (too big, no header) throw BAD_ARGUMENTS.
 */
export async function readMigrationCsv(file: string): Promise<MigrationCsvResult> {
  const text = await readLimited(file);
  const headerLine = (text.replace(/^\uFEFF/, '').split(/\r?\n/).find((line) => line.trim() !== '') ?? '').trim();
  const delimiter = countOutsideQuotes(headerLine, ';') > countOutsideQuotes(headerLine, ',') ? ';' : ',';
  let records: { record: string[]; line: number }[];
  try {
    const parsed = parse(text, {
      bom: true,
      delimiter,
      relax_column_count: true,
      raw: true,
    }) as unknown as { record: string[]; raw: string }[];
    // Line numbers from the raw text (csv-parse counts a CRLF inside quotes twice): every record's
    // raw text, blank lines included, adds up to the file, so the breaks before a record give its line.
    let breaks = 0;
    records = parsed.map(({ record, raw }) => {
      const line = 1 + breaks + lineBreaks(/^[\r\n]*/.exec(raw)?.[0] ?? '');
      breaks += lineBreaks(raw);
      return { record, line };
    });
  } catch (error) {
    const where = (error as { lines?: number }).lines;
    throw new CloudwardError('BAD_ARGUMENTS', `${file}${where ? ` line ${where}` : ''}: not a readable CSV (${(error as Error).message})`);
  }
  const nonBlank = records.filter(({ record }) => record.some((field) => field.trim() !== ''));
  const header = nonBlank.shift();
  if (!header) throw new CloudwardError('BAD_ARGUMENTS', `${file}: empty; expected the header EmailAddress,UserName,Password[,UserRoot]`);
  const index = headerIndex(header.record, file);
  const result: MigrationCsvResult = { rows: [], errors: [] };
  if (nonBlank.length > maxCsvRows) {
    throw new CloudwardError('BAD_ARGUMENTS', `${file}: ${nonBlank.length} rows; a batch takes at most ${maxCsvRows}`);
  }
  const seen = new Map<string, number>();
  for (const { record, line } of nonBlank) {
    const field = (name: (typeof columns)[number]): string => {
      const at = index.get(name);
      return at === undefined ? '' : (record[at] ?? '');
    };
    // A password is taken as written, spaces included; the other fields lose stray spaces.
    const emailAddress = field('emailaddress').trim();
    const userName = field('username').trim();
    const password = field('password');
    const userRoot = field('userroot').trim();
    const problems: string[] = [];
    if (record.length > header.record.length && record.slice(header.record.length).some((extra) => extra.trim() !== '')) {
      problems.push(`${record.length} fields where the header has ${header.record.length} (an unquoted separator?)`);
    }
    if (emailAddress === '') problems.push('EmailAddress is empty');
    else if (!emailPattern.test(emailAddress)) problems.push(`EmailAddress "${emailAddress}" is not an e-mail address`);
    if (userName === '') problems.push('UserName is empty');
    if (password === '') problems.push('Password is empty');
    const earlier = seen.get(emailAddress.toLowerCase());
    if (emailAddress !== '' && earlier !== undefined) problems.push(`EmailAddress ${emailAddress} already on line ${earlier}`);
    if (problems.length > 0) {
      result.errors.push({ line, reason: problems.join('; ') });
      continue;
    }
    seen.set(emailAddress.toLowerCase(), line);
    result.rows.push({ line, emailAddress, userName, password, ...(userRoot !== '' ? { userRoot } : {}) });
  }
  return result;
}

/** The source spec for one CSV row: `imaps://<userName, URL-encoded>@host[:port]` from `--source imaps://host`. */
export function batchRowSourceSpec(base: string, row: Pick<MigrationCsvRow, 'userName'>): string {
  const match = /^(imaps?):\/\/(?:[^@/]*@)?([^/@]+?)\/*$/i.exec(base.trim());
  if (!match) {
    throw new CloudwardError('BAD_ARGUMENTS', `--source ${base}: with --batch, give imap://HOST[:PORT] or imaps://HOST[:PORT]`);
  }
  return `${(match[1] ?? '').toLowerCase()}://${encodeURIComponent(row.userName)}@${match[2] ?? ''}`;
}

async function readLimited(file: string): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new CloudwardError('BAD_ARGUMENTS', `${file} cannot be read (${(error as { code?: string }).code ?? 'error'})`);
  }
  try {
    const { size } = await handle.stat();
    if (size > maxCsvBytes) {
      throw new CloudwardError('BAD_ARGUMENTS', `${file} is ${(size / 1024 / 1024).toFixed(1)} MB; a batch CSV may be at most 10 MB`);
    }
    const bytes = await handle.readFile();
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    try {
      return text.decode(bytes);
    } catch {
      throw new CloudwardError('BAD_ARGUMENTS', `${file} is not UTF-8; save it from Excel as "CSV UTF-8"`);
    }
  } finally {
    await handle.close();
  }
}

function headerIndex(header: string[], file: string): Map<(typeof columns)[number], number> {
  const index = new Map<(typeof columns)[number], number>();
  header.forEach((name, at) => {
    const key = name.trim().toLowerCase().replace(/[\s_]/g, '') as (typeof columns)[number];
    if ((columns as readonly string[]).includes(key) && !index.has(key)) index.set(key, at);
  });
  const missing = columns.slice(0, 3).filter((name) => !index.has(name));
  if (missing.length > 0) {
    throw new CloudwardError(
      'BAD_ARGUMENTS',
      `${file}: header must be EmailAddress,UserName,Password[,UserRoot] (missing ${missing.join(', ')})`,
    );
  }
  return index;
}

function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

function countOutsideQuotes(line: string, character: string): number {
  let count = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === character && !quoted) count++;
  }
  return count;
}
