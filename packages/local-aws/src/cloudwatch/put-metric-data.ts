/**
 * PutMetricData input checked the way CloudWatch checks it, turned into stored samples.
 * Limits: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
import { CloudWatchError, invalidValue, missing } from './errors.js';
import type { MetricSample } from './model.js';

export const LIMITS = {
  metricsPerRequest: 1000,
  valuesPerMetric: 150,
  dimensionsPerMetric: 30,
  requestBytes: 1024 * 1024,
  nameLength: 255,
  dimensionValueLength: 1024,
  pastMs: 14 * 24 * 3600 * 1000,
  futureMs: 2 * 3600 * 1000,
} as const;

export const UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
] as const;

const NAMESPACE_PATTERN = /^[A-Za-z0-9.\-_/#: ]+$/;

/**
 * Checks a namespace: 1-255 of `[A-Za-z0-9.-_/#: ]`, not only spaces, not starting with `:`
 * (the API's pattern `[^:].*`) nor with the reserved `AWS/`.
 */
export function checkNamespace(namespace: unknown, parameter = 'Namespace'): string {
  if (namespace === undefined || namespace === null || namespace === '') throw missing(parameter);
  if (typeof namespace !== 'string') throw invalidValue(namespace, parameter);
  if (namespace.length > LIMITS.nameLength) {
    throw invalidValue(namespace, parameter, `Namespace must be at most ${LIMITS.nameLength} characters.`);
  }
  if (!NAMESPACE_PATTERN.test(namespace) || namespace.trim() === '' || namespace.startsWith(':')) {
    throw invalidValue(
      namespace,
      parameter,
      'Namespaces may contain only letters, digits and the characters . - _ / # : and space, and may not start with :.',
    );
  }
  if (namespace.startsWith('AWS/')) {
    throw invalidValue(namespace, parameter, 'The namespace prefix AWS/ is reserved for AWS services.');
  }
  return namespace;
}

function checkName(value: unknown, parameter: string, maxLength: number = LIMITS.nameLength): string {
  if (value === undefined || value === null || value === '') throw missing(parameter);
  if (typeof value !== 'string') throw invalidValue(value, parameter);
  if (value.length > maxLength)
    throw invalidValue(value, parameter, `It must be at most ${maxLength} characters.`);
  return value;
}

/** A JSON number as the SDK sends doubles: a number, or the strings `NaN`/`Infinity`/`-Infinity`. */
function checkDouble(value: unknown, parameter: string): number {
  const number = typeof value === 'string' && /^(NaN|-?Infinity)$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) throw invalidValue(value, parameter);
  if (number !== 0 && (Math.abs(number) > 2 ** 360 || Math.abs(number) < 2 ** -360)) {
    throw invalidValue(value, parameter, 'Values must lie between 2^-360 and 2^360 in magnitude, or be 0.');
  }
  return number;
}

/** Epoch seconds (awsJson timestamps) or an ISO-8601 string, as milliseconds. */
export function parseTimestamp(value: unknown, parameter: string): number {
  const ms =
    typeof value === 'number'
      ? value * 1000
      : typeof value === 'string'
        ? /^-?\d+(\.\d+)?$/.test(value)
          ? Number(value) * 1000
          : Date.parse(value)
        : Number.NaN;
  if (!Number.isFinite(ms)) throw invalidValue(value, parameter);
  return ms;
}

export function checkDimensions(value: unknown, parameter: string): { Name: string; Value: string }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidValue(value, parameter);
  if (value.length > LIMITS.dimensionsPerMetric) {
    throw invalidValue(
      value.length,
      parameter,
      `The collection ${parameter} must not have a size greater than ${LIMITS.dimensionsPerMetric}.`,
    );
  }
  const seen = new Set<string>();
  return value.map((d: { Name?: unknown; Value?: unknown } | null, i) => {
    const at = `${parameter}.member.${i + 1}`;
    const name = checkName(d?.Name, `${at}.Name`);
    const dimValue = checkName(d?.Value, `${at}.Value`, LIMITS.dimensionValueLength);
    if (seen.has(name)) throw invalidValue(name, `${at}.Name`, `Dimension names must be unique.`);
    seen.add(name);
    return { Name: name, Value: dimValue };
  });
}

/** Validates a PutMetricData request body; returns the samples to store. */
export function parsePutMetricData(input: Record<string, unknown>, now: number): MetricSample[] {
  const namespace = checkNamespace(input['Namespace']);
  const data = input['MetricData'];
  if (data === undefined || data === null) throw missing('MetricData');
  if (!Array.isArray(data)) throw invalidValue(data, 'MetricData');
  if (data.length === 0) throw missing('MetricData');
  if (data.length > LIMITS.metricsPerRequest) {
    throw new CloudWatchError(
      'InvalidParameterValue',
      `The collection MetricData must not have a size greater than ${LIMITS.metricsPerRequest}.`,
    );
  }
  return data.map((raw: Record<string, unknown> | null, i): MetricSample => {
    const at = `MetricData.member.${i + 1}`;
    const datum = raw ?? {};
    const metricName = checkName(datum['MetricName'], `${at}.MetricName`);
    const dimensions = checkDimensions(datum['Dimensions'], `${at}.Dimensions`);

    const unit = datum['Unit'] ?? 'None';
    if (typeof unit !== 'string' || !(UNITS as readonly string[]).includes(unit)) {
      throw invalidValue(unit, `${at}.Unit`);
    }
    const resolution = datum['StorageResolution'] ?? 60;
    if (resolution !== 1 && resolution !== 60) throw invalidValue(resolution, `${at}.StorageResolution`);

    let t = now;
    if (datum['Timestamp'] !== undefined && datum['Timestamp'] !== null) {
      t = parseTimestamp(datum['Timestamp'], `${at}.Timestamp`);
      if (t > now + LIMITS.futureMs) {
        throw new CloudWatchError(
          'InvalidParameterValue',
          `The parameter ${at}.Timestamp must specify a time no more than two hours in the future.`,
        );
      }
      if (t < now - LIMITS.pastMs) {
        throw new CloudWatchError(
          'InvalidParameterValue',
          `The parameter ${at}.Timestamp must specify a time within the past two weeks.`,
        );
      }
    }

    const hasValue = datum['Value'] !== undefined && datum['Value'] !== null;
    const hasValues = Array.isArray(datum['Values']) && datum['Values'].length > 0;
    const hasCounts = Array.isArray(datum['Counts']) && datum['Counts'].length > 0;
    const hasStats = datum['StatisticValues'] !== undefined && datum['StatisticValues'] !== null;
    const given = [hasValue && 'Value', hasValues && 'Values', hasStats && 'StatisticValues'].filter(
      (x): x is string => typeof x === 'string',
    );
    if (given.length > 1) {
      throw new CloudWatchError(
        'InvalidParameterCombination',
        `The parameters ${given.map((g) => `${at}.${g}`).join(' and ')} are mutually exclusive and you have specified both.`,
      );
    }
    if (hasCounts && !hasValues) {
      throw new CloudWatchError(
        'InvalidParameterCombination',
        `The parameter ${at}.Counts must be specified together with ${at}.Values.`,
      );
    }
    const base = { namespace, metricName, dimensions, t, unit, storageResolution: resolution };

    if (hasValue) {
      const v = checkDouble(datum['Value'], `${at}.Value`);
      return { ...base, values: [v], counts: [1], stats: { sampleCount: 1, sum: v, min: v, max: v } };
    }
    if (hasValues) {
      const rawValues = datum['Values'] as unknown[];
      if (rawValues.length > LIMITS.valuesPerMetric) {
        throw new CloudWatchError(
          'InvalidParameterValue',
          `The collection ${at}.Values must not have a size greater than ${LIMITS.valuesPerMetric}.`,
        );
      }
      const values = rawValues.map((v, j) => checkDouble(v, `${at}.Values.member.${j + 1}`));
      let counts = values.map(() => 1);
      if (hasCounts) {
        const rawCounts = datum['Counts'] as unknown[];
        if (rawCounts.length !== values.length) {
          throw new CloudWatchError(
            'InvalidParameterValue',
            `The parameters ${at}.Values and ${at}.Counts must be of the same size.`,
          );
        }
        counts = rawCounts.map((c, j) => {
          const count = checkDouble(c, `${at}.Counts.member.${j + 1}`);
          if (count < 0)
            throw invalidValue(c, `${at}.Counts.member.${j + 1}`, 'Counts must not be negative.');
          return count;
        });
      }
      let sampleCount = 0;
      let sum = 0;
      let min = Infinity;
      let max = -Infinity;
      values.forEach((v, j) => {
        const c = counts[j]!;
        if (c === 0) return;
        sampleCount += c;
        sum += v * c;
        min = Math.min(min, v);
        max = Math.max(max, v);
      });
      if (sampleCount === 0) {
        throw invalidValue(0, `${at}.Counts`, 'At least one count must be greater than zero.');
      }
      return { ...base, values, counts, stats: { sampleCount, sum, min, max } };
    }
    if (hasStats) {
      const s = datum['StatisticValues'] as Record<string, unknown>;
      const field = (name: string) => {
        if (s[name] === undefined || s[name] === null) throw missing(`${at}.StatisticValues.${name}`);
        return checkDouble(s[name], `${at}.StatisticValues.${name}`);
      };
      const stats = {
        sampleCount: field('SampleCount'),
        sum: field('Sum'),
        min: field('Minimum'),
        max: field('Maximum'),
      };
      if (stats.sampleCount <= 0) throw invalidValue(s['SampleCount'], `${at}.StatisticValues.SampleCount`);
      if (stats.min > stats.max) {
        throw new CloudWatchError(
          'InvalidParameterValue',
          `The parameter ${at}.StatisticValues.Minimum must not be greater than ${at}.StatisticValues.Maximum.`,
        );
      }
      return { ...base, stats };
    }
    throw new CloudWatchError(
      'MissingParameter',
      `The parameter ${at}.Value, ${at}.Values or ${at}.StatisticValues is required.`,
    );
  });
}
