/**
 * Per-format throughput, in process and without I/O: each sample log of `examples/logs/` is
 * repeated in memory to ~FORMAT_BENCH_MB (default 40) MB and pushed through the line splitter
 * and the format's parser, then again with the summary builder too. Prints MB per CPU-second
 * (best of 5 passes; the first passes warm up the JIT).
 *
 *   node --import tsx bench/formats.ts
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { LogFormat } from '@logflow/shared-types';
import { createParser } from '../src/formats/index.js';
import { emptyRecord } from '../src/record.js';
import { LineSplitter } from '../src/stream/lines.js';
import { SummaryBuilder } from '../src/summary/builder.js';

const SAMPLES: [LogFormat, string][] = [
  ['nginx-timed', 'nginx-access.log'],
  ['alb', 'alb-access.log.gz'],
  ['cloudfront', 'cloudfront-E2EXAMPLE.2026-11-22.log'],
  ['s3', 's3-server-access.log'],
  ['jsonl', 'app-access.jsonl'],
];
const targetBytes = Number(process.env.FORMAT_BENCH_MB ?? 40) * 1e6;
const CHUNK = 256 * 1024;

function load(name: string): Buffer {
  const raw = readFileSync(new URL(`../../../examples/logs/${name}`, import.meta.url));
  const one = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  return Buffer.concat(Array.from({ length: Math.max(1, Math.round(targetBytes / one.length)) }, () => one));
}

function pass(format: LogFormat, data: Buffer, withSummary: boolean): number {
  const parser = createParser(format);
  const record = emptyRecord();
  const builder = new SummaryBuilder({ file: { key: 'bench', gzip: false }, format });
  const splitter = new LineSplitter({
    line(text, start, end) {
      if (parser.header?.(text, start, end)) return;
      if (parser.parse(text, start, end, record) && withSummary) builder.add(record);
    },
    overlong() {},
  });
  const cpu = process.cpuUsage();
  for (let i = 0; i < data.length; i += CHUNK) splitter.push(data.subarray(i, i + CHUNK));
  splitter.end();
  if (withSummary) builder.finish();
  const used = process.cpuUsage(cpu);
  return data.length / 1e6 / ((used.user + used.system) / 1e6);
}

console.log('format       MB    split+parse MB/CPU-s   +summary MB/CPU-s');
for (const [format, name] of SAMPLES) {
  const data = load(name);
  const best = (withSummary: boolean) =>
    Math.max(...Array.from({ length: 5 }, () => pass(format, data, withSummary)));
  const parseOnly = best(false);
  const full = best(true);
  console.log(
    `${format.padEnd(10)} ${(data.length / 1e6).toFixed(0).padStart(4)}  ${parseOnly.toFixed(0).padStart(21)}  ${full.toFixed(0).padStart(18)}`,
  );
}
