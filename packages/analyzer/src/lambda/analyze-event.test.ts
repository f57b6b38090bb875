import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixedClock, type AnalyzeLogDataEvent } from '@logflow/shared-types';
import { fromSummaryItem } from '../adapters/dynamodb.js';
import { PUT_METRIC_DATA_LIMITS, datumQuerySize } from '../adapters/cloudwatch.js';
import { emptyRecord } from '../record.js';
import { SummaryBuilder } from '../summary/builder.js';
import { worstCaseSummary } from '../summary/test-support/worst-case.js';
import {
  RESULT_MAX_BYTES,
  analyzeEvent,
  buildResult,
  readHandlerConfig,
  validateEvent,
} from './analyze-event.js';

const config = { metricNamespace: 'Logflow/test', summaryTtlDays: 7 };

function event(key = 'logs/2026/11/22/web-1.log.gz'): AnalyzeLogDataEvent {
  return {
    bucket: 'acme-logs',
    date: '2026-11-22',
    object: {
      Key: key,
      Size: 1234,
      Etag: '"abc123"',
      LastModified: 1795388400,
      StorageClass: 'STANDARD',
    },
  };
}

export function combinedLines(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = i % 2;
    const status = i % 20 === 0 ? 503 : 200;
    lines.push(
      `10.0.${i % 7}.${i % 250} - - [22/Nov/2026:10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000] "GET /p/${i % 13} HTTP/1.1" ${status} ${100 + i} "-" "agent/${s}"`,
    );
  }
  return lines.join('\n') + '\n';
}

describe('analyzeEvent', () => {
  it('turns a gzip log into headline, summary item and metric batches', async () => {
    const body = Readable.from([gzipSync(combinedLines(600) + 'not a log line\n')]);
    const result = await analyzeEvent(event(), body, config, fixedClock('2026-11-23T06:00:00Z'));
    expect(result.headline).toEqual({
      key: 'logs/2026/11/22/web-1.log.gz',
      format: 'combined',
      requests: 600,
      bytes: 600 * 100 + (599 * 600) / 2,
      malformed: 1,
      status: 'ANALYZED',
      metrics: { datums: result.metricBatches.flat().length, outsideWindow: 0 },
    });
    expect(result.headline.metrics.datums).toBeGreaterThan(0);
    const summary = fromSummaryItem(result.item);
    expect(summary.file).toEqual({
      key: 'logs/2026/11/22/web-1.log.gz',
      bucket: 'acme-logs',
      etag: 'abc123',
      size: 1234,
      gzip: true,
    });
    expect(summary.statusClass['5xx']).toBe(30);
    expect(result.item.sk).toEqual({ S: 'FILE#s3://acme-logs/logs/2026/11/22/web-1.log.gz' });
    const requests = result.metricBatches.flat().filter((d) => d.MetricName === 'Requests' && !d.Dimensions);
    expect(requests.map((d) => d.Timestamp)).toEqual(
      Array.from({ length: 10 }, (_, m) => `2026-11-22T10:0${m}:00.000Z`),
    );
    expect(requests.reduce((n, d) => n + (d.Value ?? 0), 0)).toBe(600);
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThanOrEqual(RESULT_MAX_BYTES);
  });

  it('passes the parser error for content in no known format', async () => {
    const body = Readable.from([Buffer.from('hello\nworld\n')]);
    await expect(analyzeEvent(event('x.txt'), body, config)).rejects.toMatchObject({
      name: 'UnrecognizedLogFormatError',
    });
  });

  it('reports a broken stream as a retryable read error', async () => {
    const body = new PassThrough();
    body.write(combinedLines(10));
    setImmediate(() => body.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
    const failure = analyzeEvent(event(), body, config);
    await expect(failure).rejects.toMatchObject({ name: 'LogObjectReadError' });
    await expect(failure).rejects.toThrow(
      /s3:\/\/acme-logs\/logs\/2026\/11\/22\/web-1.log.gz: reading the object failed \(ECONNRESET: socket hang up\)/,
    );
  });
});

/** A fixed processing time the day after the logs, so results do not depend on the clock. */
const NOW = new Date('2026-11-23T06:00:00Z');

describe('buildResult', () => {
  it('leaves out metrics CloudWatch would reject as too old, and still stores the summary', () => {
    const b = new SummaryBuilder({ file: { key: 'web.log', gzip: false }, format: 'combined' });
    for (let i = 0; i < 600; i++) {
      b.add({
        ...emptyRecord(),
        timestampMs: Date.UTC(2026, 10, 22, 10) + i * 1000,
        status: 200,
        latencyMs: 12,
      });
    }
    const summary = b.finish();
    const fresh = buildResult(event(), summary, config, NOW);
    const late = buildResult(event(), summary, config, new Date('2027-01-10T00:00:00Z'));
    expect(fresh.metricBatches.flat().length).toBeGreaterThan(0);
    expect(late.metricBatches.flat().filter((d) => d.Timestamp !== undefined)).toEqual([]);
    expect(late.item).toEqual(fresh.item);
    // what was left out is counted, never dropped silently
    expect(fresh.headline.metrics).toEqual({ datums: fresh.metricBatches.flat().length, outsideWindow: 0 });
    expect(late.headline.metrics.datums + late.headline.metrics.outsideWindow).toBe(
      fresh.headline.metrics.datums,
    );
    expect(late.headline.metrics.outsideWindow).toBeGreaterThan(0);
  });

  it('keeps a worst-case result under the payload limit with valid batches', () => {
    const summary = worstCaseSummary();
    const result = buildResult(event(), summary, config, null);
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThanOrEqual(RESULT_MAX_BYTES);
    expect(fromSummaryItem(result.item)).toEqual(summary);
    for (const batch of result.metricBatches) {
      expect(batch.length).toBeLessThanOrEqual(PUT_METRIC_DATA_LIMITS.maxDatumsPerRequest);
      expect(batch.reduce((n, d) => n + datumQuerySize(d), 0)).toBeLessThanOrEqual(
        PUT_METRIC_DATA_LIMITS.maxRequestBytes,
      );
      for (const d of batch) expect(d.Values?.length ?? 0).toBeLessThanOrEqual(150);
    }
    expect(result.metricBatches.flat().some((d) => d.MetricName === 'Requests')).toBe(true);
  });

  it('coarsens metric time resolution when a day of minute buckets would not fit', () => {
    const b = new SummaryBuilder({ file: { key: 'day.log', gzip: false }, format: 'alb' });
    const start = Date.UTC(2026, 10, 22);
    for (let i = 0; i < 20_000; i++) {
      b.add({
        ...emptyRecord(),
        timestampMs: start + Math.floor((i / 20_000) * 86_400_000),
        status: i % 9 === 0 ? 500 : 200,
        bytes: Math.floor(10 ** ((i % 997) / 66)),
        latencyMs: 10 ** (((i * 7) % 1499) / 100 - 3),
      });
    }
    const summary = b.finish();
    expect(summary.timeline?.bucketSeconds).toBe(60);
    const result = buildResult(event(), summary, config, null);
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThanOrEqual(RESULT_MAX_BYTES);
    const requests = result.metricBatches.flat().filter((d) => d.MetricName === 'Requests' && !d.Dimensions);
    expect(requests.reduce((n, d) => n + (d.Value ?? 0), 0)).toBe(20_000);
    const step = Date.parse(requests[1]!.Timestamp!) - Date.parse(requests[0]!.Timestamp!);
    expect(step).toBeGreaterThan(60_000);
    const latencyCounts = result.metricBatches
      .flat()
      .filter((d) => d.MetricName === 'Latency' && !d.Dimensions)
      .flatMap((d) => d.Counts ?? []);
    expect(latencyCounts.reduce((a, c) => a + c, 0)).toBe(20_000);
  });

  it('is deterministic', () => {
    const summary = worstCaseSummary(5_000);
    expect(buildResult(event(), summary, config, null)).toEqual(buildResult(event(), summary, config, null));
  });
});

describe('configuration and event validation', () => {
  it('requires the metric namespace and defaults the TTL to 90 days', () => {
    expect(readHandlerConfig({ LOGFLOW_METRIC_NAMESPACE: 'Logflow/prod' })).toEqual({
      metricNamespace: 'Logflow/prod',
      summaryTtlDays: 90,
    });
    expect(() => readHandlerConfig({})).toThrow(/LOGFLOW_METRIC_NAMESPACE is not set/);
    expect(() =>
      readHandlerConfig({ LOGFLOW_METRIC_NAMESPACE: 'x', LOGFLOW_SUMMARY_TTL_DAYS: '1.5' }),
    ).toThrow(/LOGFLOW_SUMMARY_TTL_DAYS/);
  });

  it('names the bad field of an event', () => {
    expect(() => validateEvent({ bucket: 'b', date: '2026-11-22', object: {} })).toThrow(
      /field "object.Key"/,
    );
    expect(() => validateEvent({ bucket: 'b', date: 'today', object: { Key: 'k' } })).toThrow(/field "date"/);
    expect(() => validateEvent({ bucket: 'b', date: '2026-02-30', object: { Key: 'k' } })).toThrow(
      /field "date"/,
    );
    expect(() => validateEvent(null)).toThrow(/InvalidAnalyzeEventError|must be an object/);
    expect(validateEvent(event())).toEqual(event());
  });
});
