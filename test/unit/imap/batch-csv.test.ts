import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { batchRowSourceSpec, readMigrationCsv } from '../../../electron/engine/sources/imap/batch-csv.js';

const dir = mkdtempSync(join(tmpdir(), 'cloudward-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
function csv(content: string | Buffer): string {
  const file = join(dir, `users-${++counter}.csv`);
  writeFileSync(file, content);
  return file;
}

describe('readMigrationCsv', () => {
  it('reads what European Excel writes: BOM, ";", quotes, CRLF, blank trailing rows', async () => {
    const file = csv(
      '\uFEFFEmailAddress;UserName;Password;UserRoot\r\n' +
        'terry.adams@contoso.edu;terry.adams;"p;ss""word";\r\n' +
        'ann.beebe@contoso.edu;"#ann.beebe@contoso.edu#mpadmin#";s3cret;/users/ann.beebe\r\n' +
        ';;;\r\n\r\n\r\n',
    );
    const { rows, errors } = await readMigrationCsv(file);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 2, emailAddress: 'terry.adams@contoso.edu', userName: 'terry.adams', password: 'p;ss"word' },
      { line: 3, emailAddress: 'ann.beebe@contoso.edu', userName: '#ann.beebe@contoso.edu#mpadmin#', password: 's3cret', userRoot: '/users/ann.beebe' },
    ]);
  });

  it('reads the comma form without BOM, LF only, with the optional column left out', async () => {
    const file = csv('EmailAddress,UserName,Password\nkim@contoso.edu , contoso/admin/kim," pw, with comma "\n');
    const { rows, errors } = await readMigrationCsv(file);
    expect(errors).toEqual([]);
    expect(rows).toEqual([{ line: 2, emailAddress: 'kim@contoso.edu', userName: 'contoso/admin/kim', password: ' pw, with comma ' }]);
  });

  it('reports every bad row with its line and keeps the good ones', async () => {
    const file = csv(
      [
        'EmailAddress,UserName,Password',
        'good1@contoso.edu,good1,pw1',
        'not-an-address,bad1,pw',
        'nopass@contoso.edu,nopass,',
        ',nouser-address,pw',
        'good1@contoso.edu,again,pw',
        'extra@contoso.edu,extra,pw,/root,unexpected',
        'good2@contoso.edu,"multi',
        'line user",pw2',
        'nouser@contoso.edu,,pw',
        '',
      ].join('\r\n'),
    );
    const { rows, errors } = await readMigrationCsv(file);
    expect(rows.map((row) => [row.line, row.emailAddress, row.userName])).toEqual([
      [2, 'good1@contoso.edu', 'good1'],
      [8, 'good2@contoso.edu', 'multi\r\nline user'],
    ]);
    expect(errors.map((error) => error.line)).toEqual([3, 4, 5, 6, 7, 10]);
    expect(errors[0]?.reason).toContain('not an e-mail address');
    expect(errors[1]?.reason).toContain('Password is empty');
    expect(errors[2]?.reason).toContain('EmailAddress is empty');
    expect(errors[3]?.reason).toContain('already on line 2');
    expect(errors[4]?.reason).toContain('fields');
    expect(errors[5]?.reason).toContain('UserName is empty');
  });

  it('refuses whole files that cannot be a batch, with one line each', async () => {
    await expect(readMigrationCsv(csv('Mail,Login,Secret\r\na@b.c,a,b\r\n'))).rejects.toMatchObject({ code: 'BAD_ARGUMENTS', message: expect.stringContaining('EmailAddress,UserName,Password') });
    await expect(readMigrationCsv(csv(''))).rejects.toMatchObject({ code: 'BAD_ARGUMENTS' });
    await expect(readMigrationCsv(csv(Buffer.from('EmailAddress,UserName,Password\r\nj\xe9r\xf4me@contoso.edu,j,p\r\n', 'latin1')))).rejects.toMatchObject({ message: expect.stringContaining('not UTF-8') });
    await expect(readMigrationCsv(csv(Buffer.alloc(10 * 1024 * 1024 + 1, 0x41)))).rejects.toMatchObject({ message: expect.stringContaining('10 MB') });
    await expect(readMigrationCsv(join(dir, 'missing.csv'))).rejects.toMatchObject({ code: 'BAD_ARGUMENTS', message: expect.stringContaining('ENOENT') });
    await expect(readMigrationCsv(csv('EmailAddress,UserName,Password\r\n"a@b.c,a,b\r\n'))).rejects.toMatchObject({ code: 'BAD_ARGUMENTS' });
  });

  it('takes 50,000 rows and refuses 50,001', async () => {
    const lines = (n: number) => ['EmailAddress,UserName,Password', ...Array.from({ length: n }, (_, i) => `u${i}@contoso.edu,u${i},pw${i}`)].join('\r\n');
    const { rows, errors } = await readMigrationCsv(csv(lines(50_000)));
    expect(rows).toHaveLength(50_000);
    expect(errors).toEqual([]);
    expect(rows[49_999]).toEqual({ line: 50_001, emailAddress: 'u49999@contoso.edu', userName: 'u49999', password: 'pw49999' });
    await expect(readMigrationCsv(csv(lines(50_001)))).rejects.toMatchObject({ message: expect.stringContaining('at most 50000') });
  });
});

describe('batchRowSourceSpec', () => {
  it('puts the URL-encoded user name in front of the host', () => {
    expect(batchRowSourceSpec('imaps://mail.contoso.edu', { userName: 'terry.adams' })).toBe('imaps://terry.adams@mail.contoso.edu');
    expect(batchRowSourceSpec('imap://mail.contoso.edu:1143/', { userName: '#ann@contoso.edu#mpadmin#' })).toBe(
      'imap://%23ann%40contoso.edu%23mpadmin%23@mail.contoso.edu:1143',
    );
    expect(batchRowSourceSpec('IMAPS://mail.contoso.edu', { userName: 'contoso/admin/kim' })).toBe('imaps://contoso%2Fadmin%2Fkim@mail.contoso.edu');
    expect(() => batchRowSourceSpec('pst:/tmp/x.pst', { userName: 'a' })).toThrow(/imaps:\/\/HOST/);
  });
});
