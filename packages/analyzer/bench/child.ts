/**
 * One measurement, run in its own process so its peak RSS is its own:
 *   analyze <file> [format]  — the analyzer on the file (plain or gzip), the format given or detected
 *   count <file>    — a raw newline count of the same bytes (inflating gzip the same way)
 * Prints one JSON line: { mode, seconds, cpuSeconds, bytes, lines, maxRssMb, note }. CPU time
 * counts every thread of the process (the inflate and read threads too).
 */
import { createReadStream } from 'node:fs';
import type { LogFormat } from '@logflow/shared-types';
import { analyzeFile } from '../src/analyze.js';
import { openSource } from '../src/stream/source.js';

const [mode, file, format] = process.argv.slice(2);
if ((mode !== 'analyze' && mode !== 'count') || file === undefined) {
  console.error('usage: child analyze|count <file> [format]');
  process.exit(2);
}

const started = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
let bytes = 0;
let lines = 0;
let summaryNote = '';
if (mode === 'count') {
  const source = await openSource(createReadStream(file, { highWaterMark: 256 * 1024 }), file);
  for await (const chunk of source.chunks) {
    bytes += chunk.length;
    let i = chunk.indexOf(10);
    while (i >= 0) {
      lines++;
      i = chunk.indexOf(10, i + 1);
    }
  }
} else {
  const summary = await analyzeFile(file, format ? { format: format as LogFormat } : {});
  lines = summary.lines.total;
  bytes = -1;
  summaryNote = `${summary.format} requests=${summary.requests} malformed=${summary.lines.malformed} p50=${summary.latencyMs?.p50.toFixed(1)}ms`;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(
  JSON.stringify({
    mode,
    seconds,
    cpuSeconds,
    bytes,
    lines,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    note: summaryNote,
  }),
);
