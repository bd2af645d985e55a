/**
 * Credential Manager through its API (advapi32 CredEnumerate/CredDelete), called from PowerShell with
 * a small Add-Type P/Invoke. Not `cmdkey /list`: its labels are translated on localized Windows. The
 * secret (CredentialBlob) is never read. The target to delete travels in an environment variable, so
 * no name is ever spliced into script text.
 */
const interop = `
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
public static class CloudwardCredentials {
  [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
  private struct CREDENTIAL {
    public int Flags; public int Type; public IntPtr TargetName; public IntPtr Comment;
    public System.Runtime.InteropServices.ComTypes.FILETIME LastWritten;
    public int CredentialBlobSize; public IntPtr CredentialBlob; public int Persist;
    public int AttributeCount; public IntPtr Attributes; public IntPtr TargetAlias; public IntPtr UserName;
  }
  [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
  private static extern bool CredEnumerate(string filter, int flags, out int count, out IntPtr credentials);
  [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
  private static extern bool CredDelete(string target, int type, int flags);
  [DllImport("advapi32.dll")]
  private static extern void CredFree(IntPtr buffer);
  public static List<string[]> List() {
    var result = new List<string[]>();
    int count; IntPtr list;
    if (!CredEnumerate(null, 0, out count, out list)) {
      int error = Marshal.GetLastWin32Error();
      if (error == 1168) return result;
      throw new System.ComponentModel.Win32Exception(error);
    }
    try {
      for (int i = 0; i < count; i++) {
        IntPtr item = Marshal.ReadIntPtr(list, i * IntPtr.Size);
        CREDENTIAL c = (CREDENTIAL)Marshal.PtrToStructure(item, typeof(CREDENTIAL));
        result.Add(new string[] { c.Type.ToString(), Marshal.PtrToStringUni(c.TargetName), c.UserName == IntPtr.Zero ? null : Marshal.PtrToStringUni(c.UserName) });
      }
    } finally { CredFree(list); }
    return result;
  }
  public static int Delete(string target, int type) {
    if (CredDelete(target, type, 0)) return 0;
    return Marshal.GetLastWin32Error();
  }
}
`;

const prologue = `$ErrorActionPreference = 'Stop'
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
Add-Type -TypeDefinition @'
${interop}
'@
`;

export const listCredentialsScript = `${prologue}
$out = @([CloudwardCredentials]::List() | ForEach-Object { [pscustomobject]@{ type = [int]$_[0]; target = $_[1]; userName = $_[2] } })
ConvertTo-Json -Compress -InputObject $out
`;

/** Prints the Win32 error of CredDelete: 0 done, 1168 (ERROR_NOT_FOUND) gone. */
export const deleteCredentialScript = `${prologue}
[CloudwardCredentials]::Delete($env:CLOUDWARD_CREDENTIAL_TARGET, [int]$env:CLOUDWARD_CREDENTIAL_TYPE)
`;

export const credentialTypes: Record<number, string> = {
  1: 'generic',
  2: 'domain-password',
  3: 'domain-certificate',
  4: 'domain-visible-password',
  5: 'generic-certificate',
  6: 'domain-extended',
};

export function credentialTypeNumber(type: string): number {
  const entry = Object.entries(credentialTypes).find(([, name]) => name === type);
  return entry === undefined ? 1 : Number(entry[0]);
}

/** powershell.exe arguments for a script: no profile, no prompts, the script as -EncodedCommand (UTF-16LE base64). */
export function powershellArgs(script: string): string[] {
  return ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')];
}
