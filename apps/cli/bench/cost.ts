/**
 * Benchmark: the AWS cost per TB of logs (`logflow cost`) for three shapes of log objects, from
 * measured local runs of a small sample of each, projected to a 1 TB day.
 *
 *   BENCH_FILES=250 pnpm --filter @logflow/cli bench:cost
 *
 * Samples (combined-format logs of the analyzer's generator): BENCH_FILES objects of 20 KB,
 * BENCH_FILES/30 (at least 2) of 5 MB, and 2 of 40 MB standing in for 1 GB objects. Each runs
 * the whole workflow against an in-process local AWS counting its requests, with the run's
 * clock the morning after the logs' day so CloudWatch takes their datapoints. `projectUsage`
 * projects each to a 1 TB day: per-child counts by the children the deployed batch size makes,
 * per-object counts by the objects, durations by the bytes; distinct metrics stay one day's.
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { computeBill, formatBill, goalFor, projectUsage, TB } from '@logflow/cost';
import { startLocalAws } from '@logflow/local-aws';
import { fixedClock } from '@logflow/shared-types';
import { buildDailyWorkflowDefinition, localWorkflowConfig } from '@logflow/workflow';
// The analyzer's seeded generator of realistic combined-format logs.
import { generateCombinedLog } from '../../../packages/analyzer/bench/generate.js';
import { runDaily } from '../src/run/run-daily.js';

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, 'data');
const smallFiles = Number(process.env.BENCH_FILES ?? 250);
/** The generated logs are of 2026-11-22; the run happens the next morning. */
const NOW_MS = Date.parse('2026-11-23T01:00:00Z');
const KB = 1024;
const MB = 1024 * KB;

interface Shape {
  name: '20 KB files' | '5 MB files' | '1 GB files';
  /** The object size the shape stands for. */
  targetBytes: number;
  sampleFiles: number;
  sampleBytes: number;
}

const SHAPES: Shape[] = [
  { name: '20 KB files', targetBytes: 20 * KB, sampleFiles: smallFiles, sampleBytes: 20 * KB },
  {
    name: '5 MB files',
    targetBytes: 5 * MB,
    sampleFiles: Math.max(2, Math.round(smallFiles / 30)),
    sampleBytes: 5 * MB,
  },
  { name: '1 GB files', targetBytes: 1024 * MB, sampleFiles: 2, sampleBytes: 40 * MB },
];

/** `files` files of about `bytes` each, cut on line boundaries from the generated source. */
async function sample(shape: Shape, source: string): Promise<string> {
  const dir = join(dataDir, `cost-${shape.sampleFiles}x${shape.sampleBytes}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  let index = 0;
  let written = 0;
  let out = createWriteStream(join(dir, `part-${String(index).padStart(5, '0')}.log`));
  const close = () => new Promise<void>((resolve) => out.end(() => resolve()));
  for await (const line of createInterface({ input: createReadStream(source), crlfDelay: Infinity })) {
    if (written >= shape.sampleBytes) {
      await close();
      if (++index === shape.sampleFiles) break;
      written = 0;
      out = createWriteStream(join(dir, `part-${String(index).padStart(5, '0')}.log`));
    }
    if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    written += Buffer.byteLength(line) + 1;
  }
  if (index < shape.sampleFiles) await close();
  await writeFile(join(dir, '.complete'), '');
  return dir;
}

await mkdir(dataDir, { recursive: true });
const sourceMb = Math.ceil(Math.max(...SHAPES.map((s) => s.sampleFiles * s.sampleBytes)) / MB) + 1;
const source = join(dataDir, `cost-source-${sourceMb}mb.log`);
if (!existsSync(source)) {
  process.stderr.write(`generating ${sourceMb} MB of combined-format logs...\n`);
  await generateCombinedLog(source, sourceMb);
}

// the deployed definition's batch size: a sample smaller than a batch would overstate children
const definition = buildDailyWorkflowDefinition(localWorkflowConfig()) as {
  States: Record<string, { ItemBatcher?: { MaxItemsPerBatch?: number } }>;
};
const batchSize = definition.States.ProcessLogsUnderPrefix?.ItemBatcher?.MaxItemsPerBatch ?? 1;
const rows: string[] = [];
for (const shape of SHAPES) {
  const logDir = await sample(shape, source);
  const stateDir = await mkdtemp(join(tmpdir(), 'logflow-cost-bench-'));
  const clock = fixedClock(NOW_MS);
  const local = await startLocalAws({ stateDir, clock, countRequests: true });
  const saved = { ...process.env };
  Object.assign(process.env, local.env());
  try {
    const result = await runDaily({
      logDir,
      date: '2026-11-22',
      target: { kind: 'endpoint' },
      clock,
      requestCounts: local.requestCounts!,
      reportDir: join(stateDir, 'out'),
      lambdaLogFile: join(stateDir, 'lambda.log'),
    });
    if (result.status !== 'SUCCEEDED')
      throw new Error(`${shape.name}: run ${result.status} ${result.error ?? ''}`);
    const measured = computeBill(result.usage);
    const projected = projectUsage(result.usage, {
      bytes: TB,
      objectBytes: shape.targetBytes,
      objectsPerChild: batchSize,
    });
    const bill = computeBill(projected);
    const goal = goalFor(shape.targetBytes);
    console.log(
      `\n== ${shape.name}: measured ${result.usage.logs.files} × ${(shape.sampleBytes / KB).toFixed(0)} KB (${(result.usage.logs.bytes / MB).toFixed(1)} MiB), $${measured.total.toPrecision(3)}; projected to 1 TB:`,
    );
    console.log(formatBill(bill, projected));
    rows.push(
      `${shape.name.padEnd(12)} ${`$${bill.perTb!.toFixed(2)}`.padStart(10)} ${`$${bill.s3GetFloor.toFixed(2)}`.padStart(10)} ${`$${bill.athena.cost.toFixed(2)}`.padStart(8)}   ${goal.description}: ${goal.check(bill) ? 'PASS' : 'FAIL'}`,
    );
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await local.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}
console.log('\nshape            per TB   GET floor   Athena   goal');
for (const row of rows) console.log(row);
