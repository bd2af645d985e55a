import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { parseOsppStatus } from '../../../native/index.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';

const windowsDir = join(fixturesDir, 'windows');
const read = (name: string): string => readFileSync(join(windowsDir, name), 'latin1');
/** Independent of the parser: how many licences a reader of the console text would count. */
const licenceNameLines = (text: string): number => text.split('\n').filter((line) => /^\s*LICENSE NAME:/.test(line)).length;

if (!hasFixtures) console.warn(`ospp-status: skipping fixture tests, ${fixturesDir} is missing`);

describe.skipIf(!hasFixtures)('parseOsppStatus on recorded ospp.vbs output (../shared/fixtures/windows)', () => {
  it('reads an Office 365 ProPlus licence in out-of-box grace, with the cscript banner around it', () => {
    const text = read('ospp_dstatus_o365proplus_oob_grace__MAS-issue269.txt');
    const licences = parseOsppStatus(text);
    expect(licences).toHaveLength(licenceNameLines(text));
    expect(licences[0]).toEqual({
      productId: '00202-50000-00000-AA990',
      skuId: '149dbce7-a48e-44db-8364-a53386cd4580',
      licenseName: 'Office 16, Office16O365ProPlusR_ Subscription1 edition',
      licenseDescription: 'Office 16, TIMEBASED_ SUB channel',
      status: 'OOB_GRACE',
      errorCode: '0x4004F00C',
      errorDescription: 'The Software Licensing Service reported that the application is running within the valid grace period.',
      remainingGrace: { days: 9, minutes: 14316 },
      lastFiveOfKey: 'M96P2',
    });
  });

  it('reads a KMS client licence from a fragment with no separators', () => {
    const text = read('ospp_dstatus_office2019_kms_client_fragment__vlmcsd-issue20.txt');
    const [licence, ...rest] = parseOsppStatus(text);
    expect(rest).toEqual([]);
    expect(licence?.licenseName).toBe('Office 19, Office19ProPlus2019VL_KMS_Client_AE edition');
    expect(licence?.status).toBe('LICENSED');
    expect(licence?.errorCode).toBe('0x4004F040');
    expect(licence?.remainingGrace).toEqual({ days: 179, minutes: 259199 });
    expect(licence?.lastFiveOfKey).toBeUndefined();
  });

  it('reads a subscription licence with indented lines, cut off mid-description', () => {
    const text = read('ospp_dstatus_o365business_subscription__DeployOffice-issue946_TRUNCATED.txt');
    const [licence] = parseOsppStatus(text);
    expect(licence?.productId).toBe('00265-80198-35232-AA551');
    expect(licence?.licenseName).toBe('Office 16, Office16O365BusinessR_Subscription edition');
    expect(licence?.status).toBe('LICENSED');
    expect(licence?.errorCode).toBe('0x4004FC04');
    expect(licence?.errorDescription).toMatch(/^The Software Licensing Service reported .* timebased validi$/);
    expect(licence?.remainingGrace).toBeUndefined();
  });

  it('reads each product of /act output, including the one cut off at the end', () => {
    const text = read('ospp_act_office2024_kms_multi_product__py-kms-issue126_TRUNCATED.txt');
    const licences = parseOsppStatus(text);
    expect(licences).toHaveLength(licenceNameLines(text));
    expect(licences.map((licence) => licence.skuId)).toEqual([
      '8d368fc1-9470-4be2-8d66-90e836cbb051',
      '923fa470-aa71-4b8b-b35c-36b79bf9f44b',
      'aaea0dc8-78e1-4343-9f25-b69b83dd1bce',
    ]);
    expect(licences.map((licence) => licence.lastFiveOfKey)).toEqual(['GCVGB', 'WQQTV', undefined]);
  });
});

describe('parseOsppStatus on bad input', () => {
  it('finds no licence in empty, unrelated or binary text', () => {
    expect(parseOsppStatus('')).toEqual([]);
    expect(parseOsppStatus('No installed product keys detected.\r\n---Exiting---')).toEqual([]);
    expect(parseOsppStatus('\u0000\u0001\uFFFD'.repeat(1000))).toEqual([]);
  });

  it('handles CRLF line ends and a status line written without spaces around it', () => {
    const text = 'LICENSE NAME: Office 16, X edition\r\nLICENSE STATUS:---UNLICENSED---\r\nLast 5 characters of installed product key: abc12\r\n';
    expect(parseOsppStatus(text)).toEqual([{ licenseName: 'Office 16, X edition', status: 'UNLICENSED', lastFiveOfKey: 'ABC12' }]);
  });
});
