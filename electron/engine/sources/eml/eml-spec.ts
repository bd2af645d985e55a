import { resolve } from 'node:path';

import { CloudwardError } from '../../../contract/index.js';
import { type SourceSpecHandler, specPath } from '../../specs/spec.js';
import { EmlSource } from './eml-source.js';

export const emlSourceSpec: SourceSpecHandler = {
  schemes: ['eml', 'maildir'],
  usage: 'eml:<folder>  a folder tree of .eml files, or a Maildir',
  validate(spec) {
    if (specPath(spec).trim() === '') throw new CloudwardError('BAD_ARGUMENTS', 'eml: needs a folder, e.g. eml:C:\\Users\\me\\Mail');
  },
  create(spec) {
    return new EmlSource(resolve(specPath(spec)));
  },
};
