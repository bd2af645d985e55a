import { toCloudwardError } from '../../contract/index.js';
import { resolveTarget } from '../specs/registry.js';
import { splitSpec, type SpecContext } from '../specs/spec.js';
import type { Target } from '../targets/target.js';
import { check, type PreflightProbe } from './probe.js';

/*
 * EWS in Exchange Online is blocked from 2026-10-01 unless the tenant sets EWSEnabled=True and allow-lists the app
 * (EwsAllowedAppIDs); a blocked request gets HTTP 403 with no SOAP fault, and EWS is removed on 2027-04-01
 * (shared/docs/ews-graph.md §1 and "EWS blocked": Set-OrganizationConfig -EwsEnabled / -EwsAllowedAppIDs,
 * learn.microsoft.com/powershell/module/exchange/set-organizationconfig). The target's own open() probes access
 * (C's EWS target, D's Graph target), so this check signs in exactly as the migration will.
 */
const accessCheck = check('target', 'target.access', 'Target: reachable, signed in and allowed');
const exchangeOnlineHost = /(^|\.)outlook\.office(365)?\.com$/i;

/** An ews: target in Exchange Online (outlook.office365.com), where EWS is being retired. */
export function isExchangeOnlineEws(spec: string): boolean {
  const parts = splitSpec(spec);
  if (parts?.scheme !== 'ews') return false;
  try {
    return exchangeOnlineHost.test(new URL(parts.rest).hostname);
  } catch {
    return false;
  }
}

export const targetProbe: PreflightProbe = {
  area: 'target',
  checks: [accessCheck],
  async run({ request, secrets, log, prompter }) {
    const spec = request.target ?? '';
    const scheme = splitSpec(spec)?.scheme ?? '';
    const context: SpecContext = { secrets, log, options: { ...request.targetOptions }, ...(prompter ? { prompter } : {}) };
    let target: Target;
    try {
      const { handler } = await resolveTarget(spec);
      target = handler.create(spec, context);
    } catch (error) {
      const cause = toCloudwardError(error);
      return [accessCheck.fail([`${spec}: ${cause.code}: ${cause.message}`], 'Give the target as the migration will use it (for example ews:https://host/EWS/Exchange.asmx or graph: with --target-mailbox), then run the preflight again.')];
    }
    const evidence = [`target ${target.label}`];
    try {
      await target.open();
    } catch (error) {
      const cause = toCloudwardError(error);
      evidence.push(`${cause.code}: ${cause.message}`);
      switch (cause.code) {
        case 'TARGET_BLOCKED':
          return [
            accessCheck.fail(
              [...evidence, scheme === 'ews' ? 'EWS answered 403: blocked by the tenant’s policy (off by default in Exchange Online since 2026-10-01)' : 'the service refuses this kind of access'],
              scheme === 'ews'
                ? 'Use the graph: target instead (EWS leaves Exchange Online on 2027-04-01), or have the admin run Set-OrganizationConfig -EWSEnabled $true and add Cloudward’s app id to -EWSAllowedAppIDs.'
                : 'Have the tenant admin grant Cloudward’s app access to this mailbox (admin consent for Mail.ReadWrite), then run the preflight again.',
            ),
          ];
        case 'TARGET_AUTH_FAILED':
        case 'TOKEN_EXPIRED':
          return [accessCheck.fail([...evidence, 'the sign-in was refused'], 'Check the account, password or token for the target (keychain or CLOUDWARD_TARGET_PASSWORD / CLOUDWARD_TARGET_TOKEN) and that it may open the target mailbox.')];
        case 'SECRET_MISSING':
        case 'BAD_ARGUMENTS':
          return [accessCheck.fail(evidence, 'Give what the target needs (for example --target-mailbox and a token or password in the keychain), then run the preflight again.')];
        default:
          return [accessCheck.fail(evidence, 'Check the target address and that this PC can reach it, then run the preflight again.')];
      }
    } finally {
      await target.close().catch(() => undefined);
    }
    if (isExchangeOnlineEws(spec)) {
      return [accessCheck.warn([...evidence, 'EWS works today, but Exchange Online removes it on 2027-04-01'], 'Prefer the graph: target for Exchange Online, so later runs keep working.')];
    }
    return [accessCheck.pass([...evidence, 'opened: the service answered and accepted the sign-in'])];
  },
};
