import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { SourceFolder, SourceItem } from '../../../electron/engine/model/items.js';
import { PstSource } from '../../../electron/engine/sources/pst/pst-source.js';
import { notUserData } from '../../../electron/engine/sources/pst/user-data.js';
import { FakeSourceContext } from '../../support/fake-source-context.js';
import { fixturesDir, hasFixtures, repoRoot } from '../../support/fixtures.js';
import { pffexportAvailable } from './readpst-oracle.js';

const pstDir = path.join(fixturesDir, 'pst');
const pffexport = pffexportAvailable();
const ci = process.env['CI'] === 'true';
if (!hasFixtures) console.warn(`PST hidden folders: tests skipped: no fixtures at ${fixturesDir}`);
else if (!pffexport) console.warn('PST hidden folders: oracle test skipped: pffexport (Debian pff-tools) is not installed');

const corrupt = (name: string): boolean => name.startsWith('NOT_A_PST') || name.includes('BADHEADERCRC');
const fixtures = hasFixtures ? readdirSync(pstDir).filter((name) => name.endsWith('.pst') && !corrupt(name)).map((name) => path.join(pstDir, name)) : [];
/** The Outlook.com OSTs pst-extractor ships: Yammer Root, Quick Step Settings, hidden contact folders. */
const packageData = path.join(repoRoot, 'node_modules/pst-extractor/example/testdata');
const packaged = existsSync(packageData) ? readdirSync(packageData).filter((name) => /\.(pst|ost)$/.test(name)).map((name) => path.join(packageData, name)) : [];
/** pffexport -d costs about 10 s of CPU per Outlook.com OST, and both OSTs carry the same hidden folders: one is enough. */
const files = [...fixtures, ...packaged.filter((file) => file.endsWith('pstextractortest@outlook.com.ost') || file.endsWith('.pst'))].sort();

async function readFolders(file: string): Promise<{ folders: SourceFolder[]; items: SourceItem[] }> {
  const source = new PstSource([file]);
  await source.open();
  const folders: SourceFolder[] = [];
  const items: SourceItem[] = [];
  try {
    for await (const entry of source.entries(new FakeSourceContext())) {
      if (entry.type === 'folder') folders.push(entry.folder);
      else items.push(entry.item);
    }
  } finally {
    await source.close();
  }
  return { folders, items };
}

const pffItemDir = /^(Message|Contact|Appointment|DistributionList|Task|Note|Activity|Meeting|Document|Item)\d{5}$/;

/** PR_ATTR_HIDDEN (0x10f4, PT_BOOLEAN) as `pffexport -d` dumps a folder's own values in ItemValues.txt. */
function pffHidden(folderDir: string): boolean {
  const file = path.join(folderDir, 'ItemValues.txt');
  if (!existsSync(file)) return false;
  const entry = /Entry type:\s+0x000010f4\s+Value type:\s+0x0000000b\s+Value:\s+0x00000000: ([0-9a-f]{2})/i.exec(readFileSync(file, 'latin1'));
  return entry !== null && entry[1] !== '00';
}

/** Folders below the store's top folder in a pffexport tree: relative path → directory. */
function exportedFolders(root: string): Map<string, string> {
  const subdirs = (at: string): string[] => readdirSync(at).filter((name) => statSync(path.join(at, name)).isDirectory() && !pffItemDir.test(name));
  // An OST's user folders are below "Root - Mailbox/IPM_SUBTREE"; a PST's below its top folder, the
  // root-level folder with the most subfolders (the others are search roots).
  const ost = path.join(root, 'Root - Mailbox', 'IPM_SUBTREE');
  const top = existsSync(ost) ? ost : path.join(root, subdirs(root).sort((a, b) => subdirs(path.join(root, b)).length - subdirs(path.join(root, a)).length)[0] ?? '');
  const out = new Map<string, string>();
  const walk = (at: string, rel: string[]): void => {
    for (const name of subdirs(at)) {
      out.set([...rel, name].join('/'), path.join(at, name));
      walk(path.join(at, name), [...rel, name]);
    }
  };
  walk(top, []);
  return out;
}

/**
 * What pffexport (libpff, an independent reader) says: every folder below the top (a plain export),
 * and which of them Outlook hides: PR_ATTR_HIDDEN on it or on a folder above, read from the values
 * `pffexport -d` dumps. That dump is slow and on some files stops early (DFRWS: Inbox, Sent Items, Drafts
 * and Junk E-mail are missing from it), so `dumped` says which folders it covers.
 */
function pffFolders(file: string): { all: string[]; hidden: Set<string>; dumped: Set<string> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cloudward-pff-hidden-'));
  try {
    execFileSync('pffexport', ['-q', '-t', path.join(dir, 'plain'), file], { stdio: 'ignore', timeout: 120_000 });
    try {
      execFileSync('pffexport', ['-q', '-d', '-t', path.join(dir, 'values'), file], { stdio: 'ignore', timeout: 280_000 });
    } catch {
      // A partial dump still tells about the folders it reached.
    }
    const all = [...exportedFolders(path.join(dir, 'plain.export')).keys()];
    const dumpedDirs = existsSync(path.join(dir, 'values.export')) ? exportedFolders(path.join(dir, 'values.export')) : new Map<string, string>();
    const hidden = new Set<string>();
    for (const [folder, at] of dumpedDirs) {
      const parent = folder.split('/').slice(0, -1).join('/');
      if (pffHidden(at) || (parent !== '' && hidden.has(parent))) hidden.add(folder);
    }
    return { all, hidden, dumped: new Set(dumpedDirs.keys()) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!hasFixtures || (!pffexport && !ci))('PST: what Outlook shows is migrated, its hidden system folders are not', () => {
  // pffexport -d dumps every item's values too: about 10 s of CPU for each Outlook.com OST.
  it.each(files.map((file) => [path.basename(file), file]))('%s: the folders skipped as hidden are the ones pffexport reads PR_ATTR_HIDDEN on', { timeout: 300_000 }, async (_name, file) => {
    const ours = await readFolders(file);
    const theirs = pffFolders(file);
    const skipped = ours.folders.filter((folder) => folder.skipped !== undefined).map((folder) => folder.path.join('/'));
    // Every folder pffexport reads as hidden is skipped, and every folder we skip is one it read as hidden.
    expect([...theirs.hidden].sort()).toEqual(skipped.filter((folder) => theirs.dumped.has(folder)).sort());
    expect(skipped.filter((folder) => !theirs.dumped.has(folder)), 'skipped, but pffexport dumped no values for them').toEqual([]);
    // pffexport renames a second folder of the same name to FolderNNNNN; the source merges the two into
    // one (same path), so those renamed ones are not counted. The rest must match one for one.
    const shown = ours.folders.filter((folder) => folder.skipped === undefined && folder.path.length > 0);
    const renamed = theirs.all.filter((folder) => /(^|\/)Folder\d{5}$/.test(folder));
    expect(shown.length).toBe(theirs.all.length - theirs.hidden.size - renamed.length);
    for (const folder of ours.folders.filter((entry) => entry.skipped !== undefined)) expect(folder.skipped).toMatch(/hidden system folder .* \(Outlook does not show it\)$/);
    // Every item of these files is user data in a shown folder: nothing of it is skipped.
    expect(ours.items.filter((item) => item.skip !== undefined).map((item) => item.key)).toEqual([]);
  });

  it('the Outlook.com OST: Yammer, Quick Steps, conversation actions and the hidden contact folders are skipped, the Inbox is not', async () => {
    const ost = packaged.find((file) => file.endsWith('pstextractortest@outlook.com.ost'));
    if (!ost) {
      expect.fail(`pst-extractor no longer ships ${packageData}/pstextractortest@outlook.com.ost`);
      return;
    }
    const { folders } = await readFolders(ost);
    const skipped = new Set(folders.filter((folder) => folder.skipped !== undefined).map((folder) => folder.path.join('/')));
    for (const hidden of ['Yammer Root', 'Yammer Root/Inbound', 'Quick Step Settings', 'Conversation Action Settings', 'Files', 'ExternalContacts', 'Contacts/Recipient Cache', 'Contacts/GAL Contacts']) {
      expect(skipped.has(hidden), hidden).toBe(true);
    }
    for (const shown of ['Inbox', 'Sent Items', 'Calendar', 'Contacts', 'Sync Issues', 'Calendar/United States holidays']) expect(skipped.has(shown), shown).toBe(false);
  });
});

describe('PST message classes: user data or Outlook’s own', () => {
  it.each([
    ['IPM.Note', true],
    ['IPM.Note.SMIME.MultipartSigned', true],
    ['IPM.Post', true],
    ['IPM.Contact', true],
    ['IPM.DistList', true],
    ['IPM.Appointment', true],
    ['IPM.Schedule.Meeting.Request', true],
    ['IPM.Task', true],
    ['IPM.StickyNote', true],
    ['IPM.Activity', true],
    ['REPORT.IPM.Note.NDR', true],
    ['IPM', true],
    ['', true],
    ['IPM.Configuration.Autocomplete', false],
    ['IPM.Microsoft.FolderDesign.NamedView', false],
    ['IPM.ConversationAction', false],
    ['IPM.ExtendedRule.Message', false],
    ['IPM.Rule.Version2.Message', false],
    ['IPM.AbchPerson', false],
    ['IPC.MS.Outlook.AgingProperties', false],
  ] as const)('%s is user data: %s', (messageClass, user) => {
    expect(notUserData(messageClass) === undefined).toBe(user);
  });
});
