import { CloudwardError } from '../../contract/index.js';
import { inspectPst } from '../../engine/sources/pst/inspect.js';
import { parse } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { exitCodes } from '../exit-codes.js';

export const pstUsage = 'cloudward pst inspect <file> [--json]';

/** Format, encryption, password and every folder's item counts, before a technician commits to a job. */
export async function pstCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'inspect') throw new CloudwardError('BAD_ARGUMENTS', `Usage: ${pstUsage}`);
  const { values, positionals } = parse(rest, { json: { type: 'boolean' } }, 1);
  const file = positionals[0];
  if (!file) throw new CloudwardError('BAD_ARGUMENTS', `Usage: ${pstUsage}`);
  const inspection = await inspectPst(file);
  if (values.json) {
    io.stdout.write(JSON.stringify(inspection, null, 2) + '\n');
    return exitCodes.ok;
  }
  io.stdout.write(
    `${inspection.file}: ${inspection.format} ${inspection.format === 'OST' ? 'offline store' : 'PST'}, ${(inspection.size / 1_048_576).toFixed(1)} MB, ` +
      `encryption ${inspection.encryption}${inspection.passwordProtected ? ', password-protected (read anyway: the password is only a checksum)' : ''}\n`,
  );
  for (const folder of inspection.folders) {
    const counts = Object.entries(folder.items)
      .map(([kind, count]) => `${count} ${kind}`)
      .join(', ');
    io.stdout.write(`  ${folder.path.join(' / ') || '(root)'}${folder.special ? ` [${folder.special}]` : ''}: ${counts || 'empty'}${folder.unreadable ? `, ${folder.unreadable} unreadable` : ''}\n`);
  }
  return exitCodes.ok;
}
