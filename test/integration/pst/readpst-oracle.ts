import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';

/**
 * readpst's output tree, removed. A readpst child killed or still flushing can leave a directory
 * momentarily non-empty (ENOTEMPTY): retry, and never fail a test on cleaning up a temp folder.
 */
function removeTree(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  } catch {
    // Left in the temp folder; the OS cleans it.
  }
}
import { tmpdir } from 'node:os';
import path from 'node:path';

import iconv from 'iconv-lite';

/** Debian's readpst (pst-utils), when installed: the independent reader our counts are checked against. */
export function readpstVersion(): string | undefined {
  const result = spawnSync('readpst', ['-V'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  return /ReadPST[^\n]*/.exec(result.stdout)?.[0]?.trim() ?? 'readpst';
}

export interface OracleFolder {
  /** Folder names below the store's top folder, joined with '/'. */
  path: string;
  files: string[];
}

/** Runs `readpst -D -e` into a temp dir and lists, per folder, the item files it wrote. */
export function readpstExport(file: string, nameCharset?: string): { ok: boolean; folders: Map<string, string[]>; dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cloudward-readpst-'));
  const cleanup = (): void => removeTree(dir);
  // readpst 0.6.76 now and then crashes on a file it reads fine the next time (about one run in twelve
  // on the Outlook.com OST: exit 11). A reader that fails three times in a row really cannot read it.
  let read = false;
  for (let attempt = 0; attempt < 3 && !read; attempt++) {
    removeTree(dir);
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync('readpst', ['-D', '-e', '-q', '-o', dir, file], { stdio: 'ignore', timeout: 120_000 });
      read = true;
    } catch {
      read = false;
    }
  }
  if (!read) return { ok: false, folders: new Map(), dir, cleanup };
  const folders = new Map<string, string[]>();
  const walk = (at: string, rel: string[]): void => {
    const files: string[] = [];
    for (const name of readdirSync(at)) {
      const full = path.join(at, name);
      if (statSync(full).isDirectory()) walk(full, [...rel, name]);
      else if (/\.(eml|vcf|ics)$/.test(name)) files.push(full);
    }
    // The first level is the store's top folder ("Personal Folders"): our paths start below it.
    // readpst writes 8-bit folder names byte for byte as Latin-1: undo that for files in another code page.
    const names = nameCharset ? rel.map((name) => iconv.decode(Buffer.from(name, 'latin1'), nameCharset)) : rel;
    if (rel.length > 0) folders.set(names.slice(1).join('/'), files);
  };
  walk(dir, []);
  return { ok: true, folders, dir, cleanup };
}

/** Debian's pffexport (pff-tools), when installed: the second independent reader. */
export function pffexportAvailable(): boolean {
  const result = spawnSync('pffexport', ['-V'], { encoding: 'utf8' });
  return !result.error && (result.status === 0 || /pffexport/.test(`${result.stdout}${result.stderr}`));
}

const pffItem = /^(Message|Contact|Appointment|DistributionList|Task|Note|Activity|Meeting|Document|Item)\d{5}$/;

export interface PffItem {
  dir: string;
  /** Regular attachments: name (without pffexport's "N_" prefix) and size in bytes. */
  attachments: { name: string; size: number }[];
  /** Embedded-message attachments. */
  embedded: number;
}

/** Runs `pffexport` and lists, per folder below the store's top folder, the items it exported. */
export function pffexportItems(file: string): { ok: boolean; folders: Map<string, PffItem[]>; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cloudward-pffexport-'));
  const cleanup = (): void => removeTree(dir);
  try {
    execFileSync('pffexport', ['-q', '-t', path.join(dir, 'out'), file], { stdio: 'ignore', timeout: 120_000 });
  } catch {
    return { ok: false, folders: new Map(), cleanup };
  }
  const root = path.join(dir, 'out.export');
  const folders = new Map<string, PffItem[]>();
  const tops = readdirSync(root).filter((name) => statSync(path.join(root, name)).isDirectory());
  // The store's top folder is the root directory with the most subfolders (the others are search roots).
  const countDirs = (at: string): number => readdirSync(at).filter((name) => statSync(path.join(at, name)).isDirectory()).length;
  const top = tops.sort((a, b) => countDirs(path.join(root, b)) - countDirs(path.join(root, a)))[0];
  if (!top) return { ok: true, folders, cleanup };
  const walk = (at: string, rel: string[]): void => {
    const items: PffItem[] = [];
    for (const name of readdirSync(at)) {
      const full = path.join(at, name);
      if (!statSync(full).isDirectory()) continue;
      if (pffItem.test(name)) {
        const item: PffItem = { dir: full, attachments: [], embedded: 0 };
        const attachments = path.join(full, 'Attachments');
        try {
          for (const entry of readdirSync(attachments)) {
            const entryPath = path.join(attachments, entry);
            if (statSync(entryPath).isDirectory()) item.embedded++;
            else item.attachments.push({ name: entry.replace(/^\d+_/, ''), size: statSync(entryPath).size });
          }
        } catch {
          // No attachments.
        }
        items.push(item);
      } else {
        walk(full, [...rel, name]);
      }
    }
    folders.set(rel.join('/'), items);
  };
  walk(path.join(root, top), []);
  return { ok: true, folders, cleanup };
}
