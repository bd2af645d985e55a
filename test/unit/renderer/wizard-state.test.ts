import { describe, expect, it } from 'vitest';

import { jobSpecSchema } from '../../../electron/contract/index.js';
import {
  buildJobSpec,
  initialWizardState,
  isEwsUrl,
  loadWizardState,
  saveWizardState,
  sourceProblem,
  targetProblem,
  wizardStorageKey,
  type WizardState,
} from '../../../renderer/src/state/wizard-state.js';

function memoryStorage(initial: Record<string, string> = {}) {
  const map = new Map(Object.entries(initial));
  return { getItem: (key: string) => map.get(key) ?? null, setItem: (key: string, value: string) => void map.set(key, value), removeItem: (key: string) => void map.delete(key), map };
}

const state = (change: (state: WizardState) => WizardState) => change(structuredClone(initialWizardState));

describe('the wizard\'s saved state', () => {
  it('comes back after a close exactly as it was', () => {
    const storage = memoryStorage();
    const saved = state((s) => ({ ...s, step: 'progress', jobId: 12, target: { ...s.target, kind: 'folder', folder: 'D:\\Backup' } }));
    saveWizardState(storage, saved);
    expect(loadWizardState(storage)).toEqual(saved);
  });

  it('starts afresh on damaged, foreign or missing data instead of breaking', () => {
    for (const value of ['{', 'null', '{"version":2}', JSON.stringify({ ...initialWizardState, step: 'nowhere' })]) {
      expect(loadWizardState(memoryStorage({ [wizardStorageKey]: value }))).toEqual(initialWizardState);
    }
    expect(loadWizardState(undefined)).toEqual(initialWizardState);
    const throwing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('full'); }, removeItem: () => undefined };
    expect(loadWizardState(throwing)).toEqual(initialWizardState);
    expect(() => saveWizardState(throwing, initialWizardState)).not.toThrow();
  });
});

describe('the wizard\'s answers as a job spec (the CLI\'s --source/--target)', () => {
  it('Microsoft 365 through Graph (EWS is blocked in Exchange Online) with a device code, from hand-picked PSTs merged into one mailbox', () => {
    const spec = buildJobSpec(state((s) => ({
      ...s,
      target: { ...s.target, kind: 'm365', mailbox: ' ann@contoso.be ' },
      source: { ...s.source, kind: 'files', files: ['C:\\a.pst'], manualPath: 'D:\\b.pst' },
    })));
    expect(spec).toEqual({
      source: 'pst:C:\\a.pst,D:\\b.pst',
      target: 'graph:',
      options: { targetMailbox: 'ann@contoso.be', targetAuth: 'device-code' },
    });
    expect(jobSpecSchema.safeParse(spec).success).toBe(true);
  });

  it('an on-premises Exchange server stays on EWS', () => {
    const spec = buildJobSpec(state((s) => ({
      ...s,
      target: { ...s.target, kind: 'exchange', mailbox: 'ann@contoso.be', ewsUrl: 'https://mail.contoso.be/EWS/Exchange.asmx', auth: 'ntlm' },
      source: { ...s.source, kind: 'files', files: ['C:\\a.pst'], manualPath: '' },
    })));
    expect(spec.target).toBe('ews:https://mail.contoso.be/EWS/Exchange.asmx');
    expect(spec.options).toEqual({ targetMailbox: 'ann@contoso.be', targetAuth: 'ntlm' });
  });

  it('an IMAP account: user name escaped, default port left out, STARTTLS as imap://', () => {
    const imap = (change: Partial<WizardState['source']['imap']>) =>
      buildJobSpec(state((s) => ({ ...s, target: { ...s.target, kind: 'folder', folder: '/tmp/out' }, source: { ...s.source, kind: 'imap', imap: { ...s.source.imap, ...change } } })));
    expect(imap({ host: 'imap.gmail.com', user: 'ann@gmail.com' }).source).toBe('imaps://ann%40gmail.com@imap.gmail.com');
    expect(imap({ host: 'mail.example.be', port: 143, security: 'starttls', user: 'ann' }).source).toBe('imap://ann@mail.example.be');
    expect(imap({ host: 'mail.example.be', port: 1993, user: 'ann' }).source).toBe('imaps://ann@mail.example.be:1993');
    expect(imap({ user: 'x' }).target).toBe('dir:/tmp/out');
  });

  it('says what is missing before the person can go on', () => {
    expect(targetProblem(initialWizardState.target)).toBe('mailbox');
    expect(targetProblem({ ...initialWizardState.target, mailbox: 'ann@contoso.be' })).toBeUndefined();
    expect(targetProblem({ ...initialWizardState.target, kind: 'exchange', mailbox: 'ann@contoso.be', ewsUrl: 'http://mail.contoso.be/EWS/Exchange.asmx' })).toBe('ewsUrl');
    expect(targetProblem({ ...initialWizardState.target, kind: 'folder' })).toBe('folder');
    expect(sourceProblem(initialWizardState.source)).toBe('files');
    expect(sourceProblem({ ...initialWizardState.source, kind: 'imap' })).toBe('user');
  });

  it('never sends a password in clear over a network: http only to this PC', () => {
    expect(isEwsUrl('https://mail.contoso.be/EWS/Exchange.asmx')).toBe(true);
    expect(isEwsUrl('http://127.0.0.1:8080/EWS/Exchange.asmx')).toBe(true);
    expect(isEwsUrl('http://mail.contoso.be/EWS/Exchange.asmx')).toBe(false);
    expect(isEwsUrl('https://user:pw@mail.contoso.be/EWS')).toBe(false);
    expect(isEwsUrl('not a url')).toBe(false);
  });
});
