import {
  CloudWatchClient,
  CloudWatchServiceException,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
  type MetricDatum,
} from '@aws-sdk/client-cloudwatch';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../index.js';
import { signedFetch } from '../test-support/sign.js';

const MINUTE = 60_000;

describe('CloudWatch metrics', () => {
  let aws: LocalAws;
  let cw: CloudWatchClient;
  /** A whole minute ten minutes ago, so periods are predictable. */
  const base = Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE;
  const dims = [
    { Name: 'Environment', Value: 'local' },
    { Name: 'Bucket', Value: 'logs' },
  ];

  beforeAll(async () => {
    aws = await startLocalAws({ inMemory: true });
    cw = new CloudWatchClient(aws.clientConfig());
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Logflow/test',
        MetricData: [
          // minute 0: 1, 2, 2, 3, 10 (Values/Counts) and a single 4
          {
            MetricName: 'LatencyMs',
            Dimensions: dims,
            Timestamp: new Date(base),
            Values: [1, 2, 3, 10],
            Counts: [1, 2, 1, 1],
          },
          {
            MetricName: 'LatencyMs',
            Dimensions: dims,
            Timestamp: new Date(base + 30_000),
            Value: 4,
            Unit: 'Milliseconds',
          },
          // minute 1: a statistic set
          {
            MetricName: 'LatencyMs',
            Dimensions: [...dims].reverse(),
            Timestamp: new Date(base + MINUTE),
            StatisticValues: { SampleCount: 4, Sum: 100, Minimum: 5, Maximum: 50 },
          },
          // minute 2
          { MetricName: 'LatencyMs', Dimensions: dims, Timestamp: new Date(base + 2 * MINUTE + 1), Value: 7 },
          { MetricName: 'Requests', Dimensions: dims, Timestamp: new Date(base), Value: 9, Unit: 'Count' },
          {
            MetricName: 'Requests',
            Dimensions: [dims[0]!],
            Timestamp: new Date(base),
            Value: 1,
            Unit: 'Count',
          },
        ],
      }),
    );
  });
  afterAll(async () => {
    cw.destroy();
    await aws.stop();
  });

  const query = (
    stat: string,
    extra: Partial<{ ScanBy: 'TimestampAscending' | 'TimestampDescending'; Period: number }> = {},
  ) =>
    cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(base),
        EndTime: new Date(base + 5 * MINUTE),
        ...(extra.ScanBy ? { ScanBy: extra.ScanBy } : {}),
        MetricDataQueries: [
          {
            Id: 'q',
            MetricStat: {
              Metric: { Namespace: 'Logflow/test', MetricName: 'LatencyMs', Dimensions: dims },
              Period: extra.Period ?? 60,
              Stat: stat,
            },
          },
        ],
      }),
    );

  it('GetMetricData: every statistic per period, newest first by default', async () => {
    const expected: Record<string, number[]> = {
      Sum: [7, 100, 22],
      SampleCount: [1, 4, 6],
      Average: [7, 25, 22 / 6],
      Minimum: [7, 5, 1],
      Maximum: [7, 50, 10],
    };
    for (const [stat, values] of Object.entries(expected)) {
      const out = await query(stat);
      const result = out.MetricDataResults?.[0];
      expect(result?.Id).toBe('q');
      expect(result?.StatusCode).toBe('Complete');
      expect(result?.Timestamps?.map((t) => t.getTime())).toEqual([base + 2 * MINUTE, base + MINUTE, base]);
      expect(result?.Values).toEqual(values);
    }
  });

  it('GetMetricData: percentiles from Values/Counts, statistic sets left out', async () => {
    const p50 = (await query('p50')).MetricDataResults?.[0];
    // minute 0 holds 1, 2, 2, 3, 4, 10: the 3rd of 6 is 2; minute 1 has no raw values
    expect(p50?.Timestamps?.map((t) => t.getTime())).toEqual([base + 2 * MINUTE, base]);
    expect(p50?.Values).toEqual([7, 2]);
    expect((await query('p99')).MetricDataResults?.[0]?.Values).toEqual([7, 10]);
  });

  it('GetMetricData: ascending scan and longer periods', async () => {
    const asc = (await query('Sum', { ScanBy: 'TimestampAscending' })).MetricDataResults?.[0];
    expect(asc?.Values).toEqual([22, 100, 7]);
    const wide = (await query('Sum', { Period: 300 })).MetricDataResults?.[0];
    expect(wide?.Values).toEqual([129]);
    expect(wide?.Timestamps?.map((t) => t.getTime())).toEqual([base]);
  });

  it('GetMetricData: pages with MaxDatapoints and NextToken', async () => {
    const queries = ['Sum', 'Maximum'].map((Stat, i) => ({
      Id: `q${i}`,
      MetricStat: {
        Metric: { Namespace: 'Logflow/test', MetricName: 'LatencyMs', Dimensions: dims },
        Period: 60,
        Stat,
      },
    }));
    const seen: Record<string, number[]> = { q0: [], q1: [] };
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(base),
          EndTime: new Date(base + 5 * MINUTE),
          MetricDataQueries: queries,
          MaxDatapoints: 2,
          NextToken: token,
        }),
      );
      pages++;
      const count = (out.MetricDataResults ?? []).reduce((n, r) => n + (r.Values?.length ?? 0), 0);
      expect(count).toBeLessThanOrEqual(2);
      for (const r of out.MetricDataResults ?? []) seen[r.Id!]!.push(...(r.Values ?? []));
      token = out.NextToken;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual({ q0: [7, 100, 22], q1: [7, 50, 10] });
  });

  it('GetMetricStatistics: statistics and extended statistics', async () => {
    const out = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Logflow/test',
        MetricName: 'LatencyMs',
        Dimensions: dims,
        StartTime: new Date(base),
        EndTime: new Date(base + 5 * MINUTE),
        Period: 60,
        Statistics: ['Sum', 'Maximum', 'SampleCount'],
        ExtendedStatistics: ['p50'],
      }),
    );
    expect(out.Label).toBe('LatencyMs');
    const points = [...(out.Datapoints ?? [])].sort(
      (a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime(),
    );
    expect(points.map((p) => [p.Timestamp!.getTime(), p.Sum, p.Maximum, p.SampleCount])).toEqual([
      [base, 22, 10, 6],
      [base + MINUTE, 100, 50, 4],
      [base + 2 * MINUTE, 7, 7, 1],
    ]);
    expect(points[0]?.ExtendedStatistics).toEqual({ p50: 2 });
  });

  it('filters by unit', async () => {
    const out = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Logflow/test',
        MetricName: 'LatencyMs',
        Dimensions: dims,
        StartTime: new Date(base),
        EndTime: new Date(base + 5 * MINUTE),
        Period: 300,
        Statistics: ['Sum'],
        Unit: 'Milliseconds',
      }),
    );
    expect(out.Datapoints?.map((p) => [p.Sum, p.Unit])).toEqual([[4, 'Milliseconds']]);
  });

  it('ListMetrics: namespace, name and dimension filters', async () => {
    const all = await cw.send(new ListMetricsCommand({ Namespace: 'Logflow/test' }));
    expect(all.Metrics).toHaveLength(3);
    const requests = await cw.send(
      new ListMetricsCommand({ Namespace: 'Logflow/test', MetricName: 'Requests' }),
    );
    expect(requests.Metrics).toHaveLength(2);
    const byBucket = await cw.send(
      new ListMetricsCommand({ Namespace: 'Logflow/test', Dimensions: [{ Name: 'Bucket', Value: 'logs' }] }),
    );
    expect(byBucket.Metrics?.map((m) => m.MetricName).sort()).toEqual(['LatencyMs', 'Requests']);
    expect(byBucket.Metrics?.[0]?.Dimensions).toEqual([
      { Name: 'Bucket', Value: 'logs' },
      { Name: 'Environment', Value: 'local' },
    ]);
    const none = await cw.send(new ListMetricsCommand({ Namespace: 'Other' }));
    expect(none.Metrics).toEqual([]);
  });

  it('accepts values up to the edges of the documented range', async () => {
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Logflow/edges',
        MetricData: [
          { MetricName: 'Tiny', Value: 1e-108 },
          { MetricName: 'Huge', Value: 1e108 },
          { MetricName: 'Zero', Value: 0 },
          { MetricName: 'Negative', Value: -1e108 },
        ],
      }),
    );
    const list = await cw.send(new ListMetricsCommand({ Namespace: 'Logflow/edges' }));
    expect(list.Metrics).toHaveLength(4);
  });

  it('accepts a large (gzip-compressed) request from the SDK', async () => {
    const data: MetricDatum[] = Array.from({ length: 1000 }, (_, i) => ({
      MetricName: 'Bulk',
      Dimensions: [{ Name: 'Shard', Value: `shard-${i % 10}` }],
      Timestamp: new Date(base),
      Value: i,
    }));
    expect(JSON.stringify(data).length).toBeGreaterThan(10 * 1024);
    await cw.send(new PutMetricDataCommand({ Namespace: 'Logflow/bulk', MetricData: data }));
    const out = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Logflow/bulk',
        MetricName: 'Bulk',
        Dimensions: [{ Name: 'Shard', Value: 'shard-3' }],
        StartTime: new Date(base),
        EndTime: new Date(base + MINUTE),
        Period: 60,
        Statistics: ['SampleCount', 'Sum'],
      }),
    );
    expect(out.Datapoints?.map((p) => [p.SampleCount, p.Sum])).toEqual([[100, 49800]]);
  });

  it('decodes a gzip body sent on the wire', async () => {
    const body = gzipSync(
      JSON.stringify({
        Namespace: 'Logflow/raw',
        MetricData: [{ MetricName: 'Raw', Value: 5, Timestamp: base / 1000 }],
      }),
    );
    const response = await signedFetch(aws, '/', {
      method: 'POST',
      service: 'monitoring',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'content-encoding': 'gzip',
        'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData',
      },
      body,
    });
    expect(response.status).toBe(200);
    const list = await cw.send(new ListMetricsCommand({ Namespace: 'Logflow/raw' }));
    expect(list.Metrics?.map((m) => m.MetricName)).toEqual(['Raw']);
  });

  describe('rejects what CloudWatch rejects', () => {
    const put = (MetricData: MetricDatum[], Namespace = 'Logflow/bad') =>
      cw.send(new PutMetricDataCommand({ Namespace, MetricData }));
    const code = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CloudWatchServiceException);
      const e = error as CloudWatchServiceException & { Error?: { Code?: string } };
      return { name: e.name, code: e.Error?.Code, status: e.$metadata.httpStatusCode, message: e.message };
    };
    const ok = { MetricName: 'M', Value: 1 };

    it.each([
      [
        'more than 1,000 metrics',
        () => put(Array.from({ length: 1001 }, () => ok)),
        'InvalidParameterValue',
        /1000/,
      ],
      [
        'more than 150 values',
        () => put([{ MetricName: 'M', Values: Array.from({ length: 151 }, (_, i) => i) }]),
        'InvalidParameterValue',
        /Values must not have a size greater than 150/,
      ],
      [
        'Values/Counts of different lengths',
        () => put([{ MetricName: 'M', Values: [1, 2], Counts: [1] }]),
        'InvalidParameterValue',
        /must be of the same size/,
      ],
      ['a namespace starting with AWS/', () => put([ok], 'AWS/EC2'), 'InvalidParameterValue', /AWS\/EC2/],
      [
        'a namespace with bad characters',
        () => put([ok], 'Logflow$bad'),
        'InvalidParameterValue',
        /Namespace/,
      ],
      [
        'a namespace starting with a colon',
        () => put([ok], ':Logflow'),
        'InvalidParameterValue',
        /Namespace/,
      ],
      [
        'a namespace over 255 characters',
        () => put([ok], 'N'.repeat(256)),
        'InvalidParameterValue',
        /Namespace/,
      ],
      [
        'more than 30 dimensions',
        () =>
          put([
            {
              MetricName: 'M',
              Value: 1,
              Dimensions: Array.from({ length: 31 }, (_, i) => ({ Name: `d${i}`, Value: 'v' })),
            },
          ]),
        'InvalidParameterValue',
        /Dimensions must not have a size greater than 30/,
      ],
      [
        'a timestamp older than two weeks',
        () => put([{ MetricName: 'M', Value: 1, Timestamp: new Date(Date.now() - 15 * 24 * 3600_000) }]),
        'InvalidParameterValue',
        /past two weeks/,
      ],
      [
        'a timestamp over two hours ahead',
        () => put([{ MetricName: 'M', Value: 1, Timestamp: new Date(Date.now() + 3 * 3600_000) }]),
        'InvalidParameterValue',
        /two hours in the future/,
      ],
      [
        'a missing metric name',
        () => put([{ Value: 1 } as MetricDatum]),
        'MissingParameter',
        /MetricName is required/,
      ],
      ['a missing namespace', () => put([ok], ''), 'MissingParameter', /Namespace is required/],
      [
        'Value together with StatisticValues',
        () =>
          put([
            {
              MetricName: 'M',
              Value: 1,
              StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 },
            },
          ]),
        'InvalidParameterCombination',
        /mutually exclusive/,
      ],
      ['a datum without any value', () => put([{ MetricName: 'M' }]), 'MissingParameter', /Value/],
      [
        'a value beyond 2^360',
        () => put([{ MetricName: 'M', Value: 1e109 }]),
        'InvalidParameterValue',
        /Value/,
      ],
      [
        'a value below 2^-360',
        () => put([{ MetricName: 'M', Value: 1e-109 }]),
        'InvalidParameterValue',
        /Value/,
      ],
      [
        'an unknown unit',
        () => put([{ MetricName: 'M', Value: 1, Unit: 'Parsecs' as never }]),
        'InvalidParameterValue',
        /Unit/,
      ],
    ])('%s', async (_name, send, expectedCode, message) => {
      const error = await code(send());
      expect(error.code).toBe(expectedCode);
      expect(error.status).toBe(400);
      expect(error.name).toBe(
        expectedCode === 'MissingParameter'
          ? 'MissingRequiredParameterException'
          : `${expectedCode}Exception`,
      );
      expect(error.message).toMatch(message);
    });

    it('a payload over 1 MB', async () => {
      const data = Array.from({ length: 1000 }, (_, i) => ({
        MetricName: `M${i}`,
        Value: 1,
        Dimensions: [{ Name: 'Big', Value: 'v'.repeat(1024) }],
      }));
      const error = await code(put(data));
      expect(error.status).toBe(413);
      expect(error.name).toBe('RequestEntityTooLarge');
    });

    it('answers with the awsJson error body and the query error header', async () => {
      const response = await signedFetch(aws, '/', {
        method: 'POST',
        service: 'monitoring',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData',
        },
        body: JSON.stringify({ Namespace: 'AWS/Lambda', MetricData: [{ MetricName: 'M', Value: 1 }] }),
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('x-amzn-query-error')).toBe('InvalidParameterValue;Sender');
      expect(await response.json()).toMatchObject({
        __type: 'com.amazonaws.cloudwatch#InvalidParameterValueException',
        message: expect.stringContaining('Namespace') as unknown,
      });
    });

    it('nothing of a rejected request is stored', async () => {
      await code(put([ok, { MetricName: 'M', Values: [1], Counts: [1, 2] }], 'Logflow/atomic'));
      const list = await cw.send(new ListMetricsCommand({ Namespace: 'Logflow/atomic' }));
      expect(list.Metrics).toEqual([]);
    });

    it('bad GetMetricData queries', async () => {
      const bad = (MetricStat: object, Id = 'q') =>
        code(
          cw.send(
            new GetMetricDataCommand({
              StartTime: new Date(base),
              EndTime: new Date(base + MINUTE),
              MetricDataQueries: [{ Id, MetricStat: MetricStat as never }],
            }),
          ),
        );
      const metric = { Namespace: 'Logflow/test', MetricName: 'LatencyMs' };
      expect((await bad({ Metric: metric, Period: 61, Stat: 'Sum' })).code).toBe('InvalidParameterValue');
      expect((await bad({ Metric: metric, Period: 60, Stat: 'Median' })).code).toBe('InvalidParameterValue');
      expect((await bad({ Metric: metric, Period: 60, Stat: 'Sum' }, 'Upper')).code).toBe(
        'InvalidParameterValue',
      );
      expect((await bad({ Metric: metric, Period: 60 })).code).toBe('MissingParameter');
    });
  });
});
