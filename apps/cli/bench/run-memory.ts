/**
 * Benchmark: peak memory of `logflow run` by number of files. The run's memory should be bounded
 * by its concurrency (files in flight, batches, SDK buffers), not by the day's file count: the
 * target is a run of 5,000 files peaking within 1.2× of a run of 200 files of the same size.
 *
 *   pnpm --filter @logflow/cli bench:memory          # 200 and 5,000 files of 20 KB
 *   BENCH_COUNTS=200,2000 BENCH_FILE_KB=50 pnpm --filter @logflow/cli bench:memory
 *
 * Each run is its own `logflow run` process under `/usr/bin/time`, whose peak RSS is that of
 * the run's process (local AWS runs in a child process of its own, reported by the run). Prints
 * figures only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCombinedLog } from '../../../packages/analyzer/bench/generate.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const counts = (process.env.BENCH_COUNTS ?? '200,5000').split(',').map(Number);
const fileKb = Number(process.env.BENCH_FILE_KB ?? 20);

if (!existsSync('/usr/bin/time')) throw new Error('run-memory needs /usr/bin/time (Debian package "time")');

/** One sample file of about `fileKb` KB, cut on a line boundary; every file of a run is a copy. */
async function sampleFile(): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'logflow-memory-sample-'));
  try {
    const source = join(dir, 'source.log');
    await generateCombinedLog(source, Math.max(1, Math.ceil(fileKb / 1000)));
    const text = await readFile(source);
    return text.subarray(0, text.lastIndexOf(10, fileKb * 1024) + 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const sample = await sampleFile();
const rows: { files: number; seconds: number; rssMb: number; status: string }[] = [];
for (const files of counts) {
  const logs = await mkdtemp(join(tmpdir(), `logflow-memory-${files}-`));
  const state = await mkdtemp(join(tmpdir(), 'logflow-memory-state-'));
  try {
    await mkdir(logs, { recursive: true });
    for (let i = 0; i < files; i++)
      await writeFile(join(logs, `part-${String(i).padStart(5, '0')}.log`), sample);
    const start = performance.now();
    const result = spawnSync(
      '/usr/bin/time',
      [
        '-f',
        '%M',
        process.execPath,
        '--import',
        'tsx',
        join(repoRoot, 'apps/cli/src/main.ts'),
        'run',
        logs,
        '--state',
        state,
        '--reset',
        '--json',
        '--date',
        '2026-11-22',
      ],
      { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 28 },
    );
    const seconds = (performance.now() - start) / 1000;
    if (result.status !== 0) throw new Error(`logflow run failed: ${result.stderr.slice(-2000)}`);
    const rssKb = Number(result.stderr.trim().split('\n').at(-1));
    const run = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as { status?: string };
    rows.push({ files, seconds, rssMb: rssKb / 1024, status: run.status ?? '?' });
  } finally {
    await rm(logs, { recursive: true, force: true });
    await rm(state, { recursive: true, force: true });
  }
}

console.log(`logflow run peak RSS by file count (${sample.length} bytes per file, node ${process.version})`);
for (const r of rows) {
  console.log(
    `${String(r.files).padStart(6)} files  ${r.seconds.toFixed(1).padStart(6)} s  ${r.rssMb.toFixed(0).padStart(5)} MB peak RSS  ${r.status}`,
  );
}
const [first, last] = [rows[0], rows.at(-1)];
if (first && last && rows.length > 1) {
  console.log(
    `ratio ${last.files} / ${first.files} files: ${(last.rssMb / first.rssMb).toFixed(2)}× (target ≤ 1.2×)`,
  );
}
