import { readFileSync } from 'node:fs';

/**
 * The Entra app registration (a multi-tenant public client) that device-code sign-in uses when the job
 * names none: CLOUDWARD_CLIENT_ID, else the build's own (package.json `cloudward.clientId`, empty in the
 * repository: the release pipeline fills it). Undefined means nobody configured one, so the person must
 * give --client-id (CLI) or the wizard's "Application (client) ID" field.
 */
export function defaultClientId(environment: NodeJS.ProcessEnv, packageJson: URL = new URL('../../../../package.json', import.meta.url)): string | undefined {
  const fromEnvironment = environment.CLOUDWARD_CLIENT_ID?.trim();
  if (fromEnvironment) return fromEnvironment;
  try {
    const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as { cloudward?: { clientId?: unknown } };
    const built = pkg.cloudward?.clientId;
    return typeof built === 'string' && built.trim() !== '' ? built.trim() : undefined;
  } catch {
    return undefined;
  }
}
