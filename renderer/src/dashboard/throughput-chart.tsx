import { useEffect, useState } from 'react';

import { useI18n } from '../i18n/i18n-context.js';
import { useService } from '../service/service-context.js';
import { formatDateTime, formatNumber } from '../state/format.js';
import { chartGeometry, mergeBuckets, type ChartPoint } from '../state/throughput.js';

const width = 640;
const height = 160;

/** Items per minute over the job's life, from the ledger (so a reload keeps the history), for up to 50 mailboxes. */
export function ThroughputChart({ mailboxIds, settled }: { mailboxIds: number[]; settled: number }) {
  const { t, locale } = useI18n();
  const { client } = useService();
  const [points, setPoints] = useState<ChartPoint[]>([]);
  const [bucket, setBucket] = useState(60);
  const key = mailboxIds.slice(0, 50).join(',');

  useEffect(() => {
    if (key === '') return;
    let live = true;
    void (async () => {
      const ids = key.split(',').map(Number);
      let series = await Promise.all(ids.map((id) => client.request('mailbox:throughput', { mailboxId: id, bucketSeconds: 60 })));
      let seconds = 60;
      // A short job fits in one or two minutes: use finer buckets so the line has a shape.
      if (series.every((entry) => entry.points.length <= 2)) {
        series = await Promise.all(ids.map((id) => client.request('mailbox:throughput', { mailboxId: id, bucketSeconds: 5 })));
        seconds = 5;
      }
      if (live) {
        setBucket(seconds);
        setPoints(mergeBuckets(series.map((entry) => entry.points), seconds));
      }
    })().catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client, key, settled]);

  const geometry = chartGeometry(points, width, height);
  const total = points.reduce((sum, point) => sum + (point.value * bucket) / 60, 0);
  return (
    <figure className="chart">
      <figcaption>{t('dashboard.chart.title')}</figcaption>
      {geometry === undefined ? (
        <p className="muted">{t('dashboard.chart.empty')}</p>
      ) : (
        <>
          <svg viewBox={`0 0 ${width} ${height + 20}`} role="img" aria-label={t('dashboard.chart.label', { max: Math.round(geometry.max), total: Math.round(total) })}>
            <line x1="0" y1={height} x2={width} y2={height} className="axis" />
            <line x1="0" y1="0" x2={width} y2="0" className="grid" />
            <path d={geometry.area} className="chart-area" />
            <path d={geometry.path} className="chart-line" />
            <text x="4" y="14" className="chart-label">
              {formatNumber(geometry.max, locale)} {t('dashboard.chart.unit')}
            </text>
            <text x="0" y={height + 16} className="chart-label">
              {formatDateTime(new Date(geometry.start).toISOString(), locale)}
            </text>
            <text x={width} y={height + 16} className="chart-label" textAnchor="end">
              {formatDateTime(new Date(geometry.end).toISOString(), locale)}
            </text>
          </svg>
        </>
      )}
    </figure>
  );
}
