import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { jobSpecSchema } from '../../../electron/contract/index.js';
import { readAutocomplete } from '../../../electron/engine/autocomplete/index.js';
import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import { runJob } from '../../../electron/engine/pipeline/run-job.js';
import { resolveSource, resolveTarget } from '../../../electron/engine/specs/registry.js';
import {
  autocompleteFiles,
  buildAutocompleteJobSpecs,
  buildJobSpec,
  initialWizardState,
  loadWizardState,
  wizardStorageKey,
  type WizardState,
} from '../../../renderer/src/state/wizard-state.js';
import { MemorySecrets, silentLog } from '../../integration/ews/ews-helpers.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';

const nk2 = path.join(fixturesDir, 'nk2/hughbe_Outlook.NK2');
const state = (change: (state: WizardState) => WizardState) => change(structuredClone(initialWizardState));
const withList = (s: WizardState): WizardState => ({
  ...s,
  source: { ...s.source, files: ['C:\\mail\\ann.pst'], autocomplete: ['C:\\Users\\Ann\\AppData\\Roaming\\Microsoft\\Outlook\\Outlook.NK2'], autocompleteOffered: true },
});

describe('the wizard with an autocomplete list chosen', () => {
  it('adds one nk2: job per list, into the same target with the same options as the mail job', () => {
    for (const target of [
      { kind: 'exchange', mailbox: 'ann@contoso.be', ewsUrl: 'https://mail.contoso.be/EWS/Exchange.asmx', auth: 'ntlm', folder: '' },
      { kind: 'm365', mailbox: 'ann@contoso.be', ewsUrl: '', auth: 'basic', folder: '' },
      { kind: 'folder', mailbox: '', ewsUrl: '', auth: 'basic', folder: 'D:\\Backup' },
    ] as const) {
      const chosen = state((s) => withList({ ...s, target }));
      const mail = buildJobSpec(chosen);
      const specs = buildAutocompleteJobSpecs(chosen);
      expect(specs).toEqual([{ source: 'nk2:C:\\Users\\Ann\\AppData\\Roaming\\Microsoft\\Outlook\\Outlook.NK2', target: mail.target, options: mail.options }]);
      for (const spec of specs) expect(jobSpecSchema.parse(spec)).toEqual(spec);
    }
  });

  it('brings the ticked lists and the one typed by hand once each, and nothing when none is chosen', () => {
    const chosen = state((s) => withList(s));
    chosen.source.autocomplete.push('D:\\old\\Stream_Autocomplete_0_AB.dat');
    chosen.source.autocompleteManual = '  D:\\old\\Stream_Autocomplete_0_AB.dat ';
    expect(autocompleteFiles(chosen.source)).toEqual(['C:\\Users\\Ann\\AppData\\Roaming\\Microsoft\\Outlook\\Outlook.NK2', 'D:\\old\\Stream_Autocomplete_0_AB.dat']);
    expect(buildAutocompleteJobSpecs(state((s) => ({ ...s, source: { ...s.source, files: ['a.pst'] } })))).toEqual([]);
  });

  it('does not hand an IMAP server\'s certificate to the autocomplete job', () => {
    const chosen = state((s) => {
      const listed = withList(s);
      return { ...listed, target: { ...s.target, kind: 'folder', folder: '/tmp/out' }, source: { ...listed.source, kind: 'imap', imap: { ...s.source.imap, user: 'ann', ca: '/etc/ca.pem' } } };
    });
    expect(buildJobSpec(chosen).options).toEqual({ sourceCa: '/etc/ca.pem' });
    expect(buildAutocompleteJobSpecs(chosen)[0]!.options).toEqual({});
  });

  it('resumes a state saved before autocomplete existed, with nothing chosen', () => {
    const old = JSON.parse(JSON.stringify(initialWizardState)) as { source: Record<string, unknown> };
    delete old.source['autocomplete'];
    delete old.source['autocompleteManual'];
    delete old.source['autocompleteOffered'];
    const storage = { getItem: (key: string) => (key === wizardStorageKey ? JSON.stringify({ ...old, step: 'sources' }) : null), setItem: () => undefined, removeItem: () => undefined };
    const loaded = loadWizardState(storage);
    expect(loaded.step).toBe('sources');
    expect(loaded.source.autocomplete).toEqual([]);
    expect(loaded.source.autocompleteOffered).toBe(false);
  });

  describe.skipIf(!hasFixtures)('run as the service runs it (fixture skipped when /work/shared/fixtures is absent)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cw-wizard-ac-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('the spec the wizard builds puts the NK2\'s entries into the folder target\'s autocomplete', async () => {
      const out = path.join(dir, 'out');
      const chosen = state((s) => ({ ...withList(s), target: { ...s.target, kind: 'folder', folder: out }, source: { ...withList(s).source, autocomplete: [nk2] } }));
      const [spec] = buildAutocompleteJobSpecs(chosen);
      const source = (await resolveSource(spec!.source)).handler;
      const target = (await resolveTarget(spec!.target)).handler;
      const context = { secrets: new MemorySecrets(), log: silentLog, options: spec!.options ?? {} };
      const ledger = Ledger.open(path.join(dir, 'ledger.sqlite'));
      try {
        await runJob({
          ledger,
          source: spec!.source,
          target: spec!.target,
          mailboxes: [{ label: 'ann', source: spec!.source, target: spec!.target, createSource: () => source.create(spec!.source, context), createTarget: () => target.create(spec!.target, context) }],
        });
        const job = ledger.findOrCreateJob(spec!.source, spec!.target);
        expect(ledger.mailboxes(job.id)[0]!.note).toBe('Autocomplete: 1 entries in Inbox/autocomplete.dat and autocomplete.csv');
      } finally {
        ledger.close();
      }
      // The NK2 fixture's one row (see test/integration/autocomplete/dir-autocomplete.test.ts): weight 0x3DF... = 40960.
      const { entries } = readAutocomplete(new Uint8Array(readFileSync(path.join(out, 'Inbox', 'autocomplete.dat'))));
      expect(entries.map(({ address, weight }) => [address, weight])).toEqual([['hughbellars@gmail.com', 40960]]);
    });
  });
});
