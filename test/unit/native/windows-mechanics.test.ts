import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { createLiveHost, createProcessRunner, type CommandResult, type CommandRunner } from '../../../native/index.js';

/** A runner that answers from a script of recorded outputs and keeps every call (program, argv, env). */
function scriptedRunner(answer: (program: string, args: readonly string[], env?: Record<string, string>) => CommandResult) {
  const calls: { program: string; args: string[]; env?: Record<string, string> }[] = [];
  const runner: CommandRunner = {
    async run(program, args, options = {}) {
      calls.push({ program, args: [...args], ...(options.env === undefined ? {} : { env: options.env }) });
      return answer(program, args, options.env);
    },
  };
  return { runner, calls };
}

const decodedScript = (args: readonly string[]): string => Buffer.from(args[args.indexOf('-EncodedCommand') + 1] ?? '', 'base64').toString('utf16le');
const ok = (stdout: string): CommandResult => ({ exitCode: 0, stdout, stderr: '' });
const windowsEnv = {
  LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local',
  APPDATA: 'C:\\Users\\ann\\AppData\\Roaming',
  ProgramData: 'C:\\ProgramData',
  ProgramFiles: 'C:\\Program Files',
  'ProgramFiles(x86)': 'C:\\Program Files (x86)',
  COMPUTERNAME: 'FRONTDESK-01',
  USERNAME: 'ann',
};

describe('the live Windows host, driven by recorded command outputs', () => {
  it('reads the registry with reg.exe in the 64-bit view; exit 1 (localized "not found") means absent', async () => {
    const { runner, calls } = scriptedRunner((_program, args) => {
      if (args[1] === 'HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Common\\Identity') {
        return ok('\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Common\\Identity\r\n    Version    REG_DWORD    0x1\r\n\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities\\a_ADAL\r\n    EmailAddress    REG_SZ    ann@contoso.com\r\n\r\n');
      }
      return { exitCode: 1, stdout: '', stderr: 'FEHLER: Der angegebene Registrierungsschlüssel bzw. Wert wurde nicht gefunden.\r\n' };
    });
    const host = createLiveHost({ runner, environment: windowsEnv });
    expect(await host.readRegistryTree('HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Identity')).toEqual([
      { key: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Identity', values: [{ name: 'Version', type: 'REG_DWORD', data: '0x1' }] },
      { key: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities\\a_ADAL', values: [{ name: 'EmailAddress', type: 'REG_SZ', data: 'ann@contoso.com' }] },
    ]);
    expect(await host.readRegistryTree('HKCU\\Software\\Microsoft\\Office\\15.0\\Common\\Identity')).toBeUndefined();
    expect(await host.readRegistry('HKLM\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration')).toEqual([]);
    expect(calls[0]).toEqual({ program: 'reg.exe', args: ['query', 'HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Common\\Identity', '/s', '/reg:64'] });
  });

  it('lists credentials through CredEnumerate in PowerShell (never cmdkey, never the secret)', async () => {
    const { runner, calls } = scriptedRunner(() => ok('[{"type":1,"target":"MicrosoftOffice16_Data:ADAL:3e47","userName":null},{"type":2,"target":"Domain:target=fs1","userName":"cosmo\\\\ann"}]\r\n'));
    const host = createLiveHost({ runner, environment: windowsEnv });
    expect(await host.listCredentials()).toEqual([
      { target: 'MicrosoftOffice16_Data:ADAL:3e47', type: 'generic' },
      { target: 'Domain:target=fs1', type: 'domain-password', userName: 'cosmo\\ann' },
    ]);
    expect(calls[0]?.program).toBe('powershell.exe');
    expect(calls[0]?.args.slice(0, 5)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
    const script = decodedScript(calls[0]?.args ?? []);
    expect(script).toContain('CredEnumerate');
    expect(script).not.toMatch(/cmdkey/i);
    expect(script).not.toMatch(/PtrToString\w*\(c\.CredentialBlob|Copy\(c\.CredentialBlob/);
  });

  it('deletes a credential by passing its name in the environment, not in script text or argv', async () => {
    const target = "OneDrive Cached Credential Business - Business1'; Remove-Item C:\\ -Recurse; '";
    const { runner, calls } = scriptedRunner(() => ok('0\r\n'));
    const host = createLiveHost({ runner, environment: windowsEnv });
    expect(await host.deleteCredential(target, 'generic')).toBe('done');
    expect(calls[0]?.env).toEqual({ CLOUDWARD_CREDENTIAL_TARGET: target, CLOUDWARD_CREDENTIAL_TYPE: '1' });
    expect(decodedScript(calls[0]?.args ?? [])).not.toContain('OneDrive');
    expect(calls[0]?.args.join(' ')).not.toContain('OneDrive');
    const gone = createLiveHost({ runner: scriptedRunner(() => ok('1168\r\n')).runner, environment: windowsEnv });
    expect(await gone.deleteCredential('x', 'generic')).toBe('gone');
  });

  it('a refused reg delete without elevation is ELEVATION_REQUIRED; reads Office processes through WMI', async () => {
    const { runner } = scriptedRunner((program, args) => {
      if (program === 'powershell.exe') {
        const script = decodedScript(args);
        if (script.includes('WindowsBuiltInRole')) return ok('{"sid":"S-1-5-21-1-2-3-1001","admin":false}');
        if (script.includes('Win32_Process')) return ok('[{"name":"OUTLOOK.EXE","pid":5120}]');
      }
      if (args[0] === 'query') return ok('\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration\r\n    O365ProPlusRetail.EmailAddress    REG_SZ    ann@contoso.com\r\n');
      return { exitCode: 1, stdout: '', stderr: 'ERROR: Access is denied.\r\n' };
    });
    const host = createLiveHost({ runner, environment: windowsEnv });
    expect(await host.environment()).toMatchObject({ userSid: 'S-1-5-21-1-2-3-1001', isAdmin: false, programFilesX86: 'C:\\Program Files (x86)' });
    await expect(host.deleteRegistryValue('HKLM\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration', 'O365ProPlusRetail.EmailAddress')).rejects.toMatchObject({ code: 'ELEVATION_REQUIRED' });
    expect(await host.listProcesses()).toEqual([{ name: 'OUTLOOK.EXE', pid: 5120 }]);
  });
});

describe('the process runner (real child processes)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('passes arguments as a vector (no shell), returns exit code and output', async () => {
    const result = await createProcessRunner().run(process.execPath, ['-e', 'process.stdout.write(process.argv[1]); process.exit(3)', '$(echo hi) & del *']);
    expect(result).toEqual({ exitCode: 3, stdout: '$(echo hi) & del *', stderr: '' });
  });

  it('stops a program that hangs, with a clear error', async () => {
    const started = Date.now();
    await expect(createProcessRunner().run(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 500 })).rejects.toMatchObject({ code: 'COMMAND_FAILED', message: expect.stringContaining('did not finish') });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a missing program is COMMAND_FAILED "not found", not a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloudward-runner-'));
    dirs.push(dir);
    await expect(createProcessRunner().run(join(dir, 'cscript'), [])).rejects.toMatchObject({ code: 'COMMAND_FAILED', message: expect.stringContaining('not found') });
  });
});
