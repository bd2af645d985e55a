import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { repoRoot } from '../../support/fixtures.js';

/** app-builder-lib's own loader and schema check, as `electron-builder` runs them (no Electron binary needed). */
const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig: (projectDir: string, configPath: string | null, configFromOptions: unknown) => Promise<Record<string, unknown>>;
  validateConfiguration: (config: unknown, log: unknown) => Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const configFile = join(repoRoot, 'build/electron-builder.yml');
const scratch = mkdtempSync(join(tmpdir(), 'cloudward-builder-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('build/electron-builder.yml', () => {
  it('passes electron-builder validation', async () => {
    const config = await getConfig(repoRoot, configFile, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('packs the compiled app, unpacks native modules and never rebuilds them here', async () => {
    const config = await getConfig(repoRoot, configFile, null);
    expect(config.productName).toBe('Cloudward');
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z0-9-]+)+$/);
    // getConfig normalises `files` into { filter } objects; plain strings are accepted too.
    const patterns = [config.files].flat(2).flatMap((entry) => (typeof entry === 'string' ? [entry] : (entry as { filter: string[] }).filter));
    expect(patterns).toEqual(expect.arrayContaining(['package.json', 'build/out/**/*']));
    expect([config.asarUnpack].flat()).toEqual(['**/*.node']);
    expect(config.npmRebuild).toBe(false);
  });

  it('burns the security fuses into the Electron binary', async () => {
    const config = await getConfig(repoRoot, configFile, null);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('is a validator that does reject a wrong configuration', async () => {
    const bad = join(scratch, 'bad.yml');
    writeFileSync(bad, 'appId: x.y\nelectronFuses:\n  runAsNode: "no"\nlinux: 42\n');
    const config = await getConfig(repoRoot, bad, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/Invalid configuration object/);
  });
});
