import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { repoRoot } from '../support/fixtures.js';

/** The layering of shared/docs/architecture.md is enforced by lint: these imports must be caught. */
const cases: { file: string; source: string; allowed: boolean }[] = [
  { file: 'electron/contract/x.ts', source: "import { readFileSync } from 'node:fs';", allowed: false },
  { file: 'electron/contract/x.ts', source: "import { app } from 'electron';", allowed: false },
  { file: 'electron/contract/x.ts', source: "import { z } from 'zod';", allowed: true },
  { file: 'electron/engine/pipeline/x.ts', source: "import { app } from 'electron';", allowed: false },
  { file: 'electron/engine/pipeline/x.ts', source: "import { parseOsppStatus } from '../../../native/index.js';", allowed: false },
  { file: 'electron/engine/pipeline/x.ts', source: "import { CloudwardError } from '../../contract/index.js';", allowed: true },
  { file: 'electron/engine/pipeline/x.ts', source: "import { readFileSync } from 'node:fs';", allowed: true },
  { file: 'native/src/x.ts', source: "import { Ledger } from '../../electron/engine/ledger/ledger.js';", allowed: false },
  { file: 'electron/cli/x.ts', source: "import { BrowserWindow } from 'electron';", allowed: false },
  { file: 'electron/cli/x.ts', source: "import { Ledger } from '../engine/ledger/ledger.js';", allowed: true },
  { file: 'electron/main/x.ts', source: "import { runJob } from '../engine/pipeline/run-job.js';", allowed: false },
  { file: 'electron/main/x.ts', source: "import { app } from 'electron';", allowed: true },
  { file: 'electron/preload/x.ts', source: "import { readFileSync } from 'node:fs';", allowed: false },
  { file: 'renderer/src/x.ts', source: "import { Ledger } from '../../electron/engine/ledger/ledger.js';", allowed: false },
  { file: 'renderer/src/x.ts', source: "import { join } from 'node:path';", allowed: false },
  { file: 'renderer/src/x.ts', source: "import { ipcRenderer } from 'electron';", allowed: false },
  { file: 'renderer/src/x.ts', source: "import type { CloudwardBridge } from '../../electron/contract/ipc.js';", allowed: true },
];

describe('layering lint rule', () => {
  const eslint = new ESLint({ cwd: repoRoot });
  for (const { file, source, allowed } of cases) {
    it(`${allowed ? 'allows' : 'catches'} ${source} in ${file}`, async () => {
      const [result] = await eslint.lintText(`${source}\nexport const used = [${source.match(/\{ (?:type )?(\w+)/)?.[1] ?? 'undefined'}];\n`, { filePath: join(repoRoot, file) });
      const layering = (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports');
      expect(layering.length > 0).toBe(!allowed);
    });
  }
});
