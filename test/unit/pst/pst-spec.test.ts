import { describe, expect, it } from 'vitest';

import { CloudwardError } from '../../../electron/contract/index.js';
import { pstFiles, pstSourceSpec } from '../../../electron/engine/sources/pst/pst-spec.js';

describe('pst: source spec', () => {
  it('takes one file or several for one mailbox, Windows paths included', () => {
    expect(pstSourceSpec.schemes).toEqual(['pst']);
    expect(pstFiles('pst:/data/a.pst')).toEqual(['/data/a.pst']);
    expect(pstFiles('pst:C:\\Users\\me\\a.pst,D:\\old\\b.pst')).toEqual(['C:\\Users\\me\\a.pst', 'D:\\old\\b.pst']);
    expect(pstFiles('PST:a.ost, b.pst')).toEqual(['a.ost', 'b.pst']);
  });

  it('refuses an empty or foreign spec with BAD_ARGUMENTS', () => {
    for (const spec of ['pst:', 'pst: , ', 'imap:host', 'a.pst']) {
      expect(() => pstSourceSpec.validate(spec)).toThrow(CloudwardError);
      try {
        pstSourceSpec.validate(spec);
      } catch (error) {
        expect((error as CloudwardError).code).toBe('BAD_ARGUMENTS');
      }
    }
  });
});
