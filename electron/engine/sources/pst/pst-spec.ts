import { CloudwardError } from '../../../contract/index.js';
import type { SourceSpecHandler, SpecContext } from '../../specs/spec.js';
import { splitSpec } from '../../specs/spec.js';
import type { Source } from '../source.js';
import { PstSource } from './pst-source.js';

/** `pst:<file>[,<file>...]`: one or more Outlook data files (PST or OST) read as one mailbox. */
export function pstFiles(spec: string): string[] {
  const parts = splitSpec(spec);
  if (!parts || parts.scheme !== 'pst') {
    throw new CloudwardError('BAD_ARGUMENTS', `not a pst: spec: ${spec}`);
  }
  const files = parts.rest
    .split(',')
    .map((file) => file.trim())
    .filter((file) => file.length > 0);
  if (files.length === 0) throw new CloudwardError('BAD_ARGUMENTS', 'pst: needs a file, e.g. pst:C:\\Users\\me\\Documents\\Outlook.pst');
  return files;
}

export const pstSourceSpec: SourceSpecHandler = {
  schemes: ['pst'],
  usage: 'pst:<file>[,<file>...]  Outlook data files (PST/OST); several files are merged into one mailbox',
  validate(spec: string): void {
    pstFiles(spec);
  },
  create(spec: string, context: SpecContext): Source {
    return new PstSource(pstFiles(spec), context.log);
  },
};
