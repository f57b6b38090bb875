import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import type { FileSummary } from '@logflow/shared-types';
import { emptyRecord } from '../record.js';
import { SummaryBuilder } from '../summary/builder.js';
import { worstCaseSummary } from '../summary/test-support/worst-case.js';
import {
  PUT_METRIC_DATA_LIMITS,
  batchMetricData,
  datumQuerySize,
  isTimestampAccepted,
  toMetricData,
  toMetricDataJson,
} from './cloudwatch.js';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);

function summary(): FileSummary {
  const b = new SummaryBuilder({ file: { key: 'a.log', gzip: false }, format: 'alb' });
  for (let i = 0; i < 600; i++) {
    b.add({
      ...emptyRecord(),
      timestampMs: T0 + 15_000 + i * 300, // 10:00:15 .. 10:03:14
      status: i % 10 === 0 ? 502 : 200,
      bytes: 100 + i,
      latencyMs: 1 + i,
      client: `c${i % 7}`,
    });
  }
  b.addMalformed(1, 'bad', 'unparseable');
  return b.finish();
}

describe('toMetricData', () => {
  it('publishes per-bucket counts at the log time and distributions from the sketch bins', () => {
    const s = summary();
    const data = toMetricData(s, { dimensionSets: [[]] });
    const requests = data.filter((d) => d.MetricName === 'Requests');
    expect(requests.map((d) => [d.Timestamp?.toISOString(), d.Value])).toEqual([
      ['2026-11-22T10:00:00.000Z', 150],
      ['2026-11-22T10:01:00.000Z', 200],
      ['2026-11-22T10:02:00.000Z', 200],
      ['2026-11-22T10:03:00.000Z', 50],
    ]);
    const errors = data.filter((d) => d.MetricName === '5xxErrors');
    expect(errors.reduce((n, d) => n + (d.Value ?? 0), 0)).toBe(60);
    const latency = data.filter((d) => d.MetricName === 'Latency');
    expect(latency.length).toBeGreaterThan(1); // ~470 bins split into datums of ≤150 values
    expect(
      latency.every((d) => (d.Values?.length ?? 0) <= 150 && d.Values?.length === d.Counts?.length),
    ).toBe(true);
    expect(latency.flatMap((d) => d.Counts ?? []).reduce((a, b) => a + b, 0)).toBe(600);
    expect(latency[0]?.Unit).toBe('Milliseconds');
    expect(latency[0]?.Timestamp?.toISOString()).toBe('2026-11-22T10:00:00.000Z');
    const values = latency.flatMap((d) => d.Values ?? []);
    expect(Math.abs(values[values.length - 1]! - 600) / 600).toBeLessThanOrEqual(0.01);
    expect(data.find((d) => d.MetricName === 'MalformedLines')?.Value).toBe(1);
  });

  it('uses bounded dimensions: the fleet series and one per format', () => {
    const data = toMetricData(summary());
    const sets = new Set(data.map((d) => JSON.stringify(d.Dimensions ?? [])));
    expect([...sets].sort()).toEqual(['[]', '[{"Name":"Format","Value":"alb"}]']);
  });

  it('coarsens the buckets on request and keeps totals', () => {
    const data = toMetricData(summary(), { dimensionSets: [[]], maxTimelineBuckets: 1 });
    const requests = data.filter((d) => d.MetricName === 'Requests');
    expect(requests.map((d) => [d.Timestamp?.toISOString(), d.Value])).toEqual([
      ['2026-11-22T10:00:00.000Z', 600],
    ]);
  });

  it('pools distribution bins on request, keeping the total count and the mean', () => {
    const s = summary();
    const latency = toMetricData(s, { dimensionSets: [[]], maxDistributionValues: 10 }).filter(
      (d) => d.MetricName === 'Latency',
    );
    expect(latency).toHaveLength(1);
    const values = latency[0]!.Values!;
    const counts = latency[0]!.Counts!;
    expect(values.length).toBeLessThanOrEqual(10);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(600);
    const mean = values.reduce((acc, v, i) => acc + v * counts[i]!, 0) / 600;
    expect(Math.abs(mean - s.latencyMs!.sum / 600) / (s.latencyMs!.sum / 600)).toBeLessThan(0.01);
  });

  it('has a JSON form with ISO timestamps', () => {
    const json = toMetricDataJson(summary());
    expect(json[0]).toEqual({
      MetricName: 'Requests',
      Timestamp: '2026-11-22T10:00:00.000Z',
      Value: 150,
      Unit: 'Count',
    });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe('CloudWatch timestamp window', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  it('accepts two weeks back and two hours ahead, with a margin', () => {
    expect(isTimestampAccepted(undefined, now)).toBe(true);
    expect(isTimestampAccepted(new Date('2026-11-10T12:00:00Z'), now)).toBe(true);
    expect(isTimestampAccepted(new Date('2026-11-09T12:00:00Z'), now)).toBe(false);
    expect(isTimestampAccepted(new Date('2026-11-23T13:00:00Z'), now)).toBe(true);
    expect(isTimestampAccepted(new Date('2026-11-23T14:00:00Z'), now)).toBe(false);
  });
});

describe('batchMetricData', () => {
  it('respects PutMetricData limits on huge inputs', () => {
    const many: MetricDatum[] = Array.from({ length: 25_000 }, (_, i) => ({
      MetricName: 'Requests',
      Dimensions: [{ Name: 'Format', Value: 'combined' }],
      Timestamp: new Date(T0 + i * 60_000),
      Value: i,
      Unit: 'Count',
    }));
    const wide: MetricDatum[] = Array.from({ length: 3_000 }, (_, i) => ({
      MetricName: 'Latency',
      Values: Array.from({ length: 150 }, (_, j) => 1.0123456789 * (i + j)),
      Counts: Array.from({ length: 150 }, (_, j) => j + 1),
      Unit: 'Milliseconds',
    }));
    for (const data of [many, wide, [...many.slice(0, 500), ...wide.slice(0, 500)]]) {
      const batches = batchMetricData(data, 'Logflow/prod');
      expect(batches.flat()).toEqual(data);
      for (const batch of batches) {
        expect(batch.length).toBeLessThanOrEqual(PUT_METRIC_DATA_LIMITS.maxDatumsPerRequest);
        const bytes = batch.reduce((n, d) => n + datumQuerySize(d), 0);
        expect(bytes).toBeLessThanOrEqual(PUT_METRIC_DATA_LIMITS.maxRequestBytes);
      }
    }
    expect(batchMetricData(many).length).toBe(25);
    expect(batchMetricData(wide).length).toBeGreaterThan(3);
  });

  it('measures a datum at least as large as its query encoding', () => {
    const d: MetricDatum = { MetricName: 'Latency', Values: [1.5, 2], Counts: [3, 4], Unit: 'Milliseconds' };
    const encoded = new URLSearchParams({
      'MetricData.member.1.MetricName': 'Latency',
      'MetricData.member.1.Values.member.1': '1.5',
      'MetricData.member.1.Values.member.2': '2',
      'MetricData.member.1.Counts.member.1': '3',
      'MetricData.member.1.Counts.member.2': '4',
      'MetricData.member.1.Unit': 'Milliseconds',
    }).toString();
    expect(datumQuerySize(d)).toBeGreaterThanOrEqual(encoded.length + 1);
  });

  it('rejects datums over the per-datum limits', () => {
    expect(() =>
      batchMetricData([{ MetricName: 'X', Values: new Array(151).fill(1), Counts: new Array(151).fill(1) }]),
    ).toThrow(/150/);
    const dims = Array.from({ length: 31 }, (_, i) => ({ Name: `d${i}`, Value: 'v' }));
    expect(() => batchMetricData([{ MetricName: 'X', Value: 1, Dimensions: dims }])).toThrow(/30 dimensions/);
  });

  it('turns a worst-case summary into valid batches', () => {
    const data = toMetricData(worstCaseSummary(20_000));
    const batches = batchMetricData(data);
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(1000);
    expect(data.every((d) => (d.Values?.length ?? 0) <= 150)).toBe(true);
  });
});
