import { join, resolve } from 'node:path';

import { CloudwardError } from '../../../contract/index.js';
import { specPath, type TargetSpecHandler } from '../../specs/spec.js';
import { DirTarget } from './dir-target.js';
import { safeName } from './file-names.js';

export const dirTargetSpec: TargetSpecHandler = {
  schemes: ['dir'],
  usage: 'dir:<folder>  a local archive (.eml, .vcf, .ics and manifest.json); with several mailboxes, one subfolder each',
  validate(spec) {
    if (specPath(spec).trim() === '') throw new CloudwardError('BAD_ARGUMENTS', 'dir: needs a folder, e.g. dir:D:\\Backup\\Mail');
  },
  create(spec, _context, mailbox) {
    const root = resolve(specPath(spec));
    return new DirTarget(mailbox === undefined ? root : join(root, safeName(mailbox)));
  },
};
