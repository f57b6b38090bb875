import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { AnalyzeLogDataEvent, AnalyzeObjectItem, MetricDatumJson } from '@logflow/shared-types';
import { fromBatchSummaryItem } from '../adapters/dynamodb.js';
import { PUT_METRIC_DATA_LIMITS, datumQuerySize } from '../adapters/cloudwatch.js';
import { mergeSummaries } from '../merge/merge.js';
import { analyzeStream } from '../analyze.js';
import {
  RESULT_MAX_BYTES,
  analyzeBatch,
  readHandlerConfig,
  validateEvent,
  type OpenObject,
} from './analyze-event.js';
import { LogObjectNotFoundError } from './errors.js';

const config = { metricNamespace: 'Logflow/test', summaryTtlDays: 7 };

function item(key: string, publish = true, etag = `"${key.length}"`): AnalyzeObjectItem {
  return {
    bucket: 'acme-logs',
    date: '2026-11-22',
    object: { Key: key, Size: 1234, Etag: etag, LastModified: 1795388400, StorageClass: 'STANDARD' },
    publish,
  };
}

const batch = (...items: AnalyzeObjectItem[]): AnalyzeLogDataEvent => ({ items });

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

/** A fixed processing time the day after the logs, so results do not depend on the clock. */
const NOW = new Date('2026-11-23T06:00:00Z');

/** Objects served from memory; a function body stands for a stream that fails. */
function objects(
  bodies: Record<string, Buffer | string | (() => Readable)>,
): OpenObject & { opened: string[] } {
  const opened: string[] = [];
  const open = async (_bucket: string, key: string): Promise<Readable> => {
    opened.push(key);
    const body = bodies[key];
    if (body === undefined) throw new LogObjectNotFoundError('acme-logs', key);
    return typeof body === 'function' ? body() : Readable.from([Buffer.from(body)]);
  };
  return Object.assign(open, { opened });
}

const noWait = { sleep: async () => undefined };
const sum = (data: MetricDatumJson[], name: string): number =>
  data.filter((d) => d.MetricName === name && !d.Dimensions).reduce((n, d) => n + (d.Value ?? 0), 0);

describe('analyzeBatch', () => {
  const web = combinedLines(600);
  const other = combinedLines(90);

  it('fails only the bad object of a batch; the others are merged into one record', async () => {
    const open = objects({ 'a.log.gz': gzipSync(web), 'bad.txt': 'hello\nworld\n', 'c.log': other });
    const result = await analyzeBatch(
      batch(item('a.log.gz'), item('bad.txt'), item('gone.log'), item('c.log')),
      open,
      config,
      {
        now: NOW,
        ...noWait,
      },
    );
    expect(result.files).toEqual([
      { key: 'a.log.gz', etag: '8', status: 'ANALYZED' },
      expect.objectContaining({
        key: 'bad.txt',
        status: 'FAILED',
        state: 'AnalyzeLogData',
        error: 'UnrecognizedLogFormatError',
      }),
      expect.objectContaining({ key: 'gone.log', status: 'FAILED', error: 'LogObjectNotFoundError' }),
      { key: 'c.log', etag: '5', status: 'ANALYZED' },
    ]);
    const stored = fromBatchSummaryItem(result.item!);
    expect(stored.core.requests).toBe(690);
    expect(stored.details.map((d) => [d.key, d.requests])).toEqual([
      ['a.log.gz', 600],
      ['c.log', 90],
    ]);
    expect(result.summaryKey).toBe((result.item!.sk as { S: string }).S);
    expect(result.publication.objects).toEqual([
      { key: 'a.log.gz', etag: '8' },
      { key: 'c.log', etag: '5' },
    ]);
    expect(sum(result.metricBatches.flat(), 'Requests')).toBe(690);
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThanOrEqual(RESULT_MAX_BYTES);
  });

  it('changes no number by batching: one batch of three equals three batches of one', async () => {
    const bodies = { 'a.log': web, 'b.log': other, 'c.log': combinedLines(31) };
    const keys = Object.keys(bodies);
    const together = await analyzeBatch(batch(...keys.map((k) => item(k))), objects(bodies), config, {
      now: NOW,
    });
    const apart = await Promise.all(
      keys.map((k) => analyzeBatch(batch(item(k)), objects(bodies), config, { now: NOW })),
    );
    const merged = mergeSummaries(apart.map((r) => fromBatchSummaryItem(r.item!).core));
    expect(fromBatchSummaryItem(together.item!).core).toEqual(merged);
    const all = apart.flatMap((r) => r.metricBatches.flat());
    for (const name of ['Requests', '5xxErrors', 'MalformedLines']) {
      expect(sum(together.metricBatches.flat(), name)).toBe(sum(all, name));
    }
    // a batch of one is exactly that object's summary
    const alone = await analyzeStream(Readable.from([Buffer.from(web)]), {
      file: { key: 'a.log', bucket: 'acme-logs', etag: '5', size: 1234 },
    });
    expect(fromBatchSummaryItem(apart[0]!.item!).core).toEqual(mergeSummaries([alone]));
  });

  it('publishes the metrics of claimed objects only, under an id of their versions', async () => {
    const bodies = { 'a.log': web, 'b.log': other };
    const run = (publishB: boolean, etagB = '"b1"') =>
      analyzeBatch(batch(item('a.log', false), item('b.log', publishB, etagB)), objects(bodies), config, {
        now: NOW,
      });
    const onlyB = await run(true);
    expect(onlyB.publication.objects).toEqual([{ key: 'b.log', etag: 'b1' }]);
    expect(sum(onlyB.metricBatches.flat(), 'Requests')).toBe(90);
    expect(fromBatchSummaryItem(onlyB.item!).core.requests).toBe(690);
    expect((await run(true)).publication.id).toBe(onlyB.publication.id);
    expect((await run(true, '"b2"')).publication.id).not.toBe(onlyB.publication.id);
    const none = await run(false);
    expect(none.metricBatches).toEqual([]);
    expect(none.publication.objects).toEqual([]);
    // the summary record is named by the analysed versions, not by what is published
    expect(none.summaryKey).toBe(onlyB.summaryKey);
  });

  it('retries an object whose read failed in transit, then records it as failed', async () => {
    let attempts = 0;
    const flaky = (): Readable => {
      attempts++;
      const body = new PassThrough();
      body.write(combinedLines(10));
      if (attempts < 3)
        setImmediate(() => body.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
      else body.end();
      return body;
    };
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const ok = await analyzeBatch(batch(item('f.log')), objects({ 'f.log': flaky }), config, {
      now: NOW,
      sleep,
    });
    expect(ok.files[0]?.status).toBe('ANALYZED');
    expect(waits).toEqual([500, 2000]);
    attempts = -10;
    const failed = await analyzeBatch(batch(item('f.log')), objects({ 'f.log': flaky }), config, {
      now: NOW,
      ...noWait,
    });
    expect(failed.files[0]).toMatchObject({ status: 'FAILED', error: 'LogObjectReadError' });
    expect(failed.files[0]).toHaveProperty('cause', expect.stringMatching(/ECONNRESET: socket hang up/));
    expect(failed.item).toBeNull();
    expect(failed.summaryKey).toBeNull();
  });

  it('leaves out metrics CloudWatch would reject as too old, and still stores the summary', async () => {
    const bodies = { 'a.log': web };
    const fresh = await analyzeBatch(batch(item('a.log')), objects(bodies), config, { now: NOW });
    const late = await analyzeBatch(batch(item('a.log')), objects(bodies), config, {
      now: new Date('2027-01-10T00:00:00Z'),
    });
    expect(fresh.metricBatches.flat().length).toBeGreaterThan(0);
    expect(late.metricBatches.flat().filter((d) => d.Timestamp !== undefined)).toEqual([]);
    expect(late.item).toEqual(fresh.item);
    expect(fresh.publication.outsideWindow).toBe(0);
    expect(late.publication.datums + late.publication.outsideWindow).toBe(fresh.publication.datums);
    expect(late.publication.outsideWindow).toBeGreaterThan(0);
  });

  it('keeps a batch of a day of minute buckets under the payload limit with valid requests', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const t = Math.floor((i / 20_000) * 86_400);
      const hh = String(Math.floor(t / 3600)).padStart(2, '0');
      const mm = String(Math.floor(t / 60) % 60).padStart(2, '0');
      const ss = String(t % 60).padStart(2, '0');
      lines.push(
        `10.1.${i % 9}.${i % 200} - - [22/Nov/2026:${hh}:${mm}:${ss} +0000] "GET /x/${i % 301} HTTP/1.1" ${i % 9 === 0 ? 500 : 200} ${i} "-" "ua/${i % 17}"`,
      );
    }
    const text = `${lines.join('\n')}\n`;
    const bodies = { 'a.log': text, 'b.log': text, 'c.log': text };
    const result = await analyzeBatch(
      batch(item('a.log'), item('b.log'), item('c.log')),
      objects(bodies),
      config,
      { now: null },
    );
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThanOrEqual(RESULT_MAX_BYTES);
    expect(sum(result.metricBatches.flat(), 'Requests')).toBe(60_000);
    for (const request of result.metricBatches) {
      expect(request.length).toBeLessThanOrEqual(PUT_METRIC_DATA_LIMITS.maxDatumsPerRequest);
      expect(request.reduce((n, d) => n + datumQuerySize(d), 0)).toBeLessThanOrEqual(
        PUT_METRIC_DATA_LIMITS.maxRequestBytes,
      );
      for (const d of request) expect(d.Values?.length ?? 0).toBeLessThanOrEqual(150);
    }
    // deterministic: the same batch gives the same result
    expect(
      await analyzeBatch(batch(item('a.log'), item('b.log'), item('c.log')), objects(bodies), config, {
        now: null,
      }),
    ).toEqual(result);
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
    const at = (value: unknown) => ({ items: [item('ok.log'), value] });
    expect(() => validateEvent(at({ bucket: 'b', date: '2026-11-22', object: {}, publish: true }))).toThrow(
      /field "items\[1\].object.Key"/,
    );
    expect(() =>
      validateEvent(at({ bucket: 'b', date: 'today', object: { Key: 'k' }, publish: true })),
    ).toThrow(/field "items\[1\].date"/);
    expect(() =>
      validateEvent(at({ bucket: 'b', date: '2026-02-30', object: { Key: 'k' }, publish: true })),
    ).toThrow(/field "items\[1\].date"/);
    expect(() => validateEvent(at({ bucket: 'b', date: '2026-11-22', object: { Key: 'k' } }))).toThrow(
      /field "items\[1\].publish"/,
    );
    expect(() => validateEvent({})).toThrow(/field "items"/);
    expect(() => validateEvent(at({ ...item('k'), format: { format: 'nope' } }))).toThrow(
      /field "items\[1\].format.format"/,
    );
    expect(() => validateEvent(null)).toThrow(/must be an object/);
    expect(validateEvent(batch(item('a.log')))).toEqual(batch(item('a.log')));
  });
});
