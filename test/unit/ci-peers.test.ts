import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { hasFixtures } from '../support/fixtures.js';

/**
 * Tests of real peers skip, saying why, on a developer machine without them. In CI nothing may be
 * skipped quietly: .ci/run installs every peer, so a missing one is a broken set-up and fails here.
 */
const peers: [string, string][] = [
  ['Dovecot (dovecot-imapd)', '/usr/sbin/dovecot'],
  ['Chromium', '/usr/bin/chromium'],
  ['readpst (pst-utils)', '/usr/bin/readpst'],
  ['pffexport (pff-tools)', '/usr/bin/pffexport'],
  ['GNOME Keyring', '/usr/bin/gnome-keyring-daemon'],
  ['dbus-run-session', '/usr/bin/dbus-run-session'],
  ['dnsmasq (dnsmasq-base)', '/usr/sbin/dnsmasq'],
  ['openssl (test certificates for the SMTP peer)', '/usr/bin/openssl'],
];

describe.runIf(process.env['CI'] === 'true')('CI has every real test peer', () => {
  it.each(peers)('%s is installed', (_name, path) => {
    expect(existsSync(path)).toBe(true);
  });

  it('runs the suite inside an unlocked keyring and with the shared fixtures', () => {
    expect(process.env['CLOUDWARD_TEST_KEYRING']).toBe('1');
    expect(hasFixtures).toBe(true);
  });
});
