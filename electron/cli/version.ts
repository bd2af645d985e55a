import { readFileSync } from 'node:fs';

/** The app's version from package.json (build/out/electron/cli/ is four levels below it). */
export function appVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}
