import type { CredentialEntry } from './windows-host.js';

/**
 * Reads `cmdkey /list` text from a capture folder. Only for captures: on a live PC the vault is read
 * through CredEnumerate. cmdkey's labels ("Target:", "Type:", "User:") are translated on localized
 * Windows, so this never matches a label's words: a credential is a block of indented "label: value"
 * lines whose first value holds `target=`, and the next two lines are the type and (optionally) the
 * user, in that order on every language.
 */
const labelled = /^\s+([^:：]{1,40})[:：]\s*(.*)$/;

function typeWord(text: string): string {
  const lower = text.trim().toLowerCase();
  if (lower === 'generic' || lower === '普通' || lower === '一般') return 'generic';
  if (lower.includes('domain') || lower.includes('域')) return 'domain-password';
  return lower === '' ? 'unknown' : lower;
}

export function parseCmdkeyList(output: string): CredentialEntry[] {
  const credentials: CredentialEntry[] = [];
  const lines = output.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const match = labelled.exec(lines[i] ?? '');
    const targetField = match?.[2] ?? '';
    const at = targetField.indexOf('target=');
    if (match === null || at < 0) continue;
    const entry: CredentialEntry = { target: targetField.slice(at + 'target='.length).trim(), type: 'unknown' };
    const typeLine = labelled.exec(lines[i + 1] ?? '');
    // A "Type" line has a value; a cut-off block may end in a bare label ("Type" then nothing).
    if (typeLine !== null && !typeLine[2]?.includes('target=')) {
      entry.type = typeWord(typeLine[2] ?? '');
      const userLine = labelled.exec(lines[i + 2] ?? '');
      if (userLine !== null && !userLine[2]?.includes('target=') && (userLine[2] ?? '') !== '') entry.userName = (userLine[2] ?? '').trim();
    }
    credentials.push(entry);
  }
  return credentials;
}
