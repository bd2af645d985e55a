import { describe, expect, it } from 'vitest';

import { jobSpecSchema } from '../../../electron/contract/index.js';
import { buildAutocompleteJobSpecs, buildJobSpec, initialWizardState, loadWizardState, targetProblem, type WizardState, wizardStorageKey } from '../../../renderer/src/state/wizard-state.js';

// Issue 11: with no app registration built in (app:info signInConfigured false), the technician types one.
const appId = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const m365 = (clientId: string): WizardState => ({
  ...initialWizardState,
  target: { ...initialWizardState.target, kind: 'm365', mailbox: 'ann@contoso.be', clientId },
  source: { ...initialWizardState.source, files: ['C:\\Users\\Ann\\Documents\\Outlook.pst'], autocomplete: ['C:\\Users\\Ann\\Stream_Autocomplete_0.dat'] },
});

describe('the wizard\'s Application (client) ID for Microsoft 365 sign-in', () => {
  it('goes into the job spec as clientId, trimmed, alongside device-code, for the mail and the autocomplete jobs', () => {
    const spec = buildJobSpec(m365(`  ${appId} `));
    expect(spec).toMatchObject({ target: 'graph:', options: { targetAuth: 'device-code', targetMailbox: 'ann@contoso.be', clientId: appId } });
    expect(jobSpecSchema.parse(spec).options.clientId).toBe(appId);
    expect(buildAutocompleteJobSpecs(m365(appId))[0]?.options?.clientId).toBe(appId);
  });

  it('is left out when none was typed, so the service uses the app\'s own', () => {
    expect(buildJobSpec(m365('')).options).not.toHaveProperty('clientId');
  });

  it('must be a GUID when the service has no default, and may be left empty when it has one', () => {
    expect(targetProblem(m365('').target, true)).toBe('clientId');
    expect(targetProblem(m365('my-app').target, true)).toBe('clientId');
    expect(targetProblem(m365('0f1e2d3c4b5a49688776a5b4c3d2e1f0').target, true)).toBe('clientId');
    expect(targetProblem(m365(appId).target, true)).toBeUndefined();
    expect(targetProblem(m365(appId.toUpperCase()).target, true)).toBeUndefined();
    expect(targetProblem(m365('').target, false)).toBeUndefined();
    expect(targetProblem(m365('not-a-guid').target, false)).toBe('clientId');
    // Only Microsoft 365 signs in with a code: an Exchange server never needs it.
    expect(targetProblem({ ...m365('').target, kind: 'exchange', ewsUrl: 'https://mail.contoso.be/EWS/Exchange.asmx' }, true)).toBeUndefined();
  });

  it('is kept across closing the app, and a state saved before it existed still loads', () => {
    const saved = new Map<string, string>([[wizardStorageKey, JSON.stringify(m365(appId))]]);
    const storage = { getItem: (key: string) => saved.get(key) ?? null, setItem: () => undefined, removeItem: () => undefined };
    expect(loadWizardState(storage).target.clientId).toBe(appId);
    const { clientId: _dropped, ...older } = m365(appId).target;
    saved.set(wizardStorageKey, JSON.stringify({ ...m365(appId), step: 'target', target: older }));
    expect(loadWizardState(storage).target.clientId).toBeUndefined();
    expect(loadWizardState(storage)).toMatchObject({ step: 'target', target: { mailbox: 'ann@contoso.be' } });
  });
});
