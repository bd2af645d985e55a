import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Shared fixtures live beside the repository (CI puts them there); a fresh clone may not have them. */
export const fixturesDir = resolve(repoRoot, '../shared/fixtures');
export const hasFixtures = existsSync(fixturesDir);
