import { stringify } from 'csv-stringify/sync';

import type { JobReport } from './report-data.js';

/**
 * One row per folder, one per skipped or failed item and one per item with a note (e.g. no date of its
 * own), in one sheet that Excel opens (UTF-8 with BOM, so accents survive; CRLF). The "row" column
 * tells them apart; a note is in the "reason" column.
 */
export function renderCsv(reports: readonly JobReport[]): string {
  const rows: (string | number | boolean)[][] = [
    ['row', 'job', 'mailbox', 'folder', 'target folder', 'source count', 'target count', 'skipped', 'failed', 'pending', 'bytes', 'item', 'title', 'kind', 'state', 'code', 'reason', 'retryable'],
  ];
  for (const report of reports) {
    for (const mailbox of report.mailboxes) {
      for (const folder of mailbox.folders) {
        rows.push(['folder', report.jobId, mailbox.label, folder.source, folder.target, folder.sourceCount, folder.targetCount, folder.skipped, folder.failed, folder.pending, folder.bytes, '', '', '', '', '', folder.note ?? '', '']);
      }
      const t = mailbox.totals;
      rows.push(['mailbox', report.jobId, mailbox.label, '', '', t.sourceCount, t.targetCount, t.skipped, t.failed, t.pending, t.bytes, '', '', '', mailbox.state, '', [mailbox.error, mailbox.note].filter(Boolean).join('\n'), '']);
    }
    for (const issue of report.issues) {
      rows.push(['item', report.jobId, issue.mailbox, issue.folder, '', '', '', '', '', '', issue.size, issue.sourceKey, issue.title, issue.kind, issue.state, issue.code, issue.reason, issue.retryable]);
    }
    for (const note of report.notes) {
      rows.push(['note', report.jobId, note.mailbox, note.folder, '', '', '', '', '', '', '', note.sourceKey, note.title, note.kind, note.state, '', note.note, '']);
    }
  }
  return '\ufeff' + stringify(rows, { record_delimiter: 'windows' });
}
