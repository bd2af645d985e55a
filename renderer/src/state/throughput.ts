/**
 * Points for the throughput chart: the ledger's buckets (mailbox:throughput, which survive a
 * reload) summed over mailboxes, as items per minute.
 */
export interface ChartPoint {
  at: number;
  value: number;
}

export function mergeBuckets(series: { at: string; items: number }[][], bucketSeconds: number): ChartPoint[] {
  const sums = new Map<number, number>();
  for (const points of series) {
    for (const point of points) {
      const at = Date.parse(point.at);
      if (Number.isNaN(at)) continue;
      sums.set(at, (sums.get(at) ?? 0) + point.items);
    }
  }
  const perMinute = 60 / bucketSeconds;
  return [...sums.entries()].sort((a, b) => a[0] - b[0]).map(([at, items]) => ({ at, value: items * perMinute }));
}

export interface ChartGeometry {
  path: string;
  area: string;
  max: number;
  start: number;
  end: number;
}

/** An SVG path over a width × height box; the y axis starts at zero so small dips do not look like stalls. */
export function chartGeometry(points: ChartPoint[], width: number, height: number): ChartGeometry | undefined {
  if (points.length === 0) return undefined;
  const start = points[0]!.at;
  const end = points.at(-1)!.at;
  const span = Math.max(1, end - start);
  const max = Math.max(1, ...points.map((point) => point.value));
  const x = (at: number) => (points.length === 1 ? width / 2 : ((at - start) / span) * width);
  const y = (value: number) => height - (value / max) * height;
  const coordinates = points.map((point) => `${x(point.at).toFixed(1)},${y(point.value).toFixed(1)}`);
  const path = `M${coordinates.join(' L')}`;
  const area = `${path} L${x(end).toFixed(1)},${height} L${x(start).toFixed(1)},${height} Z`;
  return { path, area, max, start, end };
}
