import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { repoRoot } from '../support/fixtures.js';

/**
 * The layering of shared/docs/architecture.md is enforced by lint (build/eslint-layering.js): a forbidden
 * module must be caught however it is reached: static import, import type, import(), require(),
 * export-from, import = require() and import() types. Each case is a whole module so that only the
 * layering rule can speak about it.
 */
const cases: { file: string; source: string; allowed: boolean }[] = [
  // Static imports, room by room.
  { file: 'electron/contract/x.ts', source: "import { readFileSync } from 'node:fs';\nexport const used = [readFileSync];", allowed: false },
  { file: 'electron/contract/x.ts', source: "import { app } from 'electron';\nexport const used = [app];", allowed: false },
  { file: 'electron/contract/x.ts', source: "import { z } from 'zod';\nexport const used = [z];", allowed: true },
  { file: 'electron/engine/pipeline/x.ts', source: "import { app } from 'electron';\nexport const used = [app];", allowed: false },
  { file: 'electron/engine/pipeline/x.ts', source: "import { parseOsppStatus } from '../../../native/index.js';\nexport const used = [parseOsppStatus];", allowed: false },
  { file: 'electron/engine/pipeline/x.ts', source: "import { CloudwardError } from '../../contract/index.js';\nexport const used = [CloudwardError];", allowed: true },
  { file: 'electron/engine/pipeline/x.ts', source: "import { readFileSync } from 'node:fs';\nexport const used = [readFileSync];", allowed: true },
  { file: 'native/src/x.ts', source: "import { Ledger } from '../../electron/engine/ledger/ledger.js';\nexport const used = [Ledger];", allowed: false },
  { file: 'electron/cli/x.ts', source: "import { BrowserWindow } from 'electron';\nexport const used = [BrowserWindow];", allowed: false },
  { file: 'electron/cli/x.ts', source: "import { Ledger } from '../engine/ledger/ledger.js';\nexport const used = [Ledger];", allowed: true },
  { file: 'electron/main/x.ts', source: "import { runJob } from '../engine/pipeline/run-job.js';\nexport const used = [runJob];", allowed: false },
  { file: 'electron/main/x.ts', source: "import { app } from 'electron';\nexport const used = [app];", allowed: true },
  { file: 'electron/preload/x.ts', source: "import { readFileSync } from 'node:fs';\nexport const used = [readFileSync];", allowed: false },
  { file: 'renderer/src/x.ts', source: "import { Ledger } from '../../electron/engine/ledger/ledger.js';\nexport const used = [Ledger];", allowed: false },
  { file: 'renderer/src/x.ts', source: "import { join } from 'node:path';\nexport const used = [join];", allowed: false },
  { file: 'renderer/src/x.ts', source: "import { ipcRenderer } from 'electron';\nexport const used = [ipcRenderer];", allowed: false },
  { file: 'renderer/src/x.ts', source: "import type { CloudwardBridge } from '../../electron/contract/ipc.js';\nexport type Used = CloudwardBridge;", allowed: true },
  // Type-only imports are still imports.
  { file: 'electron/engine/pipeline/x.ts', source: "import type { App } from 'electron';\nexport type Used = App;", allowed: false },
  { file: 'renderer/src/x.ts', source: "export type Used = import('../../electron/engine/ledger/ledger.js').Ledger;", allowed: false },
  { file: 'electron/engine/pipeline/x.ts', source: "export type Used = import('electron').App;", allowed: false },
  { file: 'electron/engine/pipeline/x.ts', source: "export type Used = import('long').default;", allowed: true },
  // Dynamic import(), with a literal or a constant template, and computed.
  { file: 'electron/engine/pipeline/x.ts', source: "export async function load() {\n  return (await import('electron')).app;\n}", allowed: false },
  { file: 'electron/engine/pipeline/x.ts', source: 'export async function load() {\n  return (await import(`electron`)).app;\n}', allowed: false },
  { file: 'renderer/src/x.ts', source: "export const load = () => import('../../electron/engine/ledger/ledger.js');", allowed: false },
  { file: 'electron/engine/pipeline/x.ts', source: "export const load = (name: string) => import('elec' + name);", allowed: false },
  { file: 'electron/engine/pipeline/x.ts', source: "export async function load() {\n  return (await import('../sources/eml/eml-spec.js')).emlSourceSpec;\n}", allowed: true },
  { file: 'electron/cli/x.ts', source: "export const load = () => import('../engine/ledger/ledger.js');", allowed: true },
  // require(), module.require() and import = require().
  { file: 'electron/engine/pipeline/x.ts', source: "export const electron = require('electron');", allowed: false },
  { file: 'electron/contract/x.ts', source: "export const fs = module.require('node:fs');", allowed: false },
  { file: 'electron/engine/pipeline/x.ts', source: "import electron = require('electron');\nexport const used = [electron];", allowed: false },
  { file: 'electron/engine/pipeline/x.ts', source: "export const long = require('long');", allowed: true },
  // Re-exports.
  { file: 'electron/engine/pipeline/x.ts', source: "export { app } from 'electron';", allowed: false },
  { file: 'electron/engine/pipeline/x.ts', source: "export * from 'electron';", allowed: false },
  { file: 'electron/engine/pipeline/x.ts', source: "export * as native from '../../../native/index.js';", allowed: false },
  { file: 'electron/engine/pipeline/x.ts', source: "export { CloudwardError } from '../../contract/index.js';", allowed: true },
];

describe('layering lint rule', () => {
  const eslint = new ESLint({ cwd: repoRoot });
  for (const { file, source, allowed } of cases) {
    it(`${allowed ? 'allows' : 'catches'} ${source.split('\n').join(' ')} in ${file}`, async () => {
      const [result] = await eslint.lintText(`${source}\n`, { filePath: join(repoRoot, file) });
      const messages = result?.messages ?? [];
      expect(messages.filter((message) => message.fatal), 'the case must parse').toEqual([]);
      const layering = messages.filter((message) => message.ruleId === 'layering/imports');
      expect(layering.length > 0, layering.map((message) => message.message).join('; ')).toBe(!allowed);
    });
  }

  it('the repository itself passes (no room reaches past its layering in any form)', async () => {
    const results = await eslint.lintFiles(['electron/**/*.ts', 'native/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.tsx']);
    const hits = results.flatMap((result) => result.messages.filter((message) => message.ruleId === 'layering/imports').map((message) => `${result.filePath}:${message.line} ${message.message}`));
    expect(hits).toEqual([]);
  });
});
