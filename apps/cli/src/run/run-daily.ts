/**
 * One daily run, end to end: local AWS (or a given endpoint, or a real account), the run's
 * buckets and table, the day's log files uploaded under the day's prefix, and the workflow
 * definition of `@logflow/workflow` executed unchanged by `@logflow/asl-runtime` with the
 * analyzer and reporter handlers bound to their Lambda function names.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  HANDLER_ENV,
  dailyReportKeys,
  dayPrefix,
  resourceNames,
  systemClock,
  yesterdayUtc,
  type AnalyzeLogDataEvent,
  type AnalyzeLogDataResult,
  type Clock,
  type DailySummary,
  type DailyRunInput,
  type FormatOptions,
  type GenerateDailySummaryResult,
  type MetricDatumCounts,
  type ResourceNames,
} from '@logflow/shared-types';
import type { LambdaHandler } from '@logflow/asl-runtime';
import type { RequestCounts } from '@logflow/local-aws';
import { ensureRunResources } from './resources.js';
import { captureConsole } from './lambda-logs.js';
import { startLambdaPool, type LambdaPool } from './lambda-pool.js';
import { runThroughApi } from './run-through-api.js';
import { createUsageMeter, type RunUsage } from './usage.js';
import { listLogFiles, syncLogFiles, type LocalLogFile, type SyncChanges } from './upload.js';

/** Where a run's AWS calls go. */
export type RunTarget =
  /** Start local AWS on the state folder (the default). */
  | { kind: 'local'; stateDir: string; reset?: boolean }
  /** Use the endpoint of AWS_ENDPOINT_URL (e.g. `logflow local` in another terminal). */
  | { kind: 'endpoint' }
  /**
   * Use the real account of the default credential chain and the deployed stack's names. The
   * stack appends `-<account id>-<region>` to bucket names unless told otherwise; give the
   * bucket names (Terraform outputs `input_bucket`, `result_bucket`) to skip that derivation.
   */
  | { kind: 'aws'; environment: string; namePrefix?: string; inputBucket?: string; resultBucket?: string };

export interface DailyRunOptions {
  /** Folder whose files are the day's logs. */
  logDir: string;
  /** The day, `YYYY-MM-DD`; default: yesterday (UTC), like the deployed schedule. */
  date?: string;
  /** Key prefix in the input bucket; default `logs/YYYY/MM/DD/`. */
  prefix?: string;
  /** How to read the logs (preset, format string, JSON fields); detected per file when absent. */
  format?: FormatOptions;
  target: RunTarget;
  /** Local folder the report files are copied to; default `<stateDir>/reports/<date>` or `.logflow/reports/<date>`. */
  reportDir?: string;
  toleratedFailurePercentage?: number;
  maxConcurrency?: number;
  signal?: AbortSignal;
  /** File the Lambda handlers' console output goes to; default `<state>/logs/lambda-<date>.log`. */
  lambdaLogFile?: string;
  /** Called when the file list is known (after the upload). */
  onStart?(info: {
    files: LocalLogFile[];
    /** Files sent this run; the others were already in the bucket unchanged. */
    uploaded: number;
    /** What the sync changed under the prefix (files uploaded, objects removed). */
    changes: SyncChanges;
    endpoint?: string;
    names: ResourceNames;
    prefix: string;
  }): void;
  /** Objects per child execution (ItemBatcher); default the workflow's. */
  maxItemsPerBatch?: number;
  /**
   * The run's "now": the default date, execution timestamps, and CloudWatch's accepted
   * timestamp window for the analyzer (in the worker threads too) and the reporter. Default the
   * system clock. Local AWS started by the `local` target runs in its own process on the system
   * clock; to share a clock with it, start it in-process and use the `endpoint` target.
   */
  clock?: Clock;
  /** Request counts of local AWS started by the caller (`endpoint` target), for `usage`. */
  requestCounts?: () => Promise<RequestCounts>;
  /** Called whenever a file's analysis finishes (retries of the same file may call it again). */
  onFileFinished?(file: { key: string; bytes: number; failed: boolean }): void;
}

export interface DailyRunResult {
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  date: string;
  prefix: string;
  error?: string;
  cause?: string;
  files: { total: number; analyzed: number; failed: number };
  requests: number;
  /** Local copies of the report objects; null when the run did not get that far. */
  report: { json: string; md: string; html: string } | null;
  daily: DailySummary | null;
  executionArn: string;
  /** Where the handlers' log output went. */
  lambdaLogFile: string;
  /**
   * CloudWatch datums published by the run (the files' and the day's), and those left out
   * because CloudWatch would have rejected their timestamps (over two weeks old or more than two
   * hours ahead of the run).
   */
  metrics: MetricDatumCounts;
  /** Wall time of each phase, in milliseconds. */
  timings: { setupMs: number; uploadMs: number; executionMs: number; reportMs: number };
  /** What the execution used, in AWS's billing terms (requests counted by local AWS when it was started here). */
  usage: RunUsage;
}

/**
 * Threads running the analyzer handler: all cores but one, which the state machine, the service
 * calls and local AWS share.
 */
export function analyzerThreads(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

/** The deployed stack's names: as `resourceNames()`, buckets with the stack's global suffix. */
export async function deployedNames(target: Extract<RunTarget, { kind: 'aws' }>): Promise<ResourceNames> {
  const names = resourceNames({
    environment: target.environment,
    ...(target.namePrefix ? { prefix: target.namePrefix } : {}),
  });
  if (target.inputBucket && target.resultBucket) {
    return { ...names, inputBucket: target.inputBucket, resultBucket: target.resultBucket };
  }
  const { GetCallerIdentityCommand, STSClient } = await import('@aws-sdk/client-sts');
  const sts = new STSClient({});
  try {
    const [identity, region] = await Promise.all([
      sts.send(new GetCallerIdentityCommand({})),
      sts.config.region(),
    ]);
    const suffix = `-${identity.Account}-${region}`;
    return {
      ...names,
      inputBucket: target.inputBucket ?? `${names.inputBucket}${suffix}`,
      resultBucket: target.resultBucket ?? `${names.resultBucket}${suffix}`,
    };
  } finally {
    sts.destroy();
  }
}

/** The batches' datums plus the day's, as GenerateDailySummary returned them in the output. */
function metricCounts(files: Iterable<MetricDatumCounts | null>, output: unknown): MetricDatumCounts {
  const total: MetricDatumCounts = { datums: 0, outsideWindow: 0 };
  const day = (output as Partial<GenerateDailySummaryResult> | undefined)?.metrics;
  for (const counts of [...files, day ?? null]) {
    if (!counts) continue;
    total.datums += counts.datums;
    total.outsideWindow += counts.outsideWindow;
  }
  return total;
}

async function readObjectText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!response.Body) throw new Error(`s3://${bucket}/${key} has no body`);
  return response.Body.transformToString('utf8');
}

export async function runDaily(options: DailyRunOptions): Promise<DailyRunResult> {
  const started = performance.now();
  const timings = { setupMs: 0, uploadMs: 0, executionMs: 0, reportMs: 0 };
  let mark = started;
  const lap = (): number => {
    const now = performance.now();
    const elapsed = now - mark;
    mark = now;
    return Math.round(elapsed);
  };
  const clock = options.clock ?? systemClock;
  const date = options.date ?? yesterdayUtc(clock);
  const prefix = options.prefix ?? dayPrefix(date);
  const target = options.target;
  const names = target.kind === 'aws' ? await deployedNames(target) : resourceNames();

  const { startLocalAwsProcess } = await import('@logflow/local-aws');
  // In its own process, local AWS serves on the second core while this one analyses.
  const local =
    target.kind === 'local'
      ? await startLocalAwsProcess({
          stateDir: target.stateDir,
          reset: target.reset ?? false,
          countRequests: true,
        })
      : null;
  const requestCounts = local?.requestCounts ?? options.requestCounts;
  const meter = createUsageMeter(requestCounts ? { requestCounts } : {});
  // The handlers and the runtime's clients use the default SDK configuration, so the
  // environment is what points them at local AWS (the same way AWS_ENDPOINT_URL would).
  const savedEnv = { ...process.env };
  if (local) Object.assign(process.env, local.env());
  Object.assign(process.env, {
    [HANDLER_ENV.summaryTable]: names.summaryTable,
    [HANDLER_ENV.resultBucket]: names.resultBucket,
    [HANDLER_ENV.metricNamespace]: names.metricNamespace,
  });

  // Uploads skip the optional CRC32 (SigV4 already hashes each body, and the checksums S3
  // requires are still sent): one pass less over every byte on each side.
  const s3 = new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
  const dynamodb = new DynamoDBClient({});
  const { createIntegrations, LambdaRegistry } = await import('@logflow/asl-runtime');
  const { buildDailyWorkflowDefinition, localWorkflowConfig } = await import('@logflow/workflow');
  const stateDir = target.kind === 'local' ? target.stateDir : '.logflow';
  const lambdaLogFile = resolve(options.lambdaLogFile ?? join(stateDir, 'logs', `lambda-${date}.log`));
  const restoreConsole = await captureConsole(lambdaLogFile);
  const lambdas = new LambdaRegistry();
  // Final outcome per object key (a retried batch may fail first and succeed later).
  const outcomes = new Map<string, boolean>();
  // Datums per publication (a retried batch publishes under the same id).
  const publications = new Map<string, MetricDatumCounts>();
  let analyzers: Promise<LambdaPool> | undefined;
  const integrations = createIntegrations({ lambdas, clock });
  try {
    const files = await listLogFiles(options.logDir);
    if (files.length === 0) throw new Error(`no log files in ${options.logDir}`);
    if (target.kind !== 'aws') await ensureRunResources({ s3, dynamodb }, names);
    timings.setupMs = lap();
    // the analyzer threads start (with this environment) while the files upload
    analyzers = startLambdaPool(analyzerThreads(), { lambdaLogFile }, (ms) =>
      meter.invoked(names.analyzerFunction, 'analyzer', ms),
    );
    analyzers.catch(() => undefined);
    // The day is what is under the prefix: locally it is made equal to the folder; a real
    // account's logs are never deleted by a run.
    const changes = await syncLogFiles(s3, names.inputBucket, prefix, files, {
      removeOthers: target.kind !== 'aws',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (options.signal?.aborted) throw new Error('the run was interrupted during the upload');
    timings.uploadMs = lap();
    options.onStart?.({
      files,
      uploaded: changes.uploaded.length,
      changes,
      names,
      prefix,
      ...(process.env.AWS_ENDPOINT_URL ? { endpoint: process.env.AWS_ENDPOINT_URL } : {}),
    });

    const [pool, reporter] = await Promise.all([
      analyzers,
      import('@logflow/reporter/lambda/generate-daily-summary'),
    ]);
    lambdas.register(names.analyzerFunction, async (event: unknown) => {
      const items = (event as AnalyzeLogDataEvent).items ?? [];
      const finished = (key: string, bytes: number, ok: boolean): void => {
        outcomes.set(key, ok);
        options.onFileFinished?.({ key, bytes, failed: !ok });
      };
      try {
        const result = (await pool.invoke(event, clock().getTime())) as AnalyzeLogDataResult;
        result.files.forEach((file, i) =>
          finished(file.key, items[i]?.object.Size ?? 0, file.status === 'ANALYZED'),
        );
        const { id, datums, outsideWindow } = result.publication;
        publications.set(id, { datums, outsideWindow });
        return result;
      } catch (error) {
        for (const item of items) finished(item.object.Key, item.object.Size, false);
        throw error;
      }
    });
    lambdas.register(
      names.reporterFunction,
      meter.handler(
        names.reporterFunction,
        'reporter',
        reporter.createGenerateDailySummaryHandler({ clock }) as LambdaHandler,
      ),
    );

    const workflowConfig = localWorkflowConfig(
      target.kind === 'aws' ? { environment: target.environment } : {},
      {
        // The run's own names, so a deployed stack's suffixed bucket names are used as given.
        resultBucket: names.resultBucket,
        summaryTable: names.summaryTable,
        metricNamespace: names.metricNamespace,
        ...(options.toleratedFailurePercentage !== undefined
          ? { toleratedFailurePercentage: options.toleratedFailurePercentage }
          : {}),
        ...(options.maxConcurrency !== undefined ? { maxConcurrency: options.maxConcurrency } : {}),
        ...(options.maxItemsPerBatch !== undefined
          ? { itemBatcher: { maxItemsPerBatch: options.maxItemsPerBatch } }
          : {}),
      },
    );
    const definition = buildDailyWorkflowDefinition(workflowConfig);
    const input: DailyRunInput = {
      date,
      bucket: names.inputBucket,
      prefix,
      ...(options.format && Object.keys(options.format).length > 0 ? { format: options.format } : {}),
    };
    await meter.start();
    const execution = await runThroughApi({
      // A local run is kept for `logflow ui` and redrive; against another endpoint, in memory.
      dir: target.kind === 'local' ? join(target.stateDir, 'stepfunctions') : undefined,
      machineName: names.stateMachine,
      definition,
      input,
      executionName: `daily-${date}-${clock().getTime()}`,
      integrations: {
        taskInvoker: meter.taskInvoker(integrations.taskInvoker),
        itemReader: integrations.itemReader,
        resultWriter: integrations.streamingResultWriter,
      },
      clock,
      ...(options.signal ? { signal: options.signal } : {}),
      inspect: meter.readExecution,
    });
    const usage = await meter.finish({
      bytes: files.reduce((sum, f) => sum + f.size, 0),
      files: files.length,
    });
    timings.executionMs = lap();

    let daily: DailySummary | null = null;
    let report: DailyRunResult['report'] = null;
    if (execution.status === 'SUCCEEDED') {
      const reportDir = resolve(options.reportDir ?? join(stateDir, 'reports', date));
      await mkdir(reportDir, { recursive: true });
      const keys = dailyReportKeys(date);
      const paths = { json: '', md: '', html: '' };
      for (const [kind, key] of Object.entries(keys) as [keyof typeof keys, string][]) {
        const text = await readObjectText(s3, names.resultBucket, key);
        paths[kind] = join(reportDir, basename(key));
        await writeFile(paths[kind], text);
        if (kind === 'json') daily = JSON.parse(text) as DailySummary;
      }
      report = paths;
    }
    timings.reportMs = lap();
    return {
      status: execution.status,
      date,
      prefix,
      ...(execution.error ? { error: execution.error } : {}),
      ...(execution.cause ? { cause: execution.cause } : {}),
      files: daily
        ? { total: files.length, analyzed: daily.files.analyzed, failed: daily.files.failed.length }
        : {
            total: files.length,
            analyzed: [...outcomes.values()].filter(Boolean).length,
            failed: [...outcomes.values()].filter((ok) => !ok).length,
          },
      metrics: metricCounts(publications.values(), execution.output),
      requests: daily?.requests ?? 0,
      report,
      daily,
      executionArn: execution.executionArn,
      lambdaLogFile,
      timings,
      usage,
    };
  } finally {
    await analyzers?.then((pool) => pool.close()).catch(() => undefined);
    await restoreConsole();
    await integrations.destroy();
    s3.destroy();
    dynamodb.destroy();
    await local?.stop();
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  }
}
