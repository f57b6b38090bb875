/**
 * Benchmark: the whole daily workflow in local AWS (`logflow run`) against the bare analysis
 * of the same bytes (`logflow analyze`), over many files. Target: the workflow costs at most
 * 1.5× the bare analysis.
 *
 *   BENCH_MB=1000 BENCH_FILES=1000 pnpm --filter @logflow/cli bench
 *
 * Each command runs in its own process (as a user runs it); peak RSS comes from
 * `/usr/bin/time` when it is installed.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
// The analyzer's seeded generator of realistic combined-format logs.
import { generateCombinedLog } from '../../../packages/analyzer/bench/generate.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const megabytes = Number(process.env.BENCH_MB ?? 1000);
const fileCount = Number(process.env.BENCH_FILES ?? 1000);
const dataDir = join(here, 'data');

/** Splits `source` into `parts` files of about equal size, on line boundaries. */
async function splitLines(source: string, dir: string, parts: number): Promise<void> {
  const total = (await stat(source)).size;
  const target = total / parts;
  let index = 0;
  let written = 0;
  let out = createWriteStream(join(dir, `part-${String(index).padStart(4, '0')}.log`));
  for await (const line of createInterface({ input: createReadStream(source), crlfDelay: Infinity })) {
    if (written >= target * (index + 1) && index < parts - 1) {
      await new Promise<void>((resolve) => out.end(() => resolve()));
      index++;
      out = createWriteStream(join(dir, `part-${String(index).padStart(4, '0')}.log`));
    }
    if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    written += Buffer.byteLength(line) + 1;
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

async function prepare(): Promise<{ dir: string; bytes: number; files: string[] }> {
  const dir = join(dataDir, `run-${megabytes}mb-${fileCount}`);
  if (!existsSync(join(dir, '.complete'))) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const source = join(dataDir, `source-${megabytes}mb.log`);
    if (!existsSync(source)) {
      process.stderr.write(`generating ${megabytes} MB of combined-format logs...\n`);
      await generateCombinedLog(source, megabytes);
    }
    process.stderr.write(`splitting into ${fileCount} files...\n`);
    await splitLines(source, dir, fileCount);
    await rm(source);
    await (await import('node:fs/promises')).writeFile(join(dir, '.complete'), '');
  }
  const files = (await readdir(dir)).filter((f) => f.endsWith('.log')).map((f) => join(dir, f));
  let bytes = 0;
  for (const f of files) bytes += (await stat(f)).size;
  return { dir, bytes, files };
}

interface Measured {
  seconds: number;
  peakRssMb: number | null;
  stdout: string;
}

function measure(args: string[]): Measured {
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const command = timeBin ? timeBin : process.execPath;
  const fullArgs = timeBin
    ? ['-f', '%M', process.execPath, '--import', 'tsx', join(repoRoot, 'apps/cli/src/main.ts'), ...args]
    : ['--import', 'tsx', join(repoRoot, 'apps/cli/src/main.ts'), ...args];
  const start = performance.now();
  const result = spawnSync(command, fullArgs, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`logflow ${args[0]} failed: ${result.stderr.slice(-2000)}`);
  const rssLine = timeBin ? result.stderr.trim().split('\n').at(-1) : undefined;
  return { seconds, peakRssMb: rssLine ? Number(rssLine) / 1024 : null, stdout: result.stdout };
}

const { dir, bytes, files } = await prepare();
const mb = bytes / 1e6;
process.stderr.write(`${files.length} files, ${mb.toFixed(0)} MB\n`);

const analyze = measure(['analyze', ...files, '--json']);
const state = await mkdtemp(join(tmpdir(), 'logflow-bench-state-'));
const run = measure(['run', dir, '--state', state, '--reset', '--json', '--date', '2026-11-22']);
await rm(state, { recursive: true, force: true });
const runResult = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { status?: string };

const row = (name: string, m: Measured): string =>
  `${name.padEnd(16)} ${m.seconds.toFixed(1).padStart(7)} s ${(mb / m.seconds).toFixed(1).padStart(8)} MB/s ${
    m.peakRssMb === null ? '' : `${m.peakRssMb.toFixed(0).padStart(6)} MB peak RSS`
  }`;
console.log(`local run benchmark: ${files.length} files, ${mb.toFixed(0)} MB (node ${process.version})`);
console.log(row('logflow analyze', analyze));
console.log(row(`logflow run (${runResult.status ?? '?'})`, run));
console.log(`ratio run / analyze: ${(run.seconds / analyze.seconds).toFixed(2)}× (target ≤ 1.5×)`);
