/**
 * Figures derived from a DailySummary that more than one renderer shows. Pure functions of the
 * summary, so every rendering of a day agrees.
 */
import type { DailySummary, StatusClass, Timeline, TopK } from '@logflow/shared-types';
import { STATUS_CLASSES } from '@logflow/shared-types';

export interface ChartBucket {
  /** Epoch ms of the bucket start. */
  startMs: number;
  requests: number;
  errors5xx: number;
}

/** A timeline re-bucketed to a size a chart can draw. */
export interface ChartSeries {
  bucketSeconds: number;
  startMs: number;
  endMs: number;
  buckets: ChartBucket[];
}

/** Bucket sizes a chart may use: whole minutes and hours that read well on an axis. */
const CHART_BUCKET_SECONDS = [
  60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800,
];

/**
 * Re-buckets a timeline into at most `maxBuckets` buckets aligned to the epoch (so hourly
 * buckets start on the hour). Empty buckets are kept so the x axis stays continuous.
 */
export function rebucketTimeline(timeline: Timeline, maxBuckets = 288): ChartSeries | null {
  const sourceStart = Date.parse(timeline.start);
  const n = Math.max(timeline.requests.length, timeline.errors5xx.length);
  if (Number.isNaN(sourceStart) || n === 0 || timeline.bucketSeconds <= 0) return null;
  const sourceMs = timeline.bucketSeconds * 1000;
  const sourceEnd = sourceStart + n * sourceMs;
  const fits = (seconds: number): boolean => {
    const ms = seconds * 1000;
    const start = Math.floor(sourceStart / ms) * ms;
    return Math.ceil((sourceEnd - start) / ms) <= maxBuckets;
  };
  const bucketSeconds =
    CHART_BUCKET_SECONDS.find(
      (s) => s >= timeline.bucketSeconds && s % timeline.bucketSeconds === 0 && fits(s),
    ) ?? timeline.bucketSeconds * Math.ceil(n / maxBuckets + 1);
  const ms = bucketSeconds * 1000;
  const startMs = Math.floor(sourceStart / ms) * ms;
  const count = Math.max(1, Math.ceil((sourceEnd - startMs) / ms));
  const buckets: ChartBucket[] = Array.from({ length: count }, (_, i) => ({
    startMs: startMs + i * ms,
    requests: 0,
    errors5xx: 0,
  }));
  for (let i = 0; i < n; i++) {
    const target = buckets[Math.floor((sourceStart + i * sourceMs - startMs) / ms)];
    if (!target) continue;
    target.requests += timeline.requests[i] ?? 0;
    target.errors5xx += timeline.errors5xx[i] ?? 0;
  }
  return { bucketSeconds, startMs, endMs: startMs + count * ms, buckets };
}

export interface StatusClassRow {
  statusClass: StatusClass;
  count: number;
}

export function statusClassRows(daily: DailySummary): StatusClassRow[] {
  return STATUS_CLASSES.map((statusClass) => ({ statusClass, count: daily.statusClass[statusClass] ?? 0 }));
}

/** Status codes by count descending, then code. */
export function statusCodeRows(daily: DailySummary): { code: string; count: number }[] {
  return Object.entries(daily.status)
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

/** Methods by count descending, then name. */
export function methodRows(daily: DailySummary): { method: string; count: number }[] {
  return Object.entries(daily.methods)
    .map(([method, count]) => ({ method, count }))
    .sort((a, b) => b.count - a.count || a.method.localeCompare(b.method));
}

/** The busiest bucket of a series, or null when it holds no request. */
export function peakBucket(series: ChartSeries): ChartBucket | null {
  let peak: ChartBucket | null = null;
  for (const b of series.buckets) if (b.requests > 0 && (!peak || b.requests > peak.requests)) peak = b;
  return peak;
}

/** The true count of a heavy hitter lies in `[count - error, count]`. */
export function topEntryBounds(entry: { count: number; error: number }): { low: number; high: number } {
  return { low: Math.max(0, entry.count - entry.error), high: entry.count };
}

/** Whether every count in a top-k list is exact. */
export function topKIsExact(top: TopK): boolean {
  return top.entries.every((e) => e.error === 0);
}

/** The 5xx share of requests, 0..1. */
export function errorRate(daily: DailySummary): number {
  return daily.requests > 0 ? (daily.statusClass['5xx'] ?? 0) / daily.requests : 0;
}

export type Health = 'ok' | 'warn' | 'bad';

/** The day's overall health and the reasons for it, worst first. */
export function dayHealth(daily: DailySummary): { health: Health; reasons: string[] } {
  const reasons: { health: Health; text: string }[] = [];
  const failed = daily.files.failed.length;
  if (failed > 0) reasons.push({ health: 'bad', text: `${failed} file${failed === 1 ? '' : 's'} failed` });
  const rate = errorRate(daily);
  if (rate >= 0.05) reasons.push({ health: 'bad', text: `5xx rate ${(rate * 100).toFixed(1)}%` });
  else if (rate >= 0.01) reasons.push({ health: 'warn', text: `5xx rate ${(rate * 100).toFixed(1)}%` });
  if (daily.lines.malformed > 0) {
    const n = daily.lines.malformed;
    reasons.push({ health: 'warn', text: `${n} malformed line${n === 1 ? '' : 's'}` });
  }
  if (daily.files.analyzed === 0 && failed === 0) reasons.push({ health: 'warn', text: 'no log files' });
  const health: Health = reasons.some((x) => x.health === 'bad')
    ? 'bad'
    : reasons.some((x) => x.health === 'warn')
      ? 'warn'
      : 'ok';
  const order: Record<Health, number> = { bad: 0, warn: 1, ok: 2 };
  return {
    health,
    reasons: reasons.sort((a, b) => order[a.health] - order[b.health]).map((x) => x.text),
  };
}
