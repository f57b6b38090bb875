import { describe, expect, it } from 'vitest';
import { runExecution } from './execution.js';
import type { ItemReader, MapRunChildResult, ResultWriterRequest } from './integrations.js';
import type { ChildExecution, MapRunProgress } from './interpreter.js';

describe('Map and Parallel in JSONata', () => {
  it('Map takes Items and ItemSelector expressions and $states.context.Map.Item', async () => {
    const r = await runExecution(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            Items: '{% $states.input.orders %}',
            ItemSelector: {
              order: '{% $states.context.Map.Item.Value %}',
              index: '{% $states.context.Map.Item.Index %}',
            },
            ItemProcessor: {
              StartAt: 'Price',
              States: {
                Price: {
                  Type: 'Pass',
                  Output: '{% $states.input.order.qty * 2 & "@" & $states.input.index %}',
                  End: true,
                },
              },
            },
            Output: { lines: '{% $states.result %}' },
            End: true,
          },
        },
      },
      { orders: [{ qty: 1 }, { qty: 5 }] },
    );
    expect(r.output).toEqual({ lines: ['2@0', '10@1'] });
  });

  it('Parallel passes Arguments to every branch', async () => {
    const r = await runExecution(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Arguments: { n: '{% $states.input.n + 1 %}' },
            Branches: [
              {
                StartAt: 'A',
                States: { A: { Type: 'Pass', Output: '{% $states.input.n * 10 %}', End: true } },
              },
              { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } },
            ],
            End: true,
          },
        },
      },
      { n: 1 },
    );
    expect(r.output).toEqual([20, { n: 2 }]);
  });
});

describe('history of Map, Parallel and Task', () => {
  it('records iteration and branch events', async () => {
    const r = await runExecution(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            MaxConcurrency: 1,
            ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
            Next: 'P',
          },
          P: {
            Type: 'Parallel',
            Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }],
            End: true,
          },
        },
      },
      [1, 2],
    );
    expect(r.history.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'MapStateEntered',
      'MapStateStarted',
      'MapIterationStarted',
      'PassStateEntered',
      'PassStateExited',
      'MapIterationSucceeded',
      'MapIterationStarted',
      'PassStateEntered',
      'PassStateExited',
      'MapIterationSucceeded',
      'MapStateSucceeded',
      'MapStateExited',
      'ParallelStateEntered',
      'ParallelStateStarted',
      'PassStateEntered',
      'PassStateExited',
      'ParallelStateSucceeded',
      'ParallelStateExited',
      'ExecutionSucceeded',
    ]);
    expect(r.history[2]).toMatchObject({ mapStateStartedEventDetails: { length: 2 } });
    expect(r.history[3]).toMatchObject({ mapIterationStartedEventDetails: { name: 'M', index: 0 } });
  });
});

describe('distributed Map options', () => {
  const reader: ItemReader = async function* () {
    for (let i = 0; i < 10; i++) yield { n: i, pad: 'x'.repeat(100) };
  };
  const def = (extra: Record<string, unknown>) =>
    ({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            Parameters: { Bucket: 'b', Key: 'items.json' },
          },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED' },
            StartAt: 'P',
            States: { P: { Type: 'Pass', End: true } },
          },
          End: true,
          ...extra,
        },
      },
    }) as never;

  it('honours ReaderConfig.MaxItems and reports progress', async () => {
    const progress: MapRunProgress[] = [];
    const r = await runExecution(
      def({
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON', MaxItems: 3 },
          Parameters: { Bucket: 'b', Key: 'k' },
        },
      }),
      {},
      { itemReader: reader, onMapRunProgress: (p) => progress.push(p) },
    );
    expect((r.output as { n: number }[]).map((x) => x.n)).toEqual([0, 1, 2]);
    expect(progress.at(-1)).toMatchObject({ started: 3, succeeded: 3, failed: 0, done: true });
  });

  it('batches by MaxInputBytesPerBatch, and counts items apart from child executions', async () => {
    const progress: MapRunProgress[] = [];
    const r = await runExecution(
      def({ ItemBatcher: { MaxInputBytesPerBatch: 400 } }),
      {},
      { itemReader: reader, onMapRunProgress: (p) => progress.push(p) },
    );
    const batches = r.output as { Items: unknown[] }[];
    expect(batches.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({
      started: batches.length,
      succeeded: batches.length,
      items: { started: 10, succeeded: 10, failed: 0 },
      done: true,
    });
    expect(batches.flatMap((b) => b.Items)).toHaveLength(10);
    for (const b of batches) expect(Buffer.byteLength(JSON.stringify(b))).toBeLessThanOrEqual(400);
  });

  it('hands all results to a function ResultWriter at the end', async () => {
    let request: ResultWriterRequest | undefined;
    const writer = async (req: ResultWriterRequest) => {
      request = req;
      return { Bucket: req.args.Bucket, Key: `${req.args.Prefix}/manifest.json` };
    };
    const r = await runExecution(
      def({
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: 'out', Prefix: 'p' },
        },
      }),
      {},
      { itemReader: reader, resultWriter: writer },
    );
    expect(r.output).toMatchObject({ ResultWriterDetails: { Bucket: 'out', Key: 'p/manifest.json' } });
    expect(request?.results).toHaveLength(10);
    const first = request?.results[0] as MapRunChildResult;
    expect(first).toMatchObject({ Status: 'SUCCEEDED', InputDetails: { Included: true }, RedriveCount: 0 });
    expect(JSON.parse(first.Output ?? 'null')).toEqual(JSON.parse(first.Input));
  });

  it('fails with States.ResultWriterFailed when the writer fails', async () => {
    const r = await runExecution(
      def({ ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'out' } } }),
      {},
      {
        itemReader: reader,
        resultWriter: async () => {
          throw new Error('AccessDenied');
        },
      },
    );
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.ResultWriterFailed' });
  });

  it('hands each finished child, with its own history, to onChildExecution', async () => {
    const children: ChildExecution[] = [];
    const r = await runExecution(
      def({
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { MaxItems: 2 },
          Parameters: {},
        },
      }),
      {},
      { itemReader: reader, onChildExecution: (c) => children.push(c) },
    );
    expect(r.history.some((e) => e.type === 'PassStateEntered')).toBe(false);
    expect(children.map((c) => c.index).sort()).toEqual([0, 1]);
    expect(children[0]).toMatchObject({ status: 'SUCCEEDED', stateName: 'M' });
    expect(children[0]?.history.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
  });
});

describe('distributed Map failure threshold with a ResultWriter', () => {
  it('still exports the results of the children that ran', async () => {
    let request: ResultWriterRequest | undefined;
    const r = await runExecution(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemProcessor: {
              ProcessorConfig: { Mode: 'DISTRIBUTED' },
              StartAt: 'C',
              States: {
                C: {
                  Type: 'Choice',
                  Choices: [{ Variable: '$', NumericEquals: 1, Next: 'F' }],
                  Default: 'P',
                },
                F: { Type: 'Fail', Error: 'Bad', Cause: 'item 1' },
                P: { Type: 'Pass', End: true },
              },
            },
            MaxConcurrency: 1,
            ResultWriter: {
              Resource: 'arn:aws:states:::s3:putObject',
              Parameters: { Bucket: 'out', Prefix: 'p' },
            },
            End: true,
          },
        },
      } as never,
      [0, 1, 2],
      {
        resultWriter: async (req) => {
          request = req;
          return { Bucket: 'out', Key: 'p/manifest.json' };
        },
      },
    );
    expect(r.error).toBe('States.ExceedToleratedFailureThreshold');
    expect(request?.results.map((x) => x.Status)).toEqual(['SUCCEEDED', 'FAILED']);
    expect(request?.results[1]).toMatchObject({ Error: 'Bad', Cause: 'item 1' });
  });
});
