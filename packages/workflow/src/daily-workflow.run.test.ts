import { describe, expect, it } from 'vitest';
import { StatesError, runExecution, validateDefinition } from '@logflow/asl-runtime';
import type {
  ItemReaderRequest,
  MapRunChildResult,
  ResultWriterRequest,
  TaskInvoker,
} from '@logflow/asl-runtime';
import { resourceNames } from '@logflow/shared-types';
import type {
  AnalyzeLogDataEvent,
  AnalyzeLogDataResult,
  BatchOutcome,
  FailedFileRecord,
  FileOutcomeRecord,
  S3ListItem,
} from '@logflow/shared-types';
import { INTEGRATIONS, buildDailyWorkflowDefinition } from './daily-workflow.js';
import type { DailyWorkflowConfig } from './config.js';
import { localWorkflowConfig } from './local.js';

const names = resourceNames();

const listItem = (key: string): S3ListItem => ({
  Key: key,
  Size: 100,
  Etag: '"etag"',
  LastModified: 1_795_392_600, // 2026-11-23T00:10:00Z, epoch seconds as the ItemReader delivers it
  StorageClass: 'STANDARD',
});

/**
 * Stub services recording every call: the analyzer fails objects whose key contains `bad`, the
 * claim of keys containing `published` fails its condition (an earlier run published them), and
 * every analysed object adds two metric batches.
 */
function stubServices(objects: string[], dayPublished = false) {
  const calls = {
    listed: [] as ItemReaderRequest[],
    analyzed: [] as AnalyzeLogDataEvent[],
    claims: [] as unknown[],
    dailyClaims: [] as unknown[],
    items: [] as unknown[],
    progress: [] as unknown[],
    marked: [] as unknown[],
    metrics: [] as unknown[],
    reports: [] as unknown[],
    written: [] as ResultWriterRequest[],
  };
  const taskInvoker: TaskInvoker = {
    async invoke(resource, args) {
      const a = args as Record<string, unknown>;
      if (resource === INTEGRATIONS.lambdaInvoke && a.FunctionName === names.analyzerFunction) {
        const event = a.Payload as AnalyzeLogDataEvent;
        calls.analyzed.push(event);
        const files: FileOutcomeRecord[] = event.items.map(({ object }) =>
          object.Key.includes('bad')
            ? {
                key: object.Key,
                status: 'FAILED',
                state: 'AnalyzeLogData',
                error: 'UnrecognizedLogFormatError',
                cause: `no known format in ${object.Key}`,
              }
            : { key: object.Key, etag: 'etag', status: 'ANALYZED' },
        );
        const analyzed = files.filter((f) => f.status === 'ANALYZED');
        const toPublish = event.items.filter((i) => i.publish && !i.object.Key.includes('bad'));
        const result: AnalyzeLogDataResult = {
          files,
          item:
            analyzed.length > 0
              ? { pk: { S: 'DAY#2026-11-22' }, sk: { S: `BATCH#${analyzed.map((f) => f.key).join(',')}` } }
              : null,
          summaryKey: analyzed.length > 0 ? `BATCH#${analyzed.map((f) => f.key).join(',')}` : null,
          publication: {
            id: 'p',
            objects: toPublish.map((i) => ({ key: i.object.Key, etag: 'etag' })),
            datums: 2,
            outsideWindow: 0,
          },
          metricBatches: toPublish.flatMap(() => [
            [{ MetricName: 'Requests', Value: 10 }],
            [{ MetricName: '5xxErrors', Value: 1 }],
          ]),
        };
        return { StatusCode: 200, Payload: result };
      }
      if (resource === INTEGRATIONS.lambdaInvoke && a.FunctionName === names.reporterFunction) {
        calls.reports.push(a.Payload);
        const metrics = {
          datums: (a.Payload as { publishMetrics?: boolean }).publishMetrics ? 10 : 0,
          outsideWindow: 0,
        };
        return { StatusCode: 200, Payload: { reportKey: 'reports/2026-11-22/summary.json', metrics } };
      }
      if (resource === INTEGRATIONS.dynamodbPutItem) {
        expect(a.TableName).toBe(names.summaryTable);
        const item = a.Item as { sk: { S: string } };
        if (item.sk.S === 'METRICS#DAY') {
          calls.dailyClaims.push(item);
          if (dayPublished)
            throw new StatesError(
              'DynamoDB.ConditionalCheckFailedException',
              'The conditional request failed',
            );
        } else if (item.sk.S.startsWith('FILE#')) {
          calls.claims.push(item);
          if (item.sk.S.includes('published'))
            throw new StatesError(
              'DynamoDB.ConditionalCheckFailedException',
              'The conditional request failed',
            );
        } else calls.items.push(item);
        return {};
      }
      if (resource === INTEGRATIONS.dynamodbGetItem) return {};
      if (resource === INTEGRATIONS.dynamodbUpdateItem) {
        const key = a.Key as { sk: { S: string } };
        (key.sk.S.startsWith('PUB#') ? calls.progress : calls.marked).push(a);
        return {};
      }
      if (resource === INTEGRATIONS.cloudwatchPutMetricData) {
        expect(a.Namespace).toBe(names.metricNamespace);
        calls.metrics.push(a.MetricData);
        return {};
      }
      throw new StatesError('States.TaskFailed', `unexpected resource ${resource}`);
    },
  };
  async function* itemReader(request: ItemReaderRequest) {
    calls.listed.push(request);
    for (const key of objects) if (key.startsWith(String(request.args.Prefix))) yield listItem(key);
  }
  const resultWriter = async (request: ResultWriterRequest) => {
    calls.written.push(request);
    return { Bucket: request.args.Bucket, Key: `${request.args.Prefix}/run/manifest.json` };
  };
  return { calls, options: { taskInvoker, itemReader, resultWriter, noWait: true, keepHistory: false } };
}

const outcomes = (results: MapRunChildResult[]) =>
  results.map((r) => JSON.parse(r.Output ?? 'null') as BatchOutcome);

async function runDay(config: DailyWorkflowConfig, objects: string[], input: unknown, dayPublished = false) {
  const { calls, options } = stubServices(objects, dayPublished);
  const result = await runExecution(buildDailyWorkflowDefinition(config), input, options);
  return { calls, result };
}

describe('the daily workflow, run by @logflow/asl-runtime with stub services', () => {
  const objects = [
    'logs/2026/11/22/a.log',
    'logs/2026/11/22/bad.log',
    'logs/2026/11/22/c.log',
    'logs/2026/11/22/published.log',
    'logs/2026/11/21/old.log',
  ];
  const input = { date: '2026-11-22', bucket: 'input-logs', prefix: 'logs/2026/11/22/' };

  it("passes the runtime's own validation (which the CLI and local runs apply)", () => {
    for (const config of [
      localWorkflowConfig(),
      localWorkflowConfig({}, { itemBatcher: { maxItemsPerBatch: 2 } }),
    ]) {
      expect(validateDefinition(buildDailyWorkflowDefinition(config)).issues).toEqual([]);
    }
  });

  it('claims, analyses and publishes each batch; records failures; skips what was published; reports', async () => {
    const { calls, result } = await runDay(
      localWorkflowConfig({}, { itemBatcher: { maxItemsPerBatch: 2 } }),
      objects,
      input,
    );
    expect(result.error ? `${result.error}: ${result.cause}` : result.status).toBe('SUCCEEDED');
    expect(calls.listed).toEqual([
      expect.objectContaining({ args: { Bucket: 'input-logs', Prefix: 'logs/2026/11/22/' } }),
    ]);
    expect(calls.claims).toHaveLength(4);
    // two batches of two; the published object is analysed again, but not published again
    const analyzed = calls.analyzed.flatMap((e) => e.items.map((i) => `${i.object.Key} ${i.publish}`)).sort();
    expect(analyzed).toEqual([
      'logs/2026/11/22/a.log true',
      'logs/2026/11/22/bad.log true',
      'logs/2026/11/22/c.log true',
      'logs/2026/11/22/published.log false',
    ]);
    expect(calls.analyzed[0]?.items[0]).toEqual({
      bucket: 'input-logs',
      date: '2026-11-22',
      object: expect.objectContaining({ Etag: '"etag"' }),
      publish: true,
      format: null,
    });
    expect(calls.items).toHaveLength(2);
    expect(calls.metrics).toHaveLength(4);
    expect(calls.progress).toHaveLength(4);
    expect(calls.marked.map((m) => (m as { Key: { sk: { S: string } } }).Key.sk.S).sort()).toEqual([
      'FILE#s3://input-logs/logs/2026/11/22/a.log',
      'FILE#s3://input-logs/logs/2026/11/22/c.log',
      'METRICS#DAY',
    ]);
    expect(calls.dailyClaims).toHaveLength(1);

    const [written] = calls.written;
    expect(written?.args).toEqual({ Bucket: names.resultBucket, Prefix: 'results/2026-11-22' });
    const all = outcomes(written?.results ?? []);
    expect(all.reduce((n, o) => n + o.analyzed, 0)).toBe(3);
    expect(all.map((o) => o.summaryKey).sort()).toEqual([
      'BATCH#logs/2026/11/22/a.log',
      'BATCH#logs/2026/11/22/c.log,logs/2026/11/22/published.log',
    ]);
    const failed: FailedFileRecord = {
      key: 'logs/2026/11/22/bad.log',
      status: 'FAILED',
      state: 'AnalyzeLogData',
      error: 'UnrecognizedLogFormatError',
      cause: 'no known format in logs/2026/11/22/bad.log',
    };
    expect(all.flatMap((o) => o.failed)).toEqual([failed]);

    const resultWriterDetails = { Bucket: names.resultBucket, Key: 'results/2026-11-22/run/manifest.json' };
    expect(calls.reports).toEqual([{ date: '2026-11-22', resultWriterDetails, publishMetrics: true }]);
    expect(result.output).toEqual({
      reportKey: 'reports/2026-11-22/summary.json',
      metrics: { datums: 10, outsideWindow: 0 },
    });
  });

  it("asks the reporter not to publish the day's metrics when an earlier run did", async () => {
    const { calls, result } = await runDay(localWorkflowConfig(), objects, input, true);
    expect(result.status).toBe('SUCCEEDED');
    expect(calls.reports).toEqual([expect.objectContaining({ publishMetrics: false })]);
    expect(calls.marked.map((m) => (m as { Key: { sk: { S: string } } }).Key.sk.S)).not.toContain(
      'METRICS#DAY',
    );
    expect(result.output).toMatchObject({ metrics: { datums: 0 } });
  });

  it('derives the previous day from a scheduled input', async () => {
    const { calls, result } = await runDay(localWorkflowConfig(), objects, {
      bucket: 'input-logs',
      scheduledTime: '2026-11-22T02:15:00Z',
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(calls.listed[0]?.args).toEqual({ Bucket: 'input-logs', Prefix: 'logs/2026/11/21/' });
    expect(calls.analyzed.flatMap((e) => e.items.map((i) => i.object.Key))).toEqual([
      'logs/2026/11/21/old.log',
    ]);
    expect(calls.reports).toEqual([
      { date: '2026-11-21', resultWriterDetails: expect.any(Object), publishMetrics: true },
    ]);
  });

  it('fails the run on an input without a bucket, naming the field', async () => {
    const { result } = await runDay(localWorkflowConfig(), objects, { date: '2026-11-22' });
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.QueryEvaluationError');
    expect(result.cause).toMatch(/"bucket" must be a bucket name/);
  });
});
