import type { HandoverInventory, HandoverPlan, HandoverRunResult, PlanStep, StepResult } from '../../../electron/contract/index.js';

/**
 * What was done, for the customer's file: the PC, the previous user's accounts found, each step with
 * why and its result, where the backup is, and what the check afterwards found. Plain text for the
 * terminal and a self-contained HTML page (no scripts, no external resources) for the file.
 */

const statusWords: Record<StepResult['status'], string> = {
  done: 'removed',
  'would-do': 'would be removed (dry run)',
  'already-gone': 'was already gone',
  failed: 'FAILED',
  skipped: 'skipped',
};

export function describeStep(step: Pick<PlanStep, 'kind' | 'target' | 'valueName' | 'osppPath'>): string {
  switch (step.kind) {
    case 'unpkey':
      return `Uninstall the product key ending ${step.target} (OSPP.VBS /unpkey:${step.target})`;
    case 'delete-registry-key':
      return `Delete registry key ${step.target}`;
    case 'delete-registry-value':
      return `Delete registry value ${step.valueName ?? ''} in ${step.target}`;
    case 'delete-credential':
      return `Delete saved credential ${step.target}`;
    case 'delete-folder':
      return `Delete folder ${step.target}`;
  }
}

function accounts(inventory: HandoverInventory): string[] {
  return [...new Set([...inventory.identities.map((identity) => identity.email), ...inventory.vnextLicenses.map((licence) => licence.email)].filter((email): email is string => email !== undefined))];
}

export function inventoryText(inventory: HandoverInventory): string {
  const lines = [
    `PC ${inventory.computerName ?? '(unknown)'}, user ${inventory.user.name ?? inventory.user.sid ?? '(unknown)'}${inventory.isAdmin ? ' (administrator)' : ''}, read ${inventory.takenAt} (${inventory.source})`,
    `Office: ${inventory.installs.map((install) => `${install.kind} ${install.version} ${install.bitness}-bit${install.productReleaseIds.length > 0 ? ` [${install.productReleaseIds.join(', ')}]` : ''}${install.osppPath === undefined ? '' : `, OSPP.VBS at ${install.osppPath}`}`).join('; ') || 'none found'}`,
    `Licensing: ${inventory.licensing.mode}${inventory.licensing.sharedComputerActivation ? ', shared computer activation' : ''}`,
    `Accounts: ${accounts(inventory).join(', ') || 'none'}`,
    `Product keys: ${inventory.productKeys.map((key) => `ending ${key.lastFive}: ${key.licenseName}${key.status === undefined ? '' : ` (${key.status})`}`).join('; ') || 'none'}`,
    `Identities: ${inventory.identities.length}; vNext licences: ${inventory.vnextLicenses.map((licence) => `${licence.product ?? licence.unreadable ?? '?'}${licence.notAfter === undefined ? '' : ` until ${licence.notAfter}`}`).join(', ') || 'none'}`,
    `Credentials: ${inventory.credentials.length}; registry locations: ${inventory.registry.length}; licensing folders: ${inventory.folders.length}`,
    `Other profiles: ${inventory.otherProfiles.map((profile) => `${profile.sid}${profile.loaded ? ' (loaded)' : ''}`).join(', ') || 'none'}`,
    ...inventory.warnings.map((warning) => `! ${warning}`),
  ];
  return lines.join('\n') + '\n';
}

export function planText(plan: HandoverPlan): string {
  const lines = [
    ...plan.steps.map((step) => `${step.id}  ${describeStep(step)}${step.needsElevation ? '  [administrator]' : ''}\n      why: ${step.why}${step.command === undefined ? '' : `\n      does: ${step.command}`}`),
    plan.steps.length === 0 ? 'Nothing to remove: this PC holds no Office sign-in of a previous user.' : `${plan.steps.length} step(s). Confirm token: ${plan.confirmToken}`,
    ...plan.warnings.map((warning) => `! ${warning}`),
  ];
  return lines.join('\n') + '\n';
}

export function runText(result: HandoverRunResult): string {
  const steps = new Map(result.plan.steps.map((step) => [step.id, step]));
  const lines = [
    `Handover ${result.runId}${result.dryRun ? ' (dry run: nothing was changed)' : ''}, ${result.startedAt} to ${result.finishedAt}`,
    ...(result.backupDir === undefined ? [] : [`Backup: ${result.backupDir}`]),
    ...result.results.map((entry) => {
      const step = steps.get(entry.stepId);
      return `${entry.stepId}  ${step === undefined ? entry.target : describeStep(step)}: ${statusWords[entry.status]}${entry.error === undefined ? '' : ` (${entry.error.code}: ${entry.error.message})`}`;
    }),
    result.clean ? 'Check afterwards: clean, no Office sign-in of the previous user is left.' : `Check afterwards: ${result.remaining.length} item(s) left:`,
    ...result.remaining.map((item) => `  ${item}`),
    ...result.after.warnings.filter((warning) => warning.startsWith('Could not')).map((warning) => `! ${warning}`),
  ];
  const elevated = result.results.filter((entry) => entry.error?.code === 'ELEVATION_REQUIRED').length;
  if (elevated > 0) lines.push(`${elevated} step(s) need an administrator: open an elevated prompt, run \`cloudward handover plan\` and confirm what is left.`);
  return lines.join('\n') + '\n';
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}

export function runHtml(result: HandoverRunResult): string {
  const inventory = result.plan.inventory;
  const steps = new Map(result.plan.steps.map((step) => [step.id, step]));
  const rows = result.results
    .map((entry) => {
      const step = steps.get(entry.stepId);
      return `<tr class="${entry.status}"><td>${escape(entry.stepId)}</td><td>${escape(step === undefined ? entry.target : describeStep(step))}</td><td>${escape(step?.why ?? '')}</td><td>${escape(statusWords[entry.status])}${entry.error === undefined ? '' : `<br><small>${escape(`${entry.error.code}: ${entry.error.message}`)}</small>`}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Office handover report: ${escape(inventory.computerName ?? result.runId)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:4px 6px;text-align:left;vertical-align:top}tr.failed td{background:#fde2e1}.clean{color:#05610a}.left{color:#8a1c14}</style></head>
<body>
<h1>Office handover report</h1>
<p>PC <strong>${escape(inventory.computerName ?? '(unknown)')}</strong>, user ${escape(inventory.user.name ?? inventory.user.sid ?? '(unknown)')}. ${escape(result.startedAt)} to ${escape(result.finishedAt)}.${result.dryRun ? ' <strong>Dry run: nothing was changed.</strong>' : ''}</p>
<p>Previous accounts found: ${escape(accounts(inventory).join(', ') || 'none')}. Licensing: ${escape(inventory.licensing.mode)}${inventory.licensing.sharedComputerActivation ? ', shared computer activation' : ''}.</p>
${result.backupDir === undefined ? '' : `<p>Backup of everything removed (registry exports, folder copies, credential names): <code>${escape(result.backupDir)}</code></p>`}
<table><thead><tr><th>Step</th><th>What</th><th>Why</th><th>Result</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Check afterwards</h2>
${result.clean ? '<p class="clean">Clean: no Office licence, identity or credential of the previous user is left.</p>' : `<p class="left">${result.remaining.length} item(s) left:</p><ul>${result.remaining.map((item) => `<li>${escape(item)}</li>`).join('')}</ul>`}
</body></html>
`;
}
