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
  FailedFileRecord,
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
 * Stub services recording every call: the analyzer fails for keys containing `bad`, throws a
 * transient read error once for keys containing `flaky`, and otherwise returns two metric batches.
 */
function stubServices(objects: string[]) {
  const calls = {
    listed: [] as ItemReaderRequest[],
    analyzed: [] as AnalyzeLogDataEvent[],
    items: [] as unknown[],
    metrics: [] as unknown[],
    reports: [] as unknown[],
    written: [] as ResultWriterRequest[],
  };
  const flakyAttempts = new Map<string, number>();
  const taskInvoker: TaskInvoker = {
    async invoke(resource, args) {
      const a = args as Record<string, unknown>;
      if (resource === INTEGRATIONS.lambdaInvoke && a.FunctionName === names.analyzerFunction) {
        const event = a.Payload as AnalyzeLogDataEvent;
        calls.analyzed.push(event);
        const key = event.object.Key;
        if (key.includes('bad'))
          throw new StatesError('UnrecognizedLogFormatError', `no known format in ${key}`);
        if (key.includes('flaky') && !flakyAttempts.has(key)) {
          flakyAttempts.set(key, 1);
          throw new StatesError('LogObjectReadError', 'connection reset');
        }
        const result: AnalyzeLogDataResult = {
          headline: {
            key,
            format: 'combined',
            requests: 10,
            bytes: 1000,
            malformed: 0,
            status: 'ANALYZED',
            metrics: { datums: 2, outsideWindow: 0 },
          },
          item: { pk: { S: `DAY#${event.date}` }, sk: { S: `FILE#s3://${event.bucket}/${key}` } },
          metricBatches: [[{ MetricName: 'Requests', Value: 10 }], [{ MetricName: '5xxErrors', Value: 1 }]],
        };
        return { StatusCode: 200, Payload: result };
      }
      if (resource === INTEGRATIONS.lambdaInvoke && a.FunctionName === names.reporterFunction) {
        calls.reports.push(a.Payload);
        return { StatusCode: 200, Payload: { reportKey: 'reports/2026-11-22/summary.json' } };
      }
      if (resource === INTEGRATIONS.dynamodbPutItem) {
        expect(a.TableName).toBe(names.summaryTable);
        calls.items.push(a.Item);
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

const outputs = (results: MapRunChildResult[]) =>
  results
    .flatMap(
      (r) =>
        JSON.parse(r.Output ?? 'null') as { key: string; status: string } | { key: string; status: string }[],
    )
    .sort((x, y) => x.key.localeCompare(y.key));

async function runDay(config: DailyWorkflowConfig, objects: string[], input: unknown) {
  const { calls, options } = stubServices(objects);
  const result = await runExecution(buildDailyWorkflowDefinition(config), input, options);
  return { calls, result };
}

describe('the daily workflow, run by @logflow/asl-runtime with stub services', () => {
  const objects = [
    'logs/2026/11/22/a.log',
    'logs/2026/11/22/bad.log',
    'logs/2026/11/22/flaky.log',
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

  it('analyses every object of the day, stores summaries and metrics, records failures, reports', async () => {
    const { calls, result } = await runDay(localWorkflowConfig(), objects, input);
    expect(result.error ? `${result.error}: ${result.cause}` : result.status).toBe('SUCCEEDED');
    expect(calls.listed).toEqual([
      expect.objectContaining({ args: { Bucket: 'input-logs', Prefix: 'logs/2026/11/22/' } }),
    ]);
    expect(calls.analyzed.map((e) => e.object.Key).sort()).toEqual([
      'logs/2026/11/22/a.log',
      'logs/2026/11/22/bad.log',
      'logs/2026/11/22/flaky.log',
      'logs/2026/11/22/flaky.log',
    ]);
    expect(calls.analyzed[0]).toEqual({
      bucket: 'input-logs',
      date: '2026-11-22',
      object: expect.objectContaining({ Etag: '"etag"' }),
      format: null,
    });
    expect(calls.items).toHaveLength(2);
    expect(calls.metrics).toHaveLength(4);

    const [written] = calls.written;
    expect(written?.args).toEqual({ Bucket: names.resultBucket, Prefix: 'results/2026-11-22' });
    const failed: FailedFileRecord = {
      key: 'logs/2026/11/22/bad.log',
      status: 'FAILED',
      error: 'UnrecognizedLogFormatError',
      cause: 'no known format in logs/2026/11/22/bad.log',
    };
    expect(outputs(written?.results ?? [])).toEqual([
      {
        key: 'logs/2026/11/22/a.log',
        format: 'combined',
        requests: 10,
        bytes: 1000,
        malformed: 0,
        status: 'ANALYZED',
        metrics: { datums: 2, outsideWindow: 0 },
      },
      failed,
      {
        key: 'logs/2026/11/22/flaky.log',
        format: 'combined',
        requests: 10,
        bytes: 1000,
        malformed: 0,
        status: 'ANALYZED',
        metrics: { datums: 2, outsideWindow: 0 },
      },
    ]);

    const resultWriterDetails = { Bucket: names.resultBucket, Key: 'results/2026-11-22/run/manifest.json' };
    expect(calls.reports).toEqual([{ date: '2026-11-22', resultWriterDetails }]);
    expect(result.output).toEqual({ reportKey: 'reports/2026-11-22/summary.json' });
  });

  it('derives the previous day from a scheduled input', async () => {
    const { calls, result } = await runDay(localWorkflowConfig(), objects, {
      bucket: 'input-logs',
      scheduledTime: '2026-11-22T02:15:00Z',
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(calls.listed[0]?.args).toEqual({ Bucket: 'input-logs', Prefix: 'logs/2026/11/21/' });
    expect(calls.analyzed.map((e) => e.object.Key)).toEqual(['logs/2026/11/21/old.log']);
    expect(calls.reports).toEqual([{ date: '2026-11-21', resultWriterDetails: expect.any(Object) }]);
  });

  it('with an ItemBatcher gives each batch the same per-file chain', async () => {
    const { calls, result } = await runDay(
      localWorkflowConfig({}, { itemBatcher: { maxItemsPerBatch: 2 } }),
      objects,
      input,
    );
    expect(result.status).toBe('SUCCEEDED');
    expect(calls.items).toHaveLength(2);
    expect(calls.written[0]?.results).toHaveLength(2);
    expect(outputs(calls.written[0]?.results ?? []).map((o) => o.status)).toEqual([
      'ANALYZED',
      'FAILED',
      'ANALYZED',
    ]);
  });

  it('fails the run on an input without a bucket, naming the field', async () => {
    const { result } = await runDay(localWorkflowConfig(), objects, { date: '2026-11-22' });
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.QueryEvaluationError');
    expect(result.cause).toMatch(/"bucket" must be a bucket name/);
  });
});
