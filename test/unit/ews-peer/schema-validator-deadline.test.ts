import { existsSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { DEFAULT_SCHEMA_DIR } from '../../peers/ews/peer-server.js';
import { SchemaValidator } from '../../peers/ews/schema-validator.js';

const hasSchema = existsSync(DEFAULT_SCHEMA_DIR);
if (!hasSchema) console.warn('schema-validator deadline test skipped: ../shared/fixtures/ews-schema is not present');

describe.skipIf(!hasSchema)('the EWS peer\'s schema validator', () => {
  it('gives a failing verdict, not an endless wait, when xmllint never answers (the peer would leave the request unanswered)', async () => {
    const stuck = () => new Promise<never>(() => undefined);
    const validator = new SchemaValidator(DEFAULT_SCHEMA_DIR, { deadlineMs: 200, run: stuck });
    const started = Date.now();
    const outcome = await validator.validate('<soap:Envelope/>');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(outcome.valid).toBe(false);
    expect(outcome.errors.join(' ')).toMatch(/no verdict within/);
    // The queue moves on: the next document is validated by the next run.
    await expect(validator.idle()).resolves.toBeUndefined();
  });
});
