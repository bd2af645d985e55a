import { describe, expect, it } from 'vitest';

import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import { buildJobReports } from '../../../electron/engine/report/report-data.js';
import { runJob } from '../../../electron/engine/pipeline/run-job.js';
import { MemorySource, type MemoryMessage } from '../../support/memory-source.js';
import { generousCapabilities, ScriptedTarget } from '../../support/scripted-target.js';

function message(key: string, caveat?: string): MemoryMessage {
  return {
    key,
    folder: { path: ['Inbox'], special: 'inbox' },
    bytes: Buffer.from(`Message-ID: <${key}@x>\r\nSubject: ${key}\r\n\r\nbody ${key}\r\n`),
    messageId: `<${key}@x>`,
    ...(caveat ? { caveat } : {}),
  };
}

describe('notes a target gives back with an item it took', () => {
  it('are kept in the ledger next to the source caveat and listed in the report', async () => {
    const ledger = Ledger.open(':memory:');
    const target = new ScriptedTarget(generousCapabilities);
    target.noteScript = (item) => (item.item.key === 'plain' ? undefined : 'Graph could not keep the text/plain alternative');
    const source = new MemorySource([message('plain'), message('lossy'), message('both', 'No date of its own: used the Received: date')]);
    const result = await runJob({
      ledger,
      source: 's',
      target: 't',
      mailboxes: [{ label: 'a', source: 'mem:a', target: 'scripted', createSource: () => source, createTarget: () => target }],
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
    expect(result.summary).toMatchObject({ outcome: 'complete', itemsDone: 3 });
    const mailbox = ledger.mailboxes(result.summary.jobId)[0];
    const notes = new Map(ledger.items(mailbox?.id ?? 0).map((row) => [row.source_key, row.note]));
    expect(notes.get('plain')).toBeNull();
    expect(notes.get('lossy')).toBe('Graph could not keep the text/plain alternative');
    expect(notes.get('both')).toBe('No date of its own: used the Received: date\nGraph could not keep the text/plain alternative');
    const report = buildJobReports(ledger).find((job) => job.jobId === result.summary.jobId);
    const listed = (report?.notes ?? []).map((note) => [note.sourceKey, note.note]);
    expect(listed).toContainEqual(['lossy', 'Graph could not keep the text/plain alternative']);
    expect(listed.find(([key]) => key === 'both')?.[1]).toContain('Graph could not keep');
    expect(listed.find(([key]) => key === 'both')?.[1]).toContain('No date of its own');
  });
});
