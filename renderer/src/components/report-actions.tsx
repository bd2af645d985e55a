import { useState } from 'react';

import { useI18n } from '../i18n/i18n-context.js';
import { useService } from '../service/service-context.js';
import { downloadText, ErrorNote } from './widgets.js';

/**
 * The job's report: HTML (a self-contained page the customer keeps) and CSV; PDF through the desktop
 * app's printToPDF, or in browser mode the browser's own print dialog on this page ("Save as PDF").
 */
export function ReportActions({ jobId }: { jobId: number }) {
  const { t } = useI18n();
  const { client } = useService();
  const [error, setError] = useState<Error>();
  const [note, setNote] = useState<string>();

  const fetchReport = (format: 'html' | 'csv') => client.request('job:report', { jobId, format });
  const run = async (action: () => Promise<void>) => {
    setError(undefined);
    setNote(undefined);
    try {
      await action();
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    }
  };

  return (
    <div className="report-actions">
      <button
        type="button"
        className="secondary"
        onClick={() =>
          void run(async () => {
            const report = await fetchReport('html');
            downloadText(report.fileName, report.mediaType, report.content);
            setNote(t('common.report.saved', { file: report.fileName }));
          })
        }
      >
        {t('common.report.html')}
      </button>
      <button
        type="button"
        className="secondary"
        onClick={() =>
          void run(async () => {
            const report = await fetchReport('csv');
            downloadText(report.fileName, report.mediaType, report.content);
            setNote(t('common.report.saved', { file: report.fileName }));
          })
        }
      >
        {t('common.report.csv')}
      </button>
      {client.savePdf !== undefined ? (
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void run(async () => {
              const report = await fetchReport('html');
              const outcome = await client.savePdf!(report.content, report.fileName);
              if (outcome.saved) setNote(t('common.report.pdfSaved'));
            })
          }
        >
          {t('common.report.pdf')}
        </button>
      ) : (
        <button type="button" className="secondary" onClick={() => window.print()}>
          {t('common.report.print')}
        </button>
      )}
      {note !== undefined ? (
        <p className="muted small" role="status">
          {note}
        </p>
      ) : null}
      {error !== undefined ? <ErrorNote error={error} /> : null}
    </div>
  );
}
