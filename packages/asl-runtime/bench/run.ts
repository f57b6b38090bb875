/**
 * Interpreter benchmarks: state transitions per second on a chain of Pass states, and a
 * Distributed Map over 100,000 items with a streaming reader and writer (time and memory).
 * Run with `pnpm bench` (or `pnpm --filter @logflow/asl-runtime bench`).
 */
import {
  runExecution,
  type ItemReader,
  type StateMachineDefinition,
  type StreamingResultWriter,
} from '../src/index.js';

function passChain(length: number): StateMachineDefinition {
  const States: StateMachineDefinition['States'] = {};
  for (let i = 0; i < length; i++)
    // Each state writes a new object (ResultPath), so no state can reuse its input's serialisation.
    States[`S${i}`] = {
      Type: 'Pass',
      Result: i,
      ResultPath: '$.step',
      ...(i === length - 1 ? { End: true } : { Next: `S${i + 1}` }),
    };
  return { StartAt: 'S0', States };
}

async function benchPassChain(keepHistory: boolean, warmUp = false): Promise<void> {
  const def = passChain(1000);
  const input = { bucket: 'logs', prefix: '2024/01/01/', count: 3 };
  await runExecution(def, input, { keepHistory }); // warm-up
  const runs = 50;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await runExecution(def, input, { keepHistory });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const transitions = runs * 1000;
  if (warmUp) return;
  console.log(
    `pass chain (history ${keepHistory ? 'kept' : 'off'}): ${transitions} transitions in ${seconds.toFixed(2)} s = ${Math.round(transitions / seconds).toLocaleString('en-US')} transitions/s`,
  );
}

async function benchDistributedMap(items: number): Promise<void> {
  const reader: ItemReader = async function* () {
    for (let i = 0; i < items; i++)
      yield { Key: `logs/2024/01/01/${i}.log.gz`, Size: 1024 + i, Etag: `"${i}"` };
  };
  let written = 0;
  const writer: StreamingResultWriter = {
    async open() {
      return {
        write: async () => void written++,
        close: async () => ({ Bucket: 'results', Key: 'run/manifest.json' }),
      };
    },
  };
  const def = {
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'logs' } },
        ItemSelector: { 'key.$': '$$.Map.Item.Value.Key' },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
          StartAt: 'Analyze',
          States: { Analyze: { Type: 'Pass', Parameters: { 'file.$': '$.key', status: 'ok' }, End: true } },
        },
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: 'results', Prefix: 'run' },
        },
        MaxConcurrency: 100,
        End: true,
      },
    },
  } as unknown as StateMachineDefinition;
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
  const t0 = process.hrtime.bigint();
  const r = await runExecution(def, {}, { itemReader: reader, resultWriter: writer, keepHistory: false });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  if (r.status !== 'SUCCEEDED' || written !== items)
    throw new Error(`distributed map bench failed: ${JSON.stringify(r)}`);
  console.log(
    `distributed map: ${items.toLocaleString('en-US')} child executions in ${seconds.toFixed(2)} s = ${Math.round(items / seconds).toLocaleString('en-US')} children/s, heap growth peak ${((peak - before) / 1048576).toFixed(1)} MiB`,
  );
}

// Warm up both modes first so neither figure includes JIT compilation.
await benchPassChain(false, true);
await benchPassChain(true, true);
await benchPassChain(false);
await benchPassChain(true);
await benchDistributedMap(100_000);
