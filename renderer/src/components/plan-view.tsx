import type { JobPlan } from '../../../electron/contract/index.js';
import { useI18n } from '../i18n/i18n-context.js';
import { formatBytes, formatDuration, formatNumber } from '../state/format.js';
import { errorText } from './widgets.js';

/**
 * The plan's size: unknown when no folder could say, "at least" when only some could (a sum of the known
 * folders alone would understate it).
 */
function totalSize(plan: JobPlan, format: (bytes: number) => string, t: ReturnType<typeof useI18n>['t']): string {
  if (plan.totals.items === 0) return format(0);
  if (plan.totals.bytes === 0) return t('common.sizeUnknown');
  const partial = plan.mailboxes.some((mailbox) => mailbox.folders.some((folder) => folder.items > 0 && folder.bytes === 0));
  return partial ? t('common.sizeAtLeast', { size: format(plan.totals.bytes) }) : format(plan.totals.bytes);
}

/** A job:plan preview: totals, estimated time, then per mailbox its folders with counts and sizes. */
export function PlanView({ plan, folderLimit = 200 }: { plan: JobPlan; folderLimit?: number }) {
  const { t, locale } = useI18n();
  return (
    <div className="plan">
      <dl className="figures">
        <div>
          <dt>{t('common.items')}</dt>
          <dd data-testid="plan-items">{formatNumber(plan.totals.items, locale)}</dd>
        </div>
        <div>
          <dt>{t('common.size')}</dt>
          <dd data-testid="plan-bytes">{totalSize(plan, (bytes) => formatBytes(bytes, locale), t)}</dd>
        </div>
        <div>
          <dt>{t('common.alreadyDone')}</dt>
          <dd>{formatNumber(plan.totals.settled, locale)}</dd>
        </div>
        <div>
          <dt>{t('common.estimatedTime')}</dt>
          <dd>{plan.estimatedSeconds === undefined ? t('common.estimateNone') : formatDuration(plan.estimatedSeconds)}</dd>
        </div>
      </dl>
      {plan.warnings.length > 0 ? (
        <ul className="note note-warn plain-list">
          {plan.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      ) : null}
      {plan.mailboxes.map((mailbox) => (
        <section key={`${mailbox.label}|${mailbox.source}`} className="plan-mailbox">
          <h3>{mailbox.label}</h3>
          {mailbox.error !== undefined ? (
            <p className="note note-error" role="alert">
              {errorText(t, mailbox.error)}
            </p>
          ) : (
            <table className="table">
              <caption className="visually-hidden">{t('common.foldersOf', { mailbox: mailbox.label })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('common.folder')}</th>
                  <th scope="col" className="num">
                    {t('common.items')}
                  </th>
                  <th scope="col" className="num">
                    {t('common.size')}
                  </th>
                  <th scope="col" className="num">
                    {t('common.alreadyDone')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {mailbox.folders.slice(0, folderLimit).map((folder) => (
                  <tr key={folder.path.join('/')}>
                    <td>{folder.path.join(' › ') || t('common.topFolder')}</td>
                    <td className="num">{formatNumber(folder.items, locale)}</td>
                    {/* 0 bytes with items is a size the source could not say cheaply (an IMAP server without STATUS=SIZE). */}
                    <td className="num">{folder.bytes > 0 || folder.items === 0 ? formatBytes(folder.bytes, locale) : t('common.sizeUnknown')}</td>
                    <td className="num">{formatNumber(folder.settled, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </div>
  );
}
