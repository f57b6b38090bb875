import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { ANALYZER_VERSION, resourceNames } from '@logflow/shared-types';
import type { FailedFileRecord } from '@logflow/shared-types';
import { toJson } from './asl.js';
import type { ChoiceState, MapState, PassState, State, StateMachineDefinition, TaskState } from './asl.js';
import {
  CONDITIONAL_CHECK_FAILED,
  INTEGRATIONS,
  STATE_NAMES,
  buildDailyWorkflowDefinition,
} from './daily-workflow.js';
import { localWorkflowConfig } from './local.js';

type AslValidator = (
  definition: unknown,
  options?: { checkPaths: boolean; checkArn: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

const GOLDEN_PATH = fileURLToPath(new URL('../daily-workflow.asl.json', import.meta.url));
const UPDATE_ENV = 'LOGFLOW_UPDATE_ASL';

function validate(definition: StateMachineDefinition): string {
  // The validator annotates the object it is given: hand it a copy.
  const result = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
  return result.isValid ? '' : result.errorsText('\n');
}

function stateOf<T extends State>(states: Record<string, State>, name: string, type: T['Type']): T {
  const state = states[name];
  if (!state || state.Type !== type) throw new Error(`expected ${type} state ${name}, got ${state?.Type}`);
  return state as T;
}

/** Evaluates a `{% %}` field the way Step Functions does, with `$states` bound. */
async function evaluate(
  field: unknown,
  states: Record<string, unknown>,
  variables: Record<string, unknown> = {},
): Promise<unknown> {
  if (typeof field !== 'string' || !field.startsWith('{%') || !field.endsWith('%}')) {
    throw new Error(`not a JSONata field: ${JSON.stringify(field)}`);
  }
  return jsonata(field.slice(2, -2)).evaluate({}, { states, ...variables });
}

const local = buildDailyWorkflowDefinition(localWorkflowConfig());
const processLogs = stateOf<MapState>(local.States, STATE_NAMES.processLogsUnderPrefix, 'Map');
const child = processLogs.ItemProcessor.States;

describe('buildDailyWorkflowDefinition', () => {
  it('passes asl-validator for the default, STANDARD and batched variants', () => {
    expect(validate(local)).toBe('');
    expect(
      validate(buildDailyWorkflowDefinition(localWorkflowConfig({}, { childExecutionType: 'STANDARD' }))),
    ).toBe('');
    const batched = buildDailyWorkflowDefinition(
      localWorkflowConfig({}, { itemBatcher: { maxItemsPerBatch: 10 } }),
    );
    expect(validate(batched)).toBe('');
    // asl-validator compiles its JSON schemas on first use: seconds on a busy machine.
  }, 60_000);

  it('the validator catches a broken definition (so the check above can fail)', () => {
    const broken = structuredClone(local) as unknown as { States: Record<string, { Next?: string }> };
    broken.States[STATE_NAMES.processLogsUnderPrefix]!.Next = 'NoSuchState';
    expect(validate(broken as unknown as StateMachineDefinition)).toMatch(/NoSuchState/);
  });

  it('matches the reviewed copy in daily-workflow.asl.json', async () => {
    if (process.env[UPDATE_ENV] === '1') {
      // Written as the repository's prettier would write it, so `prettier --check` stays green.
      const { format, resolveConfig } = await import('prettier');
      const options = (await resolveConfig(GOLDEN_PATH)) ?? {};
      writeFileSync(GOLDEN_PATH, await format(toJson(local), { ...options, parser: 'json' }));
    }
    const committed: unknown = JSON.parse(readFileSync(GOLDEN_PATH, 'utf8'));
    expect(
      committed,
      `packages/workflow/daily-workflow.asl.json is out of date: review the change, then run ` +
        `${UPDATE_ENV}=1 pnpm --filter @logflow/workflow test and commit the file`,
    ).toEqual(JSON.parse(toJson(local)));
  });

  it('lists the day with a Distributed Map and exports its results per day', () => {
    expect(local.QueryLanguage).toBe('JSONata');
    expect(local.StartAt).toBe(STATE_NAMES.resolveRunInput);
    expect(processLogs.ItemProcessor.ProcessorConfig).toEqual({
      Mode: 'DISTRIBUTED',
      ExecutionType: 'EXPRESS',
    });
    expect(processLogs.ItemReader?.Resource).toBe(INTEGRATIONS.s3ListObjectsV2);
    expect(processLogs.ResultWriter).toEqual({
      Resource: INTEGRATIONS.s3PutObject,
      Arguments: { Bucket: resourceNames().resultBucket, Prefix: "{% 'results/' & $states.input.date %}" },
    });
    expect(processLogs.Comment).toMatch(/ExportResults/);
    expect(processLogs.MaxConcurrency).toBe(50);
    expect(processLogs.ToleratedFailurePercentage).toBe(5);
    expect(processLogs.Next).toBe(STATE_NAMES.claimDailyMetrics);
    const claim = stateOf<TaskState>(local.States, STATE_NAMES.claimDailyMetrics, 'Task');
    expect(claim.Resource).toBe(INTEGRATIONS.dynamodbPutItem);
    expect(claim.Catch?.[0]?.ErrorEquals).toEqual([CONDITIONAL_CHECK_FAILED]);
    expect(claim.Next).toBe(STATE_NAMES.generateDailySummary);
    const reporter = stateOf<TaskState>(local.States, STATE_NAMES.generateDailySummary, 'Task');
    expect(reporter.Arguments).toMatchObject({ FunctionName: resourceNames().reporterFunction });
    expect(reporter.Next).toBe(STATE_NAMES.dailyMetricsSent);
  });

  it('builds the AnalyzeLogDataEvent for each listed object and the Map output', async () => {
    const input = { date: '2026-11-22', bucket: 'logs-bucket', prefix: 'logs/2026/11/22/' };
    const item = {
      Key: 'logs/2026/11/22/a.log',
      Size: 10,
      Etag: '"e"',
      LastModified: 1_795_392_600,
      StorageClass: 'STANDARD',
    };
    const selector = processLogs.ItemSelector as Record<string, string>;
    const event: Record<string, unknown> = {};
    for (const [field, expr] of Object.entries(selector)) {
      event[field] = await evaluate(expr, { input, context: { Map: { Item: { Index: 0, Value: item } } } });
    }
    expect(event).toEqual({ bucket: 'logs-bucket', date: '2026-11-22', object: item, format: null });
    // The run's format choice reaches every file's event.
    const format = { format: 'ingress-nginx', clientFromForwardedFor: true };
    const withFormat = { ...input, format };
    expect(
      await evaluate(selector.format!, {
        input: withFormat,
        context: { Map: { Item: { Index: 0, Value: item } } },
      }),
    ).toEqual(format);
    const resolve = local.States[STATE_NAMES.resolveRunInput] as { Output: string };
    expect(await evaluate(resolve.Output, { input: { bucket: 'b', date: '2026-11-22', format } })).toEqual({
      date: '2026-11-22',
      bucket: 'b',
      prefix: 'logs/2026/11/22/',
      format,
    });
    const reader = processLogs.ItemReader?.Arguments as Record<string, string>;
    expect(await evaluate(reader.Prefix, { input })).toBe('logs/2026/11/22/');
    const output = processLogs.Output as Record<string, string>;
    const result = {
      MapRunArn: 'arn',
      ResultWriterDetails: { Bucket: 'b', Key: 'results/2026-11-22/run/manifest.json' },
    };
    expect(await evaluate(output.resultWriterDetails, { input, result })).toEqual(result.ResultWriterDetails);
  });

  it('claims each object version with a conditional PutItem; an already published one skips publication', async () => {
    const claims = stateOf<MapState>(child, STATE_NAMES.claimObjects, 'Map');
    expect(processLogs.ItemBatcher).toEqual({ MaxItemsPerBatch: 50 });
    expect(await evaluate(claims.Items, { input: { Items: [1, 2] } })).toEqual([1, 2]);
    const claim = stateOf<TaskState>(claims.ItemProcessor.States, STATE_NAMES.claimObject, 'Task');
    expect(claim.Resource).toBe(INTEGRATIONS.dynamodbPutItem);
    const args = claim.Arguments as Record<string, unknown>;
    expect(args.ConditionExpression).toBe(
      'attribute_not_exists(#status) OR #status <> :published OR #etag <> :etag OR #analyzer <> :analyzer',
    );
    const input = { bucket: 'b', date: '2026-11-22', object: { Key: 'logs/a b.log', Etag: '"e1"' } };
    expect(await evaluate(args.Item, { input })).toEqual({
      pk: { S: 'DAY#2026-11-22' },
      sk: { S: 'FILE#s3://b/logs/a b.log' },
      etag: { S: 'e1' },
      analyzer: { S: ANALYZER_VERSION },
      status: { S: 'PENDING' },
      expiresAt: { N: String(Date.UTC(2026, 10, 22) / 1000 + 91 * 86_400) },
    });
    const values = args.ExpressionAttributeValues as Record<string, { S: string }>;
    expect(await evaluate(values[':etag']?.S, { input })).toBe('e1');
    expect(await evaluate(claim.Output, { input })).toEqual({ ...input, publish: true });
    const [published, other] = claim.Catch ?? [];
    expect(published?.ErrorEquals).toEqual([CONDITIONAL_CHECK_FAILED]);
    expect(await evaluate(published?.Output, { input })).toEqual({ ...input, publish: false });
    expect(other?.ErrorEquals).toEqual(['States.ALL']);
    const errorOutput = { Error: 'DynamoDB.ValidationException', Cause: 'no' };
    const failed = await evaluate(other?.Output, { input, errorOutput });
    expect(failed).toEqual({
      key: 'logs/a b.log',
      status: 'FAILED',
      state: 'ClaimObject',
      error: 'DynamoDB.ValidationException',
      cause: 'no',
    });
    // the Map hands the claimed objects on and keeps the failed claims for the batch outcome
    const result = [{ ...input, publish: true }, failed, { ...input, publish: false }];
    expect(await evaluate(claims.Output, { input: {}, result })).toEqual({
      items: [result[0], result[2]],
    });
    expect(await evaluate(claims.Assign?.claimFailed, { input: { Items: [input] }, result })).toEqual([
      failed,
    ]);
  });

  it('fails every object of the batch, naming the state, when the analysis or the store fails', async () => {
    const analyze = stateOf<TaskState>(child, STATE_NAMES.analyzeLogData, 'Task');
    const retried = analyze.Retry?.flatMap((r) => r.ErrorEquals) ?? [];
    for (const error of ['Lambda.ServiceException', 'Lambda.TooManyRequestsException']) {
      expect(retried).toContain(error);
    }
    expect(analyze.Retry?.every((r) => r.JitterStrategy === 'FULL' && (r.BackoffRate ?? 1) > 1)).toBe(true);
    const [catcher] = analyze.Catch ?? [];
    expect(catcher?.ErrorEquals).toEqual(['States.ALL']);
    const input = { items: [{ object: { Key: 'a.log' } }, { object: { Key: 'b.log' } }] };
    const errorOutput = { Error: 'Lambda.Unknown', Cause: 'x'.repeat(5000) };
    const claimFailed = [{ key: 'c.log', status: 'FAILED', state: 'ClaimObject', error: 'E' }];
    const failed = (key: string, state: string, cause = 'x'.repeat(500)) => ({
      key,
      status: 'FAILED',
      state,
      error: errorOutput.Error,
      cause,
    });
    expect(await evaluate(catcher?.Output, { input, errorOutput }, { claimFailed })).toEqual({
      summaryKey: null,
      analyzed: 0,
      failed: [...claimFailed, failed('a.log', 'AnalyzeLogData'), failed('b.log', 'AnalyzeLogData')],
    });

    const store = stateOf<TaskState>(child, STATE_NAMES.storeSummary, 'Task');
    expect(store.Resource).toBe(INTEGRATIONS.dynamodbPutItem);
    expect(store.Retry?.[0]?.ErrorEquals).toContain('DynamoDB.ProvisionedThroughputExceededException');
    const files = [
      { key: 'a.log', status: 'ANALYZED', etag: 'e' },
      { key: 'b.log', status: 'FAILED', state: 'AnalyzeLogData', error: 'UnrecognizedLogFormatError' },
    ];
    const storeError = { Error: 'DynamoDB.ValidationException', Cause: 'too big' };
    expect(
      await evaluate(
        store.Catch?.[0]?.Output,
        { input: {}, errorOutput: storeError },
        { files, claimFailed: [] },
      ),
    ).toEqual({
      summaryKey: null,
      analyzed: 0,
      failed: [
        files[1],
        { key: 'a.log', status: 'FAILED', state: 'StoreSummary', error: storeError.Error, cause: 'too big' },
      ],
    });
    const done = stateOf<PassState>(child, STATE_NAMES.batchDone, 'Pass');
    expect(await evaluate(done.Output, {}, { files, claimFailed, summaryKey: 'BATCH#1' })).toEqual({
      summaryKey: 'BATCH#1',
      analyzed: 1,
      failed: [...claimFailed, files[1]],
    });
  });

  it('sends metric batches in order after those already sent, counting each', async () => {
    const publish = stateOf<MapState>(child, STATE_NAMES.publishMetricBatches, 'Map');
    expect(publish.MaxConcurrency).toBe(1);
    const states = publish.ItemProcessor.States;
    const sent = states[STATE_NAMES.batchSent] as ChoiceState;
    const rule = sent.Choices[0]!;
    expect(await evaluate(rule.Condition, { input: { index: 1 } }, { sent: 2 })).toBe(true);
    expect(await evaluate(rule.Condition, { input: { index: 2 } }, { sent: 2 })).toBe(false);
    expect(rule.Next).toBe(STATE_NAMES.skipSentBatch);
    const metrics = stateOf<TaskState>(states, STATE_NAMES.storeMetrics, 'Task');
    expect(metrics.Resource).toBe(INTEGRATIONS.cloudwatchPutMetricData);
    expect(metrics.Next).toBe(STATE_NAMES.recordProgress);
    const progress = stateOf<TaskState>(states, STATE_NAMES.recordProgress, 'Task');
    expect(progress.Resource).toBe(INTEGRATIONS.dynamodbUpdateItem);
    const args = progress.Arguments as Record<string, unknown>;
    const vars = { date: '2026-11-22', publication: { id: 'p1' } };
    expect(await evaluate(args.Key, { input: { index: 0 } }, vars)).toEqual({
      pk: { S: 'DAY#2026-11-22' },
      sk: { S: 'PUB#p1' },
    });
    expect(await evaluate(args.ExpressionAttributeValues, { input: { index: 4 } }, vars)).toMatchObject({
      ':done': { N: '5' },
    });
    const errorOutput = { Error: 'CloudWatch.InvalidParameterValueException', Cause: 'bad' };
    const files = [{ key: 'a.log', status: 'ANALYZED' }];
    const out = (await evaluate(
      publish.Catch?.[0]?.Output,
      { input: {}, errorOutput },
      {
        files,
        claimFailed: [],
      },
    )) as { failed: FailedFileRecord[] };
    expect(out.failed).toEqual([
      { key: 'a.log', status: 'FAILED', state: 'StoreMetrics', error: errorOutput.Error, cause: 'bad' },
    ]);
    const mark = stateOf<MapState>(child, STATE_NAMES.markPublished, 'Map');
    const markOne = stateOf<TaskState>(mark.ItemProcessor.States, STATE_NAMES.markObjectPublished, 'Task');
    expect((markOne.Arguments as Record<string, unknown>).ConditionExpression).toBe(
      '#etag = :etag AND #analyzer = :analyzer',
    );
    expect(markOne.Catch?.[0]?.ErrorEquals).toEqual([CONDITIONAL_CHECK_FAILED]);
  });

  it('takes the batch size from the config', () => {
    const def = buildDailyWorkflowDefinition(
      localWorkflowConfig({}, { itemBatcher: { maxItemsPerBatch: 25, maxInputBytesPerBatch: 65536 } }),
    );
    const map = stateOf<MapState>(def.States, STATE_NAMES.processLogsUnderPrefix, 'Map');
    expect(map.ItemBatcher).toEqual({ MaxItemsPerBatch: 25, MaxInputBytesPerBatch: 65536 });
    expect(() =>
      buildDailyWorkflowDefinition(localWorkflowConfig({}, { itemBatcher: { maxItemsPerBatch: 101 } })),
    ).toThrow(/"itemBatcher.maxItemsPerBatch"/);
  });

  it('rejects bad configuration naming the field', () => {
    const base = localWorkflowConfig();
    expect(() => buildDailyWorkflowDefinition({ ...base, maxConcurrency: 0 })).toThrow(/"maxConcurrency"/);
    expect(() => buildDailyWorkflowDefinition({ ...base, toleratedFailurePercentage: 101 })).toThrow(
      /"toleratedFailurePercentage"/,
    );
    expect(() => buildDailyWorkflowDefinition({ ...base, summaryTable: '' })).toThrow(/"summaryTable"/);
    expect(() => buildDailyWorkflowDefinition({ ...base, logPrefixRoot: 'logs' })).toThrow(/"logPrefixRoot"/);
    expect(() => buildDailyWorkflowDefinition({ ...base, itemBatcher: {} })).toThrow(/"itemBatcher"/);
  });
});

describe('ResolveRunInput', () => {
  const resolve = stateOf<PassState>(local.States, STATE_NAMES.resolveRunInput, 'Pass');
  const context = { Execution: { StartTime: '2026-03-01T00:30:00.123Z' } };

  it('keeps a complete DailyRunInput as it is', async () => {
    const input = { date: '2026-11-22', bucket: 'b', prefix: 'custom/' };
    expect(await evaluate(resolve.Output, { input, context })).toEqual(input);
  });

  it('derives the previous UTC day and its prefix from the scheduled time', async () => {
    const out = await evaluate(resolve.Output, {
      input: { bucket: 'b', scheduledTime: '2026-11-23T02:15:00Z' },
      context,
    });
    expect(out).toEqual({ date: '2026-11-22', bucket: 'b', prefix: 'logs/2026/11/22/' });
  });

  it('falls back to the execution start time, across a month end in a leap-free year', async () => {
    const out = await evaluate(resolve.Output, { input: { bucket: 'b' }, context });
    expect(out).toEqual({ date: '2026-02-28', bucket: 'b', prefix: 'logs/2026/02/28/' });
  });

  it('uses the configured day layout root', async () => {
    const def = buildDailyWorkflowDefinition(localWorkflowConfig({}, { logPrefixRoot: 'AWSLogs/alb/' }));
    const state = stateOf<PassState>(def.States, STATE_NAMES.resolveRunInput, 'Pass');
    const out = await evaluate(state.Output, { input: { bucket: 'b', date: '2026-01-05' }, context });
    expect(out).toEqual({ date: '2026-01-05', bucket: 'b', prefix: 'AWSLogs/alb/2026/01/05/' });
  });

  it('fails with a clear error on a bad date or a missing bucket', async () => {
    await expect(
      evaluate(resolve.Output, { input: { bucket: 'b', date: '22/11/2026' }, context }),
    ).rejects.toThrow(/"date" must be YYYY-MM-DD, got 22\/11\/2026/);
    await expect(
      evaluate(resolve.Output, { input: { bucket: 'b', date: '2026-02-30' }, context }),
    ).rejects.toThrow(/"date" must be YYYY-MM-DD, got 2026-02-30/);
    await expect(evaluate(resolve.Output, { input: { date: '2026-11-22' }, context })).rejects.toThrow(
      /"bucket"/,
    );
  });
});
