/** GetMetricData, GetMetricStatistics and ListMetrics over a MetricStore. */
import { CloudWatchError, invalidValue, missing } from './errors.js';
import type { MetricIdentity, MetricSample } from './model.js';
import { checkDimensions, checkNamespace, parseTimestamp } from './put-metric-data.js';
import { parseStatistic, statisticValue, percentile, type Statistic } from './statistics.js';
import type { MetricStore } from './store.js';

const DAY_MS = 24 * 3600 * 1000;

/** Periods CloudWatch accepts: 1, 5, 10, 20, 30 seconds (high resolution) or a multiple of 60. */
export function checkPeriod(value: unknown, parameter: string): number {
  if (value === undefined || value === null) throw missing(parameter);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw invalidValue(value, parameter);
  if (![1, 5, 10, 20, 30].includes(value) && value % 60 !== 0) {
    throw invalidValue(value, parameter, 'The period must be 1, 5, 10, 20, 30, or a multiple of 60 seconds.');
  }
  return value;
}

/**
 * The start of the first period: CloudWatch rounds StartTime down to the minute for data up to
 * 15 days old, to 5 minutes up to 63 days, to the hour beyond.
 */
export function roundStart(startMs: number, now: number, periodSeconds: number): number {
  const age = now - startMs;
  const unit =
    periodSeconds < 60
      ? periodSeconds * 1000
      : age <= 15 * DAY_MS
        ? 60_000
        : age <= 63 * DAY_MS
          ? 300_000
          : 3_600_000;
  return Math.floor(startMs / unit) * unit;
}

function timeRange(input: Record<string, unknown>): { start: number; end: number } {
  if (input['StartTime'] === undefined || input['StartTime'] === null) throw missing('StartTime');
  if (input['EndTime'] === undefined || input['EndTime'] === null) throw missing('EndTime');
  const start = parseTimestamp(input['StartTime'], 'StartTime');
  const end = parseTimestamp(input['EndTime'], 'EndTime');
  if (start >= end) {
    throw new CloudWatchError(
      'InvalidParameterValue',
      'The parameter StartTime must be less than the parameter EndTime.',
    );
  }
  return { start, end };
}

/** Samples grouped by period start (ms), in ascending order. */
function byPeriod(
  samples: readonly MetricSample[],
  first: number,
  periodMs: number,
): [number, MetricSample[]][] {
  const buckets = new Map<number, MetricSample[]>();
  for (const s of samples) {
    const bucket = first + Math.floor((s.t - first) / periodMs) * periodMs;
    let list = buckets.get(bucket);
    if (!list) buckets.set(bucket, (list = []));
    list.push(s);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]);
}

function metricOf(raw: unknown, parameter: string): MetricIdentity {
  const metric = (raw ?? {}) as Record<string, unknown>;
  if (raw === undefined || raw === null) throw missing(parameter);
  return {
    namespace: checkNamespace(metric['Namespace'], `${parameter}.Namespace`),
    metricName: requiredString(metric['MetricName'], `${parameter}.MetricName`),
    dimensions: checkDimensions(metric['Dimensions'], `${parameter}.Dimensions`),
  };
}

function requiredString(value: unknown, parameter: string): string {
  if (value === undefined || value === null || value === '') throw missing(parameter);
  if (typeof value !== 'string') throw invalidValue(value, parameter);
  return value;
}

export interface MetricDataResult {
  Id: string;
  Label: string;
  Timestamps: number[];
  Values: number[];
  StatusCode: 'Complete' | 'PartialData';
  Messages: [];
}

const DEFAULT_MAX_DATAPOINTS = 100_800;

/** NextToken of GetMetricData: how many datapoints of each query were already returned. */
function decodeDataToken(token: unknown, queries: number): number[] {
  if (token === undefined || token === null) return new Array<number>(queries).fill(0);
  try {
    const offsets = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(offsets) &&
      offsets.length === queries &&
      offsets.every((o) => Number.isInteger(o) && o >= 0)
    ) {
      return offsets as number[];
    }
  } catch {
    // fall through
  }
  throw new CloudWatchError('InvalidNextToken', 'The service couldn\u2019t process the NextToken.');
}

export function getMetricData(store: MetricStore, input: Record<string, unknown>, now: number) {
  const queries = input['MetricDataQueries'];
  if (queries === undefined || queries === null) throw missing('MetricDataQueries');
  if (!Array.isArray(queries) || queries.length === 0) throw missing('MetricDataQueries');
  if (queries.length > 500) {
    throw new CloudWatchError(
      'InvalidParameterValue',
      'The collection MetricDataQueries must not have a size greater than 500.',
    );
  }
  const { start, end } = timeRange(input);
  const scanBy = input['ScanBy'] ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending')
    throw invalidValue(scanBy, 'ScanBy');
  const maxDatapoints = input['MaxDatapoints'] ?? DEFAULT_MAX_DATAPOINTS;
  if (typeof maxDatapoints !== 'number' || !Number.isInteger(maxDatapoints) || maxDatapoints < 1) {
    throw invalidValue(maxDatapoints, 'MaxDatapoints');
  }
  const offsets = decodeDataToken(input['NextToken'], queries.length);
  let budget = maxDatapoints;
  let truncated = false;
  const ids = new Set<string>();
  const results: MetricDataResult[] = [];
  queries.forEach((raw: Record<string, unknown> | null, i) => {
    const at = `MetricDataQueries.member.${i + 1}`;
    const query = raw ?? {};
    const id = requiredString(query['Id'], `${at}.Id`);
    if (!/^[a-z][a-zA-Z0-9_]{0,254}$/.test(id)) {
      throw invalidValue(
        id,
        `${at}.Id`,
        'Ids must start with a lowercase letter and contain only letters, digits and _.',
      );
    }
    if (ids.has(id)) throw invalidValue(id, `${at}.Id`, 'Ids must be unique.');
    ids.add(id);
    const hasStat = query['MetricStat'] !== undefined && query['MetricStat'] !== null;
    const hasExpression = query['Expression'] !== undefined && query['Expression'] !== null;
    if (hasStat === hasExpression) {
      throw new CloudWatchError(
        'InvalidParameterCombination',
        `Exactly one of ${at}.MetricStat and ${at}.Expression must be specified.`,
      );
    }
    if (hasExpression) {
      throw invalidValue(
        query['Expression'],
        `${at}.Expression`,
        'Metric math expressions are not supported locally.',
      );
    }
    const metricStat = query['MetricStat'] as Record<string, unknown>;
    const metric = metricOf(metricStat['Metric'], `${at}.MetricStat.Metric`);
    const period = checkPeriod(metricStat['Period'], `${at}.MetricStat.Period`);
    const statName = requiredString(metricStat['Stat'], `${at}.MetricStat.Stat`);
    const stat = parseStatistic(statName);
    if (!stat) throw invalidValue(statName, `${at}.MetricStat.Stat`);
    const unit = metricStat['Unit'] === undefined ? undefined : String(metricStat['Unit']);
    if (query['ReturnData'] === false) return;

    const first = roundStart(start, now, period);
    const points = byPeriod(store.samples(metric, first, end, unit), first, period * 1000)
      .map(([t, samples]) => [t, statisticValue(samples, stat)] as const)
      .filter((p): p is readonly [number, number] => p[1] !== undefined);
    if (scanBy === 'TimestampDescending') points.reverse();
    const from = offsets[i]!;
    const page = points.slice(from, from + budget);
    budget -= page.length;
    offsets[i] = from + page.length;
    const partial = offsets[i]! < points.length;
    truncated ||= partial;
    results.push({
      Id: id,
      Label: typeof query['Label'] === 'string' ? query['Label'] : metric.metricName,
      Timestamps: page.map(([t]) => t / 1000),
      Values: page.map(([, v]) => v),
      StatusCode: partial ? 'PartialData' : 'Complete',
      Messages: [],
    });
  });
  return {
    MetricDataResults: results,
    Messages: [],
    ...(truncated ? { NextToken: Buffer.from(JSON.stringify(offsets)).toString('base64url') } : {}),
  };
}

const BASIC_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;

export function getMetricStatistics(store: MetricStore, input: Record<string, unknown>, now: number) {
  const metric = {
    namespace: checkNamespace(input['Namespace']),
    metricName: requiredString(input['MetricName'], 'MetricName'),
    dimensions: checkDimensions(input['Dimensions'], 'Dimensions'),
  };
  const { start, end } = timeRange(input);
  const period = checkPeriod(input['Period'], 'Period');
  const statistics = (input['Statistics'] ?? []) as unknown[];
  const extended = (input['ExtendedStatistics'] ?? []) as unknown[];
  if (!Array.isArray(statistics) || !Array.isArray(extended))
    throw invalidValue(input['Statistics'], 'Statistics');
  if (statistics.length === 0 && extended.length === 0) {
    throw new CloudWatchError('MissingParameter', 'Must specify either Statistics or ExtendedStatistics.');
  }
  if (statistics.length > 5) {
    throw new CloudWatchError(
      'InvalidParameterValue',
      'The collection Statistics must not have a size greater than 5.',
    );
  }
  if (extended.length > 10) {
    throw new CloudWatchError(
      'InvalidParameterValue',
      'The collection ExtendedStatistics must not have a size greater than 10.',
    );
  }
  statistics.forEach((s, i) => {
    if (!(BASIC_STATISTICS as readonly unknown[]).includes(s))
      throw invalidValue(s, `Statistics.member.${i + 1}`);
  });
  const percentiles = extended.map((s, i) => {
    const stat = typeof s === 'string' ? parseStatistic(s) : undefined;
    if (!stat || stat.kind !== 'percentile') throw invalidValue(s, `ExtendedStatistics.member.${i + 1}`);
    return [s as string, stat] as const;
  });
  const first = roundStart(start, now, period);
  const requested = Math.ceil((end - first) / (period * 1000));
  if (requested > 1440) {
    throw new CloudWatchError(
      'InvalidParameterCombination',
      `You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of 1,440. ` +
        'You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
    );
  }
  const unit = input['Unit'] === undefined ? undefined : String(input['Unit']);
  const datapoints = byPeriod(store.samples(metric, first, end, unit), first, period * 1000).map(
    ([t, samples]) => {
      const point: Record<string, unknown> = { Timestamp: t / 1000 };
      for (const s of statistics as (typeof BASIC_STATISTICS)[number][]) {
        point[s] = statisticValue(samples, { kind: s } as Statistic);
      }
      if (percentiles.length > 0) {
        point['ExtendedStatistics'] = Object.fromEntries(
          percentiles
            .map(([name, stat]) => [
              name,
              stat.kind === 'percentile' ? percentile(samples, stat.percent) : undefined,
            ])
            .filter(([, v]) => v !== undefined),
        );
      }
      point['Unit'] = unit ?? samples[0]?.unit ?? 'None';
      return point;
    },
  );
  return { Label: metric.metricName, Datapoints: datapoints };
}

const LIST_PAGE_SIZE = 500;

export function listMetrics(store: MetricStore, input: Record<string, unknown>, now: number) {
  const namespace = input['Namespace'] === undefined ? undefined : checkNamespace(input['Namespace']);
  const metricName =
    input['MetricName'] === undefined ? undefined : requiredString(input['MetricName'], 'MetricName');
  const rawFilters = (input['Dimensions'] ?? []) as { Name?: unknown; Value?: unknown }[];
  if (!Array.isArray(rawFilters)) throw invalidValue(rawFilters, 'Dimensions');
  if (rawFilters.length > 10) {
    throw new CloudWatchError(
      'InvalidParameterValue',
      'The collection Dimensions must not have a size greater than 10.',
    );
  }
  const filters = rawFilters.map((f, i) => ({
    name: requiredString(f?.Name, `Dimensions.member.${i + 1}.Name`),
    value: f?.Value === undefined || f?.Value === null ? undefined : String(f.Value),
  }));
  const recentlyActive = input['RecentlyActive'];
  if (recentlyActive !== undefined && recentlyActive !== 'PT3H')
    throw invalidValue(recentlyActive, 'RecentlyActive');
  let offset = 0;
  if (input['NextToken'] !== undefined) {
    offset = Number(Buffer.from(String(input['NextToken']), 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) {
      throw new CloudWatchError('InvalidNextToken', 'The service couldn\u2019t process the NextToken.');
    }
  }
  const matching = store
    .identities()
    .filter(
      (m) =>
        (namespace === undefined || m.namespace === namespace) &&
        (metricName === undefined || m.metricName === metricName) &&
        filters.every((f) =>
          m.dimensions.some((d) => d.Name === f.name && (f.value === undefined || d.Value === f.value)),
        ) &&
        (recentlyActive === undefined || store.samples(m, now - 3 * 3600 * 1000, Infinity).length > 0),
    );
  const page = matching.slice(offset, offset + LIST_PAGE_SIZE);
  const next = offset + LIST_PAGE_SIZE < matching.length ? offset + LIST_PAGE_SIZE : undefined;
  return {
    Metrics: page.map((m) => ({
      Namespace: m.namespace,
      MetricName: m.metricName,
      Dimensions: m.dimensions,
    })),
    ...(next === undefined ? {} : { NextToken: Buffer.from(String(next)).toString('base64url') }),
  };
}
