import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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
    expect(config.nodeGypRebuild).toBe(false);
  });

  it('builds a per-user NSIS installer that never asks for administrator rights, and a portable .exe', async () => {
    const config = await getConfig(repoRoot, configFile, null);
    const win = config.win as { target: { target: string; arch: string[] }[]; requestedExecutionLevel: string };
    expect(win.target.map((entry) => entry.target).sort()).toEqual(['nsis', 'portable']);
    expect(win.requestedExecutionLevel).toBe('asInvoker');
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: false, deleteAppDataOnUninstall: false });
    expect(config.portable).toMatchObject({ requestExecutionLevel: 'user' });
  });

  it('packs what the app loads at run time: main, preload, utility entry and the built renderer', async () => {
    const config = await getConfig(repoRoot, configFile, null);
    const patterns = [config.files].flat(2).flatMap((entry) => (typeof entry === 'string' ? [entry] : (entry as { filter: string[] }).filter));
    // package.json "main" must be inside the packed files, and the paths main.ts computes (paths.ts) with it.
    const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { main: string; allowScripts: Record<string, boolean> };
    expect(packageJson.main).toBe('build/out/electron/main/main.js');
    expect(patterns).toContain('build/out/**/*');
    const { builtPaths } = await import('../../../electron/main/paths.js');
    // paths.ts resolves from its own folder; compiled, that folder is build/out/electron/main.
    const mainDir = join(repoRoot, 'electron/main');
    expect(relative(mainDir, builtPaths.preload)).toBe(join('..', 'preload', 'preload.cjs'));
    expect(relative(mainDir, builtPaths.engineEntry)).toBe(join('..', 'cli', 'utility-entry.js'));
    expect(relative(mainDir, builtPaths.rendererRoot)).toBe(join('..', '..', 'renderer'));
    // Electron's own postinstall (a download) stays denied on machines without network access.
    expect(packageJson.allowScripts.electron).toBe(false);
  });

  it('has a Windows CI workflow that rebuilds native modules for Electron, packs, and smoke-starts the app', () => {
    const workflow = readFileSync(join(repoRoot, 'build/ci/windows.yml'), 'utf8');
    expect(workflow).toMatch(/runs-on: windows-/);
    expect(workflow).toContain('electron-builder install-app-deps');
    expect(workflow).toContain('--config build/electron-builder.yml --win');
    expect(workflow).toMatch(/smoke/i);
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
