/**
 * Distributed Map: each item (or batch) runs as a child execution in this process. Items are
 * pulled lazily from the ItemReader, at most MaxConcurrency children run at once, child results
 * stream to the ResultWriter, and the run fails once failures exceed the tolerated threshold.
 */
import { randomUUID } from 'node:crypto';
import { ErrorNames, runtimeError, StatesError, toStatesError } from './errors.js';
import { HistoryRecorder, NOT_TRUNCATED } from './history.js';
import type {
  MapRunChildResult,
  ResultSink,
  ResultWriterRequest,
  StreamingResultWriter,
} from './integrations.js';
import {
  AbortedError,
  runStates,
  scopeController,
  type ExecutionRuntime,
  type Frame,
  type StateScope,
} from './interpreter.js';
import { itemsOf, pool, selectItem } from './map-items.js';
import { resolvePathOrFail } from './references.js';
import type { ProcessorDefinition } from './types.js';
import { isPlainObject, PAYLOAD_LIMIT_BYTES } from './values.js';
import { VariableScope } from './variables.js';

const DEFAULT_DISTRIBUTED_CONCURRENCY = 1000;

async function* arrayItems(items: unknown[]): AsyncGenerator<unknown> {
  yield* items;
}

async function* readerItems(s: StateScope, effective: unknown, signal: AbortSignal): AsyncGenerator<unknown> {
  const st = s.state;
  const spec = st.ItemReader;
  if (!spec) return;
  const reader = s.frame.rt.itemReader;
  let args: unknown;
  let config: Record<string, unknown> = { ...(spec.ReaderConfig ?? {}) };
  if (s.jsonata) {
    args =
      spec.Arguments === undefined ? {} : await s.jsonataTemplate(spec.Arguments, 'ItemReader/Arguments');
    config = (await s.jsonataTemplate(config, 'ItemReader/ReaderConfig')) as Record<string, unknown>;
  } else {
    args = spec.Parameters === undefined ? {} : s.template(spec.Parameters, effective);
    if (typeof config.MaxItemsPath === 'string') {
      const v = resolvePathOrFail(config.MaxItemsPath, s.data(effective));
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
        throw runtimeError(
          `The MaxItemsPath field refers to value ${JSON.stringify(v)} which is not a valid integer: ${config.MaxItemsPath}`,
        );
      config.MaxItems = v;
      delete config.MaxItemsPath;
    }
  }
  if (!reader)
    throw new StatesError(
      ErrorNames.ItemReaderFailed,
      `No ItemReader is configured for resource ${spec.Resource}`,
    );
  const maxItems = typeof config.MaxItems === 'number' && config.MaxItems > 0 ? config.MaxItems : Infinity;
  let n = 0;
  try {
    for await (const item of reader(
      {
        resource: spec.Resource,
        args: (isPlainObject(args) ? args : {}) as Record<string, unknown>,
        readerConfig: config as never,
      },
      signal,
    )) {
      if (n >= maxItems) break;
      n++;
      yield item;
    }
  } catch (e) {
    if (e instanceof StatesError && e.error.startsWith('States.')) throw e;
    const err = toStatesError(e);
    throw new StatesError(ErrorNames.ItemReaderFailed, err.cause ?? err.message);
  }
}

interface Batch {
  input: unknown;
  indexes: number;
}

/** Groups selected items into `{BatchInput, Items}` inputs per ItemBatcher. */
async function* batches(
  s: StateScope,
  source: AsyncIterable<unknown>,
  effective: unknown,
): AsyncGenerator<Batch> {
  const st = s.state;
  const batcher = st.ItemBatcher;
  let index = 0;
  if (!batcher) {
    for await (const value of source) {
      yield { input: await selectItem(s, effective, value, index), indexes: 1 };
      index++;
    }
    return;
  }
  const maxItems =
    (await s.integerField(
      'MaxItemsPerBatch',
      batcher.MaxItemsPerBatch,
      batcher.MaxItemsPerBatchPath,
      effective,
    )) ?? 0;
  const maxBytes =
    (await s.integerField(
      'MaxInputBytesPerBatch',
      batcher.MaxInputBytesPerBatch,
      batcher.MaxInputBytesPerBatchPath,
      effective,
    )) ?? PAYLOAD_LIMIT_BYTES;
  let batchInput: unknown;
  if (batcher.BatchInput !== undefined)
    batchInput = s.jsonata
      ? await s.jsonataTemplate(batcher.BatchInput, 'ItemBatcher/BatchInput')
      : s.template(batcher.BatchInput, effective);
  const overhead = batchInput === undefined ? 12 : JSON.stringify(batchInput).length + 28;
  let items: unknown[] = [];
  let bytes = overhead;
  const flush = (): Batch => {
    const input: Record<string, unknown> =
      batchInput === undefined ? { Items: items } : { BatchInput: batchInput, Items: items };
    const b = { input, indexes: items.length };
    items = [];
    bytes = overhead;
    return b;
  };
  for await (const value of source) {
    const selected = await selectItem(s, effective, value, index++);
    const size = Buffer.byteLength(JSON.stringify(selected ?? null)) + 1;
    if (items.length > 0 && ((maxItems > 0 && items.length >= maxItems) || bytes + size > maxBytes))
      yield flush();
    items.push(selected);
    bytes += size;
  }
  if (items.length > 0) yield flush();
}

function arnParts(arn: string): { region: string; account: string; name: string } {
  const p = arn.split(':');
  return { region: p[3] || 'us-east-1', account: p[4] || '123456789012', name: p[6] || 'StateMachine' };
}

export async function runDistributed(
  s: StateScope,
  processor: ProcessorDefinition,
  effective: unknown,
  maxConcurrency: number,
  tolerated: { count?: number; percentage?: number },
): Promise<unknown> {
  const frame = s.frame;
  const rt = frame.rt;
  const h = rt.history;
  const st = s.state;
  const { region, account, name: smName } = arnParts(rt.stateMachineArn);
  const label = st.Label ?? s.name;
  // A redrive continues the same Map Run; children that succeeded before are not run again.
  const redriven = rt.redriveMapRuns?.[s.name];
  const mapRunArn =
    redriven?.mapRunArn ?? `arn:aws:states:${region}:${account}:mapRun:${smName}/${label}:${randomUUID()}`;
  const childSmArn = `arn:aws:states:${region}:${account}:stateMachine:${smName}/${label}`;

  // Resolve the writer before any child runs: a bad ResultWriter fails fast.
  let sink: ResultSink | undefined;
  let buffered: MapRunChildResult[] | undefined;
  let writerArgs: { Bucket: string; Prefix?: string } | undefined;
  if (st.ResultWriter?.Resource) {
    const spec = st.ResultWriter;
    const args = s.jsonata
      ? spec.Arguments === undefined
        ? {}
        : await s.jsonataTemplate(spec.Arguments, 'ResultWriter/Arguments')
      : spec.Parameters === undefined
        ? {}
        : s.template(spec.Parameters, effective);
    writerArgs = args as { Bucket: string; Prefix?: string };
    const writer = rt.resultWriter;
    if (!writer)
      throw new StatesError(
        ErrorNames.ResultWriterFailed,
        `No ResultWriter is configured for resource ${spec.Resource}`,
      );
    if (typeof writer === 'function') buffered = [];
    else {
      try {
        sink = await (writer as StreamingResultWriter).open({
          resource: spec.Resource ?? '',
          args: writerArgs,
          mapRunArn,
        });
      } catch (e) {
        const err = toStatesError(e);
        throw new StatesError(ErrorNames.ResultWriterFailed, err.cause ?? err.message);
      }
    }
  }
  const collectOutputs = !st.ResultWriter?.Resource;

  frame.prev = h.record('MapStateStarted', frame.prev, () => ({ length: 0 }));
  frame.prev = redriven
    ? h.record('MapRunRedriven', frame.prev, () => ({
        mapRunArn,
        redriveCount: rt.contextBase.Execution.RedriveCount,
      }))
    : h.record('MapRunStarted', frame.prev, () => ({ mapRunArn }));
  const controller = scopeController();
  const onAbort = () => controller.abort();
  frame.signal.addEventListener('abort', onAbort, { once: true });

  const outputs: unknown[] = [];
  let started = 0;
  let succeeded = 0;
  let failed = 0;
  let total = 0;
  const items = { started: 0, succeeded: 0, failed: 0 };
  const progress = (done: boolean) =>
    rt.childOptions.onMapRunProgress?.({
      mapRunArn,
      stateName: s.name,
      started,
      succeeded,
      failed,
      items: { ...items },
      done,
    });
  // Unset thresholds are ignored; with none set, one failure fails the run; with both, either fails it.
  const exceeded = (finalTotal?: number) => {
    if (failed === 0) return false;
    if (tolerated.count === undefined && tolerated.percentage === undefined) return true;
    if (tolerated.count !== undefined && failed > tolerated.count) return true;
    return (
      tolerated.percentage !== undefined &&
      finalTotal !== undefined &&
      (failed / finalTotal) * 100 > tolerated.percentage
    );
  };
  const thresholdError = () =>
    new StatesError(
      ErrorNames.ExceedToleratedFailureThreshold,
      'The specified tolerated failure threshold was exceeded',
    );

  /** What the ResultWriter gets for one child. */
  const childRecord = (
    input: unknown,
    child: { executionArn: string; output?: unknown; startDate: Date; stopDate: Date },
    err: StatesError | undefined,
  ): MapRunChildResult => ({
    ExecutionArn: child.executionArn,
    Input: JSON.stringify(input),
    InputDetails: { Included: true },
    Name: child.executionArn.slice(child.executionArn.lastIndexOf(':') + 1),
    ...(err
      ? { Error: err.error, ...(err.cause !== undefined ? { Cause: err.cause } : {}) }
      : { Output: JSON.stringify(child.output ?? null), OutputDetails: { Included: true } }),
    RedriveCount: 0,
    RedriveStatus: 'NOT_REDRIVABLE',
    StartDate: child.startDate.toISOString(),
    StopDate: child.stopDate.toISOString(),
    Status: err ? 'FAILED' : 'SUCCEEDED',
    StateMachineArn: childSmArn,
  });

  /** Closes the streaming sink (or calls the buffered writer) and returns ResultWriterDetails. */
  const writeResults = async (): Promise<{ Bucket: string; Key: string } | undefined> => {
    if (sink) return sink.close();
    if (!buffered) return undefined;
    const writer = rt.resultWriter as (r: ResultWriterRequest) => Promise<{ Bucket: string; Key: string }>;
    return writer({
      resource: st.ResultWriter?.Resource ?? '',
      args: writerArgs ?? { Bucket: '' },
      mapRunArn,
      results: buffered,
    });
  };

  try {
    let source: AsyncIterable<unknown>;
    if (st.ItemReader) source = readerItems(s, effective, controller.signal);
    else source = arrayItems(await itemsOf(s, effective));
    const jobs = batches(s, source, effective)[Symbol.asyncIterator]();
    const limit = maxConcurrency === 0 ? DEFAULT_DISTRIBUTED_CONCURRENCY : maxConcurrency;
    await pool(
      jobs,
      limit,
      async (batch, index) => {
        total++;
        started++;
        items.started += batch.indexes;
        const before = redriven?.succeeded.get(index);
        if (before) {
          succeeded++;
          items.succeeded += batch.indexes;
          if (collectOutputs) outputs[index] = before.output;
          const record = sink || buffered ? childRecord(batch.input, before, undefined) : undefined;
          if (record && sink) await sink.write(record);
          else if (record && buffered) buffered.push(record);
          progress(false);
          return;
        }
        const name = randomUUID();
        const executionArn = `arn:aws:states:${region}:${account}:execution:${smName}/${label}:${name}`;
        const startDate = rt.clock();
        const childRt: ExecutionRuntime = {
          ...rt,
          history: new HistoryRecorder(rt.childOptions.onChildExecution !== undefined, undefined, rt.clock),
          contextBase: {
            Execution: {
              Id: executionArn,
              Input: batch.input,
              Name: name,
              StartTime: startDate.toISOString(),
              RoleArn: rt.contextBase.Execution.RoleArn,
              RedriveCount: 0,
            },
            StateMachine: { Id: childSmArn, Name: `${smName}/${label}` },
          },
          executionArn,
        };
        const child: Frame = {
          rt: childRt,
          variables: new VariableScope(),
          queryLanguage: processor.QueryLanguage ?? frame.queryLanguage,
          signal: controller.signal,
          prev: 0,
        };
        const childHistory = childRt.history;
        childHistory.record('ExecutionStarted', 0, () => ({
          input: JSON.stringify(batch.input ?? null),
          inputDetails: NOT_TRUNCATED,
        }));
        let output: unknown;
        let err: StatesError | undefined;
        try {
          output = await runStates(processor, batch.input, child);
          succeeded++;
          items.succeeded += batch.indexes;
          childHistory.record('ExecutionSucceeded', child.prev, () => ({
            output: JSON.stringify(output ?? null),
            outputDetails: NOT_TRUNCATED,
          }));
        } catch (e) {
          if (e instanceof AbortedError) throw e;
          err = toStatesError(e);
          failed++;
          items.failed += batch.indexes;
          const failure = err;
          childHistory.record('ExecutionFailed', child.prev, () => ({
            error: failure.error,
            cause: failure.cause,
          }));
        }
        const stopDate = rt.clock();
        rt.childOptions.onChildExecution?.({
          mapRunArn,
          stateName: s.name,
          executionArn,
          index,
          status: err ? 'FAILED' : 'SUCCEEDED',
          input: batch.input,
          ...(err ? { error: err.error, cause: err.cause } : { output }),
          startDate,
          stopDate,
          history: childHistory.events,
        });
        if (collectOutputs) outputs[index] = err ? { Error: err.error, Cause: err.cause } : output;
        const record =
          sink || buffered
            ? childRecord(batch.input, { executionArn, output, startDate, stopDate }, err)
            : undefined;
        if (record && sink) await sink.write(record);
        else if (record && buffered) buffered.push(record);
        progress(false);
        if (err && exceeded()) throw thresholdError();
      },
      controller.signal,
    );
    if (frame.signal.aborted) throw new AbortedError();
    if (exceeded(total)) throw thresholdError();
  } catch (e) {
    controller.abort();
    if (frame.signal.aborted) throw new AbortedError();
    const err = toStatesError(e);
    // The results of the children that ran are still exported when too many of them failed.
    if (err.error === ErrorNames.ExceedToleratedFailureThreshold) await writeResults().catch(() => undefined);
    frame.prev = h.record('MapRunFailed', frame.prev, () => ({ error: err.error, cause: err.cause }));
    frame.prev = h.record('MapStateFailed', frame.prev);
    progress(true);
    throw err;
  } finally {
    frame.signal.removeEventListener('abort', onAbort);
  }
  progress(true);
  let details: { Bucket: string; Key: string } | undefined;
  if (sink || buffered) {
    try {
      details = await writeResults();
    } catch (e) {
      const err = toStatesError(e);
      const failure = new StatesError(ErrorNames.ResultWriterFailed, err.cause ?? err.message);
      frame.prev = h.record('MapRunFailed', frame.prev, () => ({
        error: failure.error,
        cause: failure.cause,
      }));
      frame.prev = h.record('MapStateFailed', frame.prev);
      throw failure;
    }
  }
  frame.prev = h.record('MapRunSucceeded', frame.prev);
  frame.prev = h.record('MapStateSucceeded', frame.prev);
  if (details) return { MapRunArn: mapRunArn, ResultWriterDetails: details };
  return outputs;
}
