import { describe, expect, it } from 'vitest';
import { runExecution } from './execution.js';
import type { ItemReader, MapRunChildResult, StreamingResultWriter } from './integrations.js';

// The example of the AWS Map state documentation.
const shipment = {
  'ship-date': '2016-03-14T01:59:00Z',
  detail: {
    'delivery-partner': 'UQS',
    shipped: [
      { prod: 'R31', 'dest-code': 9511, quantity: 1344 },
      { prod: 'S39', 'dest-code': 9511, quantity: 40 },
    ],
  },
};

describe('inline Map', () => {
  it('applies ItemsPath and ItemSelector with $$.Map.Item', async () => {
    const r = await runExecution(
      {
        StartAt: 'Validate-All',
        States: {
          'Validate-All': {
            Type: 'Map',
            InputPath: '$.detail',
            ItemsPath: '$.shipped',
            MaxConcurrency: 0,
            ItemSelector: {
              'parcel.$': '$$.Map.Item.Value',
              'courier.$': '$.delivery-partner',
              'i.$': '$$.Map.Item.Index',
            },
            ItemProcessor: { StartAt: 'Validate', States: { Validate: { Type: 'Pass', End: true } } },
            ResultPath: '$.detail.shipped',
            End: true,
          },
        },
      },
      shipment,
    );
    expect(r.output).toEqual({
      ...shipment,
      detail: {
        ...shipment.detail,
        shipped: shipment.detail.shipped.map((parcel, i) => ({ parcel, courier: 'UQS', i })),
      },
    });
  });

  it('supports the legacy Iterator with Parameters, inner scopes reading outer variables', async () => {
    const r = await runExecution(
      {
        StartAt: 'Init',
        States: {
          Init: { Type: 'Pass', Assign: { factor: 10 }, Next: 'M' },
          M: {
            Type: 'Map',
            MaxConcurrency: 1,
            Parameters: { 'v.$': '$$.Map.Item.Value' },
            Iterator: {
              StartAt: 'Mul',
              States: {
                Mul: { Type: 'Pass', Parameters: { 'p.$': 'States.Array($.v, $factor)' }, End: true },
              },
            },
            End: true,
          },
        },
      },
      [1, 2],
    );
    expect(r.output).toEqual([{ p: [1, 10] }, { p: [2, 10] }]);
  });

  it('fails with the first failing iteration error', async () => {
    const r = await runExecution(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemProcessor: {
              StartAt: 'F',
              States: { F: { Type: 'Fail', Error: 'ItemError', Cause: 'bad item' } },
            },
            End: true,
          },
        },
      },
      [1],
    );
    expect(r).toMatchObject({ status: 'FAILED', error: 'ItemError', cause: 'bad item' });
  });
});

describe('Parallel', () => {
  it('returns branch outputs in order and applies ResultSelector', async () => {
    const r = await runExecution(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'A', States: { A: { Type: 'Pass', Result: 'a', End: true } } },
              {
                StartAt: 'B',
                States: {
                  B: { Type: 'Wait', Seconds: 0, Next: 'B2' },
                  B2: { Type: 'Pass', Result: 'b', End: true },
                },
              },
            ],
            ResultSelector: { 'first.$': '$[0]', 'all.$': '$' },
            End: true,
          },
        },
      },
      {},
    );
    expect(r.output).toEqual({ first: 'a', all: ['a', 'b'] });
  });
});

function distributed(
  extra: Record<string, unknown>,
  inner: Record<string, unknown> = { P: { Type: 'Pass', End: true } },
) {
  return {
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: Object.keys(inner)[0],
          States: inner,
        },
        End: true,
        ...extra,
      },
    },
  } as never;
}

describe('distributed Map', () => {
  const reader: ItemReader = async function* (request) {
    const count = (request.args as { Count: number }).Count;
    for (let i = 0; i < count; i++) yield { Key: `logs/${i}.log`, Size: i };
  };

  it('reads items from the ItemReader, batches them and streams results to the ResultWriter', async () => {
    const written: MapRunChildResult[] = [];
    let opened: unknown;
    const writer: StreamingResultWriter = {
      async open(request) {
        opened = request;
        return {
          write: async (r) => void written.push(r),
          close: async () => ({ Bucket: 'out', Key: 'results/manifest.json' }),
        };
      },
    };
    const r = await runExecution(
      distributed({
        ItemReader: {
          Resource: 'arn:aws:states:::s3:listObjectsV2',
          Parameters: { Bucket: 'logs', 'Count.$': '$.n' },
        },
        ItemSelector: { 'key.$': '$$.Map.Item.Value.Key' },
        ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { 'day.$': '$.day' } },
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: 'out', Prefix: 'results' },
        },
        MaxConcurrency: 2,
      }),
      { n: 5, day: '2024-01-01' },
      { itemReader: reader, resultWriter: writer },
    );
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toMatchObject({ ResultWriterDetails: { Bucket: 'out', Key: 'results/manifest.json' } });
    expect((r.output as { MapRunArn: string }).MapRunArn).toMatch(
      /^arn:aws:states:us-east-1:123456789012:mapRun:/,
    );
    expect(opened).toMatchObject({ args: { Bucket: 'out', Prefix: 'results' } });
    expect(written).toHaveLength(3);
    const inputs = written.map(
      (w) => JSON.parse(w.Input) as { Items: { key: string }[]; BatchInput: unknown },
    );
    expect(inputs.flatMap((i) => i.Items.map((x) => x.key)).sort()).toEqual(
      [0, 1, 2, 3, 4].map((i) => `logs/${i}.log`),
    );
    expect(inputs[0]?.BatchInput).toEqual({ day: '2024-01-01' });
    expect(written.every((w) => w.Status === 'SUCCEEDED')).toBe(true);
    expect(r.history.map((e) => e.type)).toContain('MapRunSucceeded');
  });

  const failOdd = {
    C: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 1, Next: 'F' }], Default: 'P' },
    F: { Type: 'Fail', Error: 'Odd' },
    P: { Type: 'Pass', End: true },
  };

  it('fails with States.ExceedToleratedFailureThreshold above the tolerated count', async () => {
    const r = await runExecution(distributed({}, failOdd), [0, 1, 2]);
    expect(r.error).toBe('States.ExceedToleratedFailureThreshold');
    const ok = await runExecution(distributed({ ToleratedFailureCount: 1 }, failOdd), [0, 1, 2]);
    expect(ok.status).toBe('SUCCEEDED');
    const pct = await runExecution(distributed({ ToleratedFailurePercentage: 50 }, failOdd), [0, 1, 2]);
    expect(pct.status).toBe('SUCCEEDED');
  });

  it('rejects invalid tolerated thresholds with States.Runtime', async () => {
    const r = await runExecution(
      distributed({ ToleratedFailurePercentagePath: '$.p', ItemsPath: '$.items' }),
      {
        p: 101,
        items: [1],
      },
    );
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toContain('ToleratedFailurePercentage must be between 0 and 100.');
  });

  it('reports ItemReader failures as States.ItemReaderFailed', async () => {
    const broken: ItemReader = async function* () {
      throw new Error('NoSuchBucket');
    };
    const r = await runExecution(
      distributed({
        ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'x' } },
      }),
      {},
      { itemReader: broken },
    );
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
  });

  it('gives children their own empty variable scope and execution context', async () => {
    const r = await runExecution(
      distributed(
        { ItemsPath: '$.items' },
        { P: { Type: 'Pass', Parameters: { 'id.$': '$$.Execution.Id', 'v.$': '$' }, End: true } },
      ),
      { items: ['a'] },
    );
    const [child] = r.output as { id: string; v: string }[];
    expect(child?.v).toBe('a');
    expect(child?.id).toMatch(/:execution:LocalStateMachine\/M:/);
  });
});
