import { preflightAreas, type PreflightFinding, type PreflightSummary } from '../../../electron/contract/index.js';
import { useI18n } from '../i18n/i18n-context.js';

const verdictIcon = { pass: '✓', warn: '!', fail: '✕', skip: '–' } as const;

/** Findings grouped by area, each with its verdict in words (not colour alone), evidence and fix. */
export function PreflightFindings({ findings, summary, showEvidence }: { findings: PreflightFinding[]; summary?: PreflightSummary; showEvidence: boolean }) {
  const { t } = useI18n();
  return (
    <div className="findings">
      {summary !== undefined ? (
        <p className="summary-line" role="status">
          {t('common.preflight.summary', { pass: summary.pass, warn: summary.warn, fail: summary.fail, skip: summary.skip })}
        </p>
      ) : null}
      {preflightAreas.map((area) => {
        const inArea = findings.filter((finding) => finding.area === area);
        if (inArea.length === 0) return null;
        return (
          <section key={area} aria-label={t(`common.preflight.area.${area}`)}>
            <h3>{t(`common.preflight.area.${area}`)}</h3>
            <ul className="finding-list">
              {inArea.map((finding) => (
                <li key={finding.checkId} className={`finding finding-${finding.verdict}`}>
                  <span className="verdict" aria-hidden="true">
                    {verdictIcon[finding.verdict]}
                  </span>
                  <div>
                    <p>
                      <span className="visually-hidden">{t(`common.preflight.verdict.${finding.verdict}`)}: </span>
                      <strong>{finding.title}</strong>
                    </p>
                    {finding.fix !== undefined ? <p>{finding.fix}</p> : null}
                    {showEvidence && finding.evidence.length > 0 ? <pre className="evidence">{finding.evidence.join('\n')}</pre> : null}
                  </div>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
