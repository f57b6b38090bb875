import {
  CloudWatchClient,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import { fixedClock } from '@logflow/shared-types';
import { describe, expect, it } from 'vitest';
import { FaultInjector, parseFaults } from './faults.js';
import { startLocalAws, type LocalAws } from './index.js';

describe('parseFaults', () => {
  it('reads rates and seed in any order', () => {
    expect(parseFaults('throttle=0.05,error=0.02,reset=0.01,seed=7')).toEqual({
      throttle: 0.05,
      error: 0.02,
      reset: 0.01,
      seed: 7,
    });
    expect(parseFaults(' seed=3 , reset=0.5 ')).toEqual({ throttle: 0, error: 0, reset: 0.5, seed: 3 });
  });
  it('names the field that is wrong', () => {
    expect(() => parseFaults('throttle=5%')).toThrow(
      "LOGFLOW_LOCAL_FAULTS: throttle must be a fraction from 0 to 1, got '5%'",
    );
    expect(() => parseFaults('latency=0.1')).toThrow("LOGFLOW_LOCAL_FAULTS: unknown fault 'latency'");
    expect(() => parseFaults('seed=x')).toThrow('seed must be a whole number');
    expect(() => parseFaults('throttle=0.6,error=0.6')).toThrow('must not exceed 1');
  });
});

describe('FaultInjector', () => {
  const draws = (spec: string, n: number) => {
    const injector = new FaultInjector(parseFaults(spec));
    return Array.from({ length: n }, () => injector.next() ?? '-');
  };
  it('gives the same faults for the same seed, others for another', () => {
    expect(draws('throttle=0.2,error=0.2,reset=0.2,seed=7', 200)).toEqual(
      draws('throttle=0.2,error=0.2,reset=0.2,seed=7', 200),
    );
    expect(draws('throttle=0.2,error=0.2,reset=0.2,seed=8', 200)).not.toEqual(
      draws('throttle=0.2,error=0.2,reset=0.2,seed=7', 200),
    );
  });
  it('injects each kind at about its rate', () => {
    const injector = new FaultInjector(parseFaults('throttle=0.05,error=0.02,reset=0.01,seed=7'));
    for (let i = 0; i < 100_000; i++) injector.next();
    expect(injector.counts.throttle / 100_000).toBeCloseTo(0.05, 2);
    expect(injector.counts.error / 100_000).toBeCloseTo(0.02, 2);
    expect(injector.counts.reset / 100_000).toBeCloseTo(0.01, 2);
  });
  it('injects nothing without rates', () => {
    expect(draws('seed=7', 50).every((d) => d === '-')).toBe(true);
  });
});

describe('faults on the endpoint', () => {
  /** Clients that retry at once (no backoff), up to `maxAttempts`. */
  const clients = (aws: LocalAws, maxAttempts: number) => {
    const config = {
      ...aws.clientConfig(),
      retryStrategy: new ConfiguredRetryStrategy(maxAttempts, () => 0),
    };
    return { s3: new S3Client(config), ddb: new DynamoDBClient(config), cw: new CloudWatchClient(config) };
  };
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => 'succeeded',
      (e: Error & { $metadata?: { httpStatusCode?: number }; code?: string }) =>
        `${e.$metadata?.httpStatusCode ?? e.code ?? ''} ${e.name}`,
    );

  it('answer in each service’s protocol: throttling, internal error, dropped connection', async () => {
    const seen: Record<string, string[]> = {};
    for (const kind of ['throttle', 'error', 'reset']) {
      const aws = await startLocalAws({ inMemory: true, faults: `${kind}=1` });
      const c = clients(aws, 1);
      seen[kind] = await Promise.all([
        failure(c.s3.send(new ListBucketsCommand({}))),
        failure(c.ddb.send(new ListTablesCommand({}))),
        failure(c.cw.send(new ListMetricsCommand({}))),
      ]);
      for (const client of Object.values(c)) client.destroy();
      await aws.stop();
    }
    expect(seen).toEqual({
      throttle: ['503 SlowDown', '400 ThrottlingException', '400 Throttling'],
      error: ['500 InternalError', '500 InternalServerError', '500 InternalServiceFault'],
      reset: ['ECONNRESET TimeoutError', 'ECONNRESET TimeoutError', 'ECONNRESET TimeoutError'],
    });
  });

  it('come at about their rate; the SDK retries them and every write lands exactly once', async () => {
    const aws = await startLocalAws({
      inMemory: true,
      faults: 'throttle=0.1,error=0.05,reset=0.05,seed=7',
      clock: fixedClock('2026-11-22T13:00:00Z'),
    });
    const c = clients(aws, 10);
    const minute = Date.parse('2026-11-22T12:50:00Z');
    // every attempt's failure, seen inside the SDK's retry loop
    const failed: string[] = [];
    const stacks = [c.s3, c.ddb, c.cw].map(
      (client) => client.middlewareStack as { add(m: never, o: object): void },
    );
    for (const stack of stacks) {
      const record =
        (next: (args: unknown) => Promise<unknown>) =>
        async (args: unknown): Promise<unknown> => {
          try {
            return await next(args);
          } catch (error) {
            failed.push((error as { code?: string }).code ?? (error as Error).name);
            throw error;
          }
        };
      // inside the retry middleware (finalizeRequest, high priority), outside deserialization
      stack.add(record as never, {
        step: 'finalizeRequest',
        priority: 'low',
        name: 'recordAttemptFailures',
      });
    }
    let requests = 0;
    let attempts = 0;
    const count = (output: { $metadata: { attempts?: number } }) => {
      requests++;
      attempts += output.$metadata.attempts ?? 1;
    };
    const setup = [
      await c.s3.send(new CreateBucketCommand({ Bucket: 'faulty' })),
      await c.ddb.send(
        new CreateTableCommand({
          TableName: 'faulty',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      ),
    ];
    setup.forEach(count);
    for (let i = 0; i < 60; i++) {
      count(await c.s3.send(new PutObjectCommand({ Bucket: 'faulty', Key: `k${i}`, Body: `v${i}` })));
      count(await c.ddb.send(new PutItemCommand({ TableName: 'faulty', Item: { pk: { S: `k${i}` } } })));
      count(
        await c.cw.send(
          new PutMetricDataCommand({
            Namespace: 'Faulty',
            MetricData: [{ MetricName: 'Writes', Value: 1, Timestamp: new Date(minute) }],
          }),
        ),
      );
    }
    // each kind at about its rate among the attempts (the seed fixes exactly which), every one retried
    const rate = (names: string[]) => failed.filter((n) => names.includes(n)).length / attempts;
    expect(failed.length).toBe(attempts - requests);
    expect(rate(['SlowDown', 'ThrottlingException', 'Throttling'])).toBeGreaterThan(0.05);
    expect(rate(['SlowDown', 'ThrottlingException', 'Throttling'])).toBeLessThan(0.15);
    expect(rate(['InternalError', 'InternalServerError', 'InternalServiceFault'])).toBeGreaterThan(0.02);
    expect(rate(['InternalError', 'InternalServerError', 'InternalServiceFault'])).toBeLessThan(0.09);
    expect(rate(['ECONNRESET'])).toBeGreaterThan(0.02);
    expect(rate(['ECONNRESET'])).toBeLessThan(0.09);
    const clean = clients(aws, 20);
    const listed = await clean.s3.send(new ListObjectsV2Command({ Bucket: 'faulty' }));
    expect(listed.KeyCount).toBe(60);
    const scanned = await clean.ddb.send(new ScanCommand({ TableName: 'faulty', Select: 'COUNT' }));
    expect(scanned.Count).toBe(60);
    const stats = await clean.cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Faulty',
        MetricName: 'Writes',
        StartTime: new Date(minute),
        EndTime: new Date(minute + 60_000),
        Period: 60,
        Statistics: ['Sum'],
      }),
    );
    // a faulted request had no effect, so its retry does not count twice
    expect(stats.Datapoints?.map((p) => p.Sum)).toEqual([60]);
    for (const client of [...Object.values(c), ...Object.values(clean)]) client.destroy();
    await aws.stop();
  });

  it('are read from LOGFLOW_LOCAL_FAULTS, and a bad value stops the start with its field named', async () => {
    const saved = process.env['LOGFLOW_LOCAL_FAULTS'];
    try {
      process.env['LOGFLOW_LOCAL_FAULTS'] = 'reset=1';
      const aws = await startLocalAws({ inMemory: true });
      const c = clients(aws, 1);
      expect(await failure(c.s3.send(new ListBucketsCommand({})))).toBe('ECONNRESET TimeoutError');
      c.s3.destroy();
      await aws.stop();
      process.env['LOGFLOW_LOCAL_FAULTS'] = 'throttle=lots';
      await expect(startLocalAws({ inMemory: true })).rejects.toThrow(
        "LOGFLOW_LOCAL_FAULTS: throttle must be a fraction from 0 to 1, got 'lots'",
      );
    } finally {
      if (saved === undefined) delete process.env['LOGFLOW_LOCAL_FAULTS'];
      else process.env['LOGFLOW_LOCAL_FAULTS'] = saved;
    }
  });
});
