import { resolve } from 'node:path';

import { CloudwardError } from '../../../contract/index.js';
import { type SourceSpecHandler, specPath } from '../../specs/spec.js';
import { Nk2Source } from './nk2-source.js';

export const nk2SourceSpec: SourceSpecHandler = {
  schemes: ['nk2'],
  usage: 'nk2:<file>  Outlook autocomplete list: an .NK2 (Outlook 2003/2007) or a Stream_Autocomplete_*.dat (2010+)',
  validate(spec) {
    if (specPath(spec).trim() === '') throw new CloudwardError('BAD_ARGUMENTS', 'nk2: needs a file, e.g. nk2:C:\\Users\\me\\AppData\\Roaming\\Microsoft\\Outlook\\Outlook.NK2');
  },
  create(spec) {
    return new Nk2Source(resolve(specPath(spec)));
  },
};
