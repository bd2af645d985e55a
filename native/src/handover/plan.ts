import { createHash } from 'node:crypto';

import type { HandoverInventory, HandoverPlan, PlanStep } from '../../../electron/contract/index.js';
import { keyId } from '../registry-path.js';
import { assertAllowed, type HandoverScope } from './locations.js';
import { stepCommand } from './step-commands.js';

type StepDraft = Omit<PlanStep, 'id'>;

/** What identifies a step's effect: the token changes when any of these change, never with the wording. */
function fingerprint(steps: readonly PlanStep[]): string {
  const parts = steps.map((step) => [step.kind, step.target.toLowerCase(), step.valueName ?? '', step.osppPath?.toLowerCase() ?? '', step.credentialStore === true ? 'store' : ''].join('|'));
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

/**
 * Every removal, in the order a run makes them, each with why; a step outside the allow-list throws
 * OUTSIDE_ALLOW_LIST and no plan is made. Order: product keys first (they need the licensing service,
 * which reads the other locations), then registry, credentials, folders.
 */
export function buildPlan(inventory: HandoverInventory, scope: HandoverScope, options: { includeCredentialStore?: boolean; now?: () => Date } = {}): HandoverPlan {
  const drafts: StepDraft[] = [];
  const add = (draft: StepDraft): void => {
    assertAllowed(draft, scope);
    drafts.push({ ...draft, command: stepCommand(draft, scope.registryView64 === true) });
  };
  for (const key of inventory.productKeys) {
    add({
      kind: 'unpkey',
      target: key.lastFive,
      osppPath: key.osppPath,
      why: `product key ending ${key.lastFive} (${key.licenseName}${key.status === undefined ? '' : `, ${key.status}`}) stays bound to the previous activation`,
      needsElevation: true,
    });
  }
  for (const location of inventory.registry) {
    const machine = keyId(location.key).startsWith('hklm\\');
    const elevated = machine || scope.otherUser;
    if (location.valueName !== undefined) {
      add({ kind: 'delete-registry-value', target: location.key, valueName: location.valueName, why: location.purpose, needsElevation: elevated });
    } else {
      const identities = inventory.identities.filter((identity) => keyId(identity.key).startsWith(`${keyId(location.key)}\\`));
      const emails = [...new Set(identities.flatMap((identity) => (identity.email === undefined ? [] : [identity.email])))];
      add({ kind: 'delete-registry-key', target: location.key, why: emails.length > 0 ? `${location.purpose} (${emails.join(', ')})` : location.purpose, needsElevation: elevated });
    }
  }
  for (const credential of inventory.credentials) {
    add({ kind: 'delete-credential', target: credential.target, why: 'a cached Office, Teams or OneDrive sign-in token of the previous user', needsElevation: false });
  }
  for (const folder of inventory.folders) {
    add({ kind: 'delete-folder', target: folder.path, why: `${folder.purpose} (${folder.files} file(s))`, needsElevation: scope.otherUser || folder.path.toLowerCase().startsWith(scope.programData.toLowerCase()) });
  }
  if (options.includeCredentialStore === true) {
    for (const folder of inventory.credentialStore) {
      add({ kind: 'delete-folder', target: folder.path, why: folder.purpose, needsElevation: scope.otherUser, credentialStore: true });
    }
  }

  const steps = drafts.map((draft, index) => ({ id: `s${String(index + 1).padStart(2, '0')}`, ...draft }));
  const warnings = [...inventory.warnings];
  const elevated = steps.filter((step) => step.needsElevation).length;
  if (elevated > 0 && !inventory.isAdmin) warnings.push(`${elevated} step(s) need an administrator: run from an elevated prompt, or those steps fail with ELEVATION_REQUIRED and the rest still run.`);
  if (options.includeCredentialStore === true && inventory.credentialStore.length > 0) {
    warnings.push("--include-credential-store removes EVERY saved password of this user (Windows, browsers, mapped drives, VPN), not only Office's. A backup is made, but restoring DPAPI data needs the user's old password.");
  }
  return {
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    confirmToken: fingerprint(steps),
    includeCredentialStore: options.includeCredentialStore === true,
    steps,
    warnings,
    inventory,
  };
}

export { fingerprint as planFingerprint };
