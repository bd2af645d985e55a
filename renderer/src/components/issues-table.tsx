import type { ItemIssue } from '../../../electron/contract/index.js';
import { useI18n } from '../i18n/i18n-context.js';
import { formatBytes } from '../state/format.js';

/** Skipped and failed items with their reasons, as the report lists them. */
export function IssuesTable({ items, caption }: { items: ItemIssue[]; caption: string }) {
  const { t, locale } = useI18n();
  return (
    <table className="table issues">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('common.issue.item')}</th>
          <th scope="col">{t('common.folder')}</th>
          <th scope="col">{t('common.issue.state')}</th>
          <th scope="col">{t('common.issue.reason')}</th>
          <th scope="col" className="num">
            {t('common.size')}
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={`${item.mailboxId}|${item.sourceKey}`}>
            <td>{item.title ?? item.sourceKey}</td>
            <td>{item.folder}</td>
            <td>
              <span className={`pill pill-${item.state}`}>{t(item.state === 'failed' ? 'common.issue.failed' : 'common.issue.skipped')}</span>
            </td>
            <td>
              {item.reason} <span className="muted small">({item.code})</span>
            </td>
            <td className="num">{formatBytes(item.size, locale)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
