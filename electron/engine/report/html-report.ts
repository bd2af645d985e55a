import type { JobReport, MailboxReport } from './report-data.js';

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => escapes[c] ?? c);
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function verdict(totals: MailboxReport['totals']): { text: string; tone: 'ok' | 'warn' | 'bad' } {
  if (totals.failed > 0) return { text: `${totals.failed} item(s) failed`, tone: 'bad' };
  if (totals.pending > 0) return { text: `${totals.pending} item(s) not finished yet`, tone: 'warn' };
  if (totals.skipped > 0) return { text: `Complete, ${totals.skipped} item(s) skipped`, tone: 'warn' };
  return { text: 'Complete', tone: 'ok' };
}

function mailboxSection(mailbox: MailboxReport): string {
  const v = verdict(mailbox.totals);
  const rows = mailbox.folders
    .map(
      (f) => `<tr${f.sourceCount !== f.targetCount + f.skipped ? ' class="diff"' : ''}><td>${esc(f.source)}</td><td>${esc(f.target)}${f.note ? `<br><small>${esc(f.note)}</small>` : ''}</td><td class="n">${f.sourceCount}</td><td class="n">${f.targetCount}</td><td class="n">${f.skipped}</td><td class="n">${f.failed}</td><td class="n">${f.pending}</td><td class="n">${size(f.bytes)}</td></tr>`,
    )
    .join('\n');
  const t = mailbox.totals;
  return `<section><h2>${esc(mailbox.label)} <span class="badge ${v.tone}">${esc(v.text)}</span></h2>
<p class="meta">From ${esc(mailbox.source)} to ${esc(mailbox.target)}${mailbox.error ? `<br><strong>Stopped:</strong> ${esc(mailbox.error)}` : ''}${mailbox.note ? `<br>${esc(mailbox.note)}` : ''}</p>
<table><thead><tr><th>Folder</th><th>Arrived as</th><th>In source</th><th>In target</th><th>Skipped</th><th>Failed</th><th>Pending</th><th>Size</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><th colspan="2">Total</th><td class="n">${t.sourceCount}</td><td class="n">${t.targetCount}</td><td class="n">${t.skipped}</td><td class="n">${t.failed}</td><td class="n">${t.pending}</td><td class="n">${size(t.bytes)}</td></tr></tfoot></table></section>`;
}

/** A self-contained page (no script, no external file) a customer can open, print or keep. */
export function renderHtml(reports: readonly JobReport[]): string {
  const body = reports
    .map((report) => {
      const issues = report.issues
        .map(
          (i) => `<tr><td>${esc(i.mailbox)}</td><td>${esc(i.folder)}</td><td>${esc(i.title || i.sourceKey)}</td><td>${esc(i.kind)}</td><td>${esc(i.state)}</td><td><code>${esc(i.code)}</code></td><td>${esc(i.reason)}</td><td class="n">${size(i.size)}</td></tr>`,
        )
        .join('\n');
      const notes = report.notes
        .map((n) => `<tr><td>${esc(n.mailbox)}</td><td>${esc(n.folder)}</td><td>${esc(n.title || n.sourceKey)}</td><td>${esc(n.kind)}</td><td>${esc(n.state)}</td><td>${esc(n.note)}</td></tr>`)
        .join('\n');
      const t = report.totals;
      return `<article><h1>Migration report</h1>
<p class="meta">From <strong>${esc(report.source)}</strong> to <strong>${esc(report.target)}</strong>. ${report.firstRun ? `Runs from ${esc(report.firstRun)} to ${esc(report.lastRun ?? '')}.` : 'Not run yet.'}</p>
<div class="cards"><div><b>${t.targetCount}</b> of ${t.sourceCount} items migrated</div><div><b>${t.skipped}</b> skipped</div><div><b>${t.failed}</b> failed</div><div><b>${size(t.bytes)}</b> in ${duration(report.seconds)}</div><div><b>${size(report.bytesPerSecond)}/s</b>, ${report.itemsPerSecond.toFixed(1)} items/s</div></div>
${report.mailboxes.map(mailboxSection).join('\n')}
<section><h2>Skipped and failed items</h2>${report.issues.length === 0 ? '<p>None.</p>' : `<table><thead><tr><th>Mailbox</th><th>Folder</th><th>Item</th><th>Kind</th><th>State</th><th>Code</th><th>Reason</th><th>Size</th></tr></thead><tbody>${issues}</tbody></table>`}</section>
${report.notes.length === 0 ? '' : `<section><h2>Items with a note</h2><table><thead><tr><th>Mailbox</th><th>Folder</th><th>Item</th><th>Kind</th><th>State</th><th>Note</th></tr></thead><tbody>${notes}</tbody></table></section>`}
</article>`;
    })
    .join('\n<hr>\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cloudward migration report</title>
<style>
body{font:14px/1.45 system-ui,Segoe UI,Arial,sans-serif;margin:2em auto;max-width:1100px;color:#1b1f24;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em}
.meta{color:#555}table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}tfoot th,tfoot td{font-weight:600;border-top:2px solid #999}
tr.diff td{background:#fff6e0}.badge{font-size:.75em;padding:.15em .6em;border-radius:1em;margin-left:.5em;vertical-align:middle}
.ok{background:#d9f2df;color:#14532d}.warn{background:#fff1c2;color:#713f12}.bad{background:#fddede;color:#7f1d1d}
.cards{display:flex;flex-wrap:wrap;gap:.8em;margin:1em 0}.cards div{background:#f3f5f8;border-radius:.5em;padding:.6em 1em}
code{font-size:.9em}@media print{body{margin:0}}
</style></head>
<body>
${body || '<p>This ledger holds no jobs yet.</p>'}
<footer class="meta"><small>Generated by Cloudward on ${esc(new Date().toISOString())}. Counts come from the migration ledger.</small></footer>
</body></html>
`;
}
