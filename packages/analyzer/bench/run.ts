/**
 * Analyzer benchmark: plain and gzip input of the same generated combined log, each measured
 * in a child process (MB/s of log text, lines/s, peak RSS), next to a raw newline count of
 * the same bytes in the same run. The child is bundled with esbuild and run by plain `node`,
 * so its RSS is the analyzer's, not a TypeScript loader's.
 *
 *   BENCH_MB=200 pnpm --filter @logflow/analyzer bench     (default 1024 MB)
 *   BENCH_RUNS=3 repeats each measurement and reports the fastest run.
 *   BENCH_PRESET_MB=20 sizes the per-preset files (default: BENCH_MB, at most 50).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { PRESETS } from '../src/formats/presets.js';
import { ensureBenchFiles, ensurePresetFile } from './generate.js';

interface Measurement {
  mode: 'analyze' | 'count';
  seconds: number;
  cpuSeconds: number;
  bytes: number;
  lines: number;
  maxRssMb: number;
  note: string;
}

const megabytes = Number(process.env.BENCH_MB ?? 1024);
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
const presetMegabytes = Number(process.env.BENCH_PRESET_MB ?? Math.min(megabytes, 50));
const files = await ensureBenchFiles(megabytes);
const logBytes = statSync(files.plain).size;

const bundleDir = mkdtempSync(join(tmpdir(), 'logflow-bench-'));
const childBundle = join(bundleDir, 'child.mjs');
process.on('exit', () => rmSync(bundleDir, { recursive: true, force: true }));
await build({
  entryPoints: [new URL('./child.ts', import.meta.url).pathname],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: childBundle,
  logLevel: 'warning',
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
});

function measure(mode: 'analyze' | 'count', file: string, format?: string): Measurement {
  let best: Measurement | undefined;
  for (let i = 0; i < runs; i++) {
    const args = [childBundle, mode, file, ...(format ? [format] : [])];
    const out = execFileSync(process.execPath, args, { encoding: 'utf8' });
    const m = JSON.parse(out.trim().split('\n').pop()!) as Measurement;
    if (best === undefined || m.seconds < best.seconds) best = m;
  }
  return best!;
}

const mb = logBytes / 1e6;
const rows: string[][] = [
  ['input', 'what', 'seconds', 'MB/s', 'lines/s', 'CPU seconds', 'MB/CPU-s', 'peak RSS MB'],
];
const results: Record<string, Measurement> = {};
const loadAtStart = loadavg();
for (const [label, file] of [
  ['plain', files.plain],
  ['gzip', files.gzip],
] as const) {
  for (const mode of ['count', 'analyze'] as const) {
    const m = measure(mode, file);
    results[`${label}-${mode}`] = m;
    rows.push([
      label,
      mode === 'count' ? 'newline count' : 'analyzer',
      m.seconds.toFixed(2),
      (mb / m.seconds).toFixed(0),
      Math.round(m.lines / m.seconds).toLocaleString('en-US'),
      m.cpuSeconds.toFixed(2),
      (mb / m.cpuSeconds).toFixed(0),
      m.maxRssMb.toFixed(0),
    ]);
  }
}

const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
console.log(
  `\nlog: ${files.plain} (${mb.toFixed(0)} MB, gzip ${(statSync(files.gzip).size / 1e6).toFixed(0)} MB), best of ${runs}`,
);
for (const r of rows) console.log(r.map((cell, c) => cell.padStart(widths[c]!)).join('  '));
const plain = results['plain-analyze']!;
const gzip = results['gzip-analyze']!;
console.log(
  `gzip/plain analyzer time: ${(gzip.seconds / plain.seconds).toFixed(2)}x wall, ${(gzip.cpuSeconds / plain.cpuSeconds).toFixed(2)}x CPU`,
);
const formatLoad = (load: number[]): string => load.map((l) => l.toFixed(1)).join(' ');
console.log(
  `load average at the start: ${formatLoad(loadAtStart)}, at the end: ${formatLoad(loadavg())} on ${cpus().length} CPUs`,
);
console.log(`summary: ${plain.note}`);

// Per preset: its documented example line, repeated to BENCH_PRESET_MB, read with the preset given
// (the lines repeat, so the summary's tables stay small: this measures parsing more than counting).
const presetRows: string[][] = [
  ['preset', 'MB', 'newline count MB/s', 'analyzer MB/s', 'MB/CPU-s', 'peak RSS MB'],
];
for (const preset of PRESETS) {
  const file = ensurePresetFile(preset.name, preset.example, presetMegabytes);
  const size = statSync(file).size / 1e6;
  const count = measure('count', file);
  const m = measure('analyze', file, preset.name);
  presetRows.push([
    preset.name,
    size.toFixed(0),
    (size / count.seconds).toFixed(0),
    (size / m.seconds).toFixed(0),
    (size / m.cpuSeconds).toFixed(0),
    m.maxRssMb.toFixed(0),
  ]);
}
const presetWidths = presetRows[0]!.map((_, c) => Math.max(...presetRows.map((r) => r[c]!.length)));
console.log(`\nper preset (best of ${runs}):`);
for (const r of presetRows)
  console.log(
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(presetWidths[c]!) : cell.padStart(presetWidths[c]!)))
      .join('  '),
  );
