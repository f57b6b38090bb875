/** Statistics over the samples of one period, as CloudWatch computes them. */
import type { MetricSample, StatisticSet } from './model.js';

export type Statistic =
  | { kind: 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum' }
  | { kind: 'percentile'; percent: number };

/** Parses a statistic name: the five basic statistics or a percentile `p0`..`p100` (`p99.9`). */
export function parseStatistic(name: string): Statistic | undefined {
  if (['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'].includes(name)) {
    return { kind: name as 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum' };
  }
  const m = /^p(\d{1,3}(?:\.\d{1,10})?)$/.exec(name);
  if (!m) return undefined;
  const percent = Number(m[1]);
  return percent >= 0 && percent <= 100 ? { kind: 'percentile', percent } : undefined;
}

export function combine(samples: readonly MetricSample[]): StatisticSet {
  let sampleCount = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const s of samples) {
    sampleCount += s.stats.sampleCount;
    sum += s.stats.sum;
    min = Math.min(min, s.stats.min);
    max = Math.max(max, s.stats.max);
  }
  return { sampleCount, sum, min, max };
}

/**
 * Nearest-rank percentile over the raw values of the samples (each value weighted by its count).
 * Samples published as statistic sets carry no distribution and are left out; undefined when no
 * sample has raw values.
 */
export function percentile(samples: readonly MetricSample[], percent: number): number | undefined {
  const weighted: [number, number][] = [];
  let total = 0;
  for (const s of samples) {
    if (!s.values || !s.counts) continue;
    s.values.forEach((v, i) => {
      const c = s.counts![i] ?? 1;
      if (c > 0) {
        weighted.push([v, c]);
        total += c;
      }
    });
  }
  if (total === 0) return undefined;
  weighted.sort((a, b) => a[0] - b[0]);
  if (percent <= 0) return weighted[0]![0];
  const rank = Math.ceil((percent / 100) * total);
  let seen = 0;
  for (const [v, c] of weighted) {
    seen += c;
    if (seen >= rank) return v;
  }
  return weighted[weighted.length - 1]![0];
}

export function statisticValue(samples: readonly MetricSample[], stat: Statistic): number | undefined {
  if (samples.length === 0) return undefined;
  if (stat.kind === 'percentile') return percentile(samples, stat.percent);
  const set = combine(samples);
  switch (stat.kind) {
    case 'SampleCount':
      return set.sampleCount;
    case 'Sum':
      return set.sum;
    case 'Average':
      return set.sampleCount === 0 ? undefined : set.sum / set.sampleCount;
    case 'Minimum':
      return set.min;
    case 'Maximum':
      return set.max;
  }
}
