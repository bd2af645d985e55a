import { describe, expect, it } from 'vitest';

import { autocompleteUsage } from '../../../electron/cli/commands/autocomplete.js';
import { handoverUsage } from '../../../electron/cli/commands/handover.js';
import { migrateUsage } from '../../../electron/cli/commands/migrate.js';
import { preflightUsage } from '../../../electron/cli/commands/preflight.js';
import { pstUsage } from '../../../electron/cli/commands/pst-inspect.js';
import { reportUsage } from '../../../electron/cli/commands/report.js';
import { statusUsage } from '../../../electron/cli/commands/status.js';
import { uiUsage } from '../../../electron/cli/commands/ui.js';
import { usage } from '../../../electron/cli/usage.js';

// `cloudward help` comes from usage.ts so it starts without loading the commands; each command's
// own usage string (what its argument errors refer to) must appear there word for word.
describe('cloudward help', () => {
  it.each([
    ['migrate', migrateUsage],
    ['status', statusUsage],
    ['report', reportUsage],
    ['pst', pstUsage],
    ['preflight', preflightUsage],
    ['handover', handoverUsage],
    ['autocomplete', autocompleteUsage],
    ['ui', uiUsage],
  ])('lists %s exactly as the command defines it', (_name, text) => {
    expect(usage).toContain(`  ${text}\n`);
  });
});
