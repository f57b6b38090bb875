/**
 * Merge and render costs of a busy day, and the whole handler path against local AWS.
 * `pnpm --filter @logflow/reporter bench`. Prints figures only; nothing here asserts on time.
 */
import { DynamoDBClient, BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { emptyRecord, mergeSummaries, SummaryBuilder, toBatchSummaryItem } from '@logflow/analyzer';
import { startLocalAws } from '@logflow/local-aws';
import type { FileSummary } from '@logflow/shared-types';
import {
  buildDailySummary,
  DailySummaryBuilder,
  generateDailyReport,
  renderHtml,
  renderJson,
  renderMarkdown,
} from '../src/index.js';
import { createReportResources } from '../src/test-support/report-resources.js';

const FILES = Number(process.env.BENCH_FILES ?? 200);
const REQUESTS_PER_FILE = Number(process.env.BENCH_REQUESTS ?? 1000);
const date = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const dayStart = Date.parse(`${date}T00:00:00Z`);

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time<T>(fn: () => T, runs = 5): { ms: number; value: T } {
  const times: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    value = fn();
    times.push(performance.now() - start);
  }
  return { ms: median(times), value };
}

/** A file with a realistic spread: many paths and clients, some 5xx, latency on every request. */
function makeSummary(file: number): FileSummary {
  const builder = new SummaryBuilder({
    file: { key: `logs/${date}/host-${file}.log`, bucket: 'in', gzip: true },
    format: 'alb',
  });
  const record = emptyRecord();
  let seed = file * 7919 + 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648);
  for (let i = 0; i < REQUESTS_PER_FILE; i++) {
    record.timestampMs = dayStart + Math.floor(rand() * 86_400_000);
    record.method = rand() < 0.9 ? 'GET' : 'POST';
    record.path = `/api/v1/items/${Math.floor(rand() ** 3 * 5000)}`;
    record.status = rand() < 0.01 ? 503 : rand() < 0.05 ? 404 : 200;
    record.bytes = Math.floor(rand() * 20000);
    record.latencyMs = rand() ** 4 * 2000;
    record.client = `10.${file % 256}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`;
    record.userAgent = `agent/${Math.floor(rand() * 300)}`;
    builder.add(record);
  }
  return builder.finish();
}

const buildStart = performance.now();
const summaries = Array.from({ length: FILES }, (_, i) => makeSummary(i));
console.log(
  `fixture: ${FILES} files × ${REQUESTS_PER_FILE} requests built in ${fmt(performance.now() - buildStart)}`,
);

const heapBefore = process.memoryUsage().heapUsed;
const merged = time(() => buildDailySummary({ date, summaries, failed: [] }));
console.log(`buildDailySummary (${FILES} files, median/5)   ${fmt(merged.ms)}`);
for (const [name, render] of [
  ['renderJson', renderJson],
  ['renderMarkdown', renderMarkdown],
  ['renderHtml', renderHtml],
] as const) {
  const r = time(() => render(merged.value));
  console.log(
    `${name.padEnd(16)} (median/5)            ${fmt(r.ms).padStart(9)}  ${kib(Buffer.byteLength(r.value))}`,
  );
}
console.log(`heap growth during merge and render       ${kib(process.memoryUsage().heapUsed - heapBefore)}`);

// A day of many small files, as the workflow stores it: one batch summary record per
// BENCH_PER_BATCH files. The fixture's summaries stand in for the batch cores (merging cost
// depends on a core's size, not on how many files were merged into it).
const DAY_FILES = Number(process.env.BENCH_DAY_FILES ?? 1_000_000);
const PER_BATCH = Number(process.env.BENCH_PER_BATCH ?? 100);
{
  const batches = Math.ceil(DAY_FILES / PER_BATCH);
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const start = performance.now();
  const builder = new DailySummaryBuilder(date);
  for (let b = 0; b < batches; b++) {
    const details = [];
    for (let f = b * PER_BATCH; f < Math.min(DAY_FILES, (b + 1) * PER_BATCH); f++) {
      details.push({
        key: `logs/${date}/host-${f}.log`,
        format: 'alb',
        requests: 1000,
        bytes: 1,
        malformed: 0,
        errors5xx: 0,
      });
    }
    builder.addBatch({ core: summaries[b % summaries.length]!, details });
    if (b % 1000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const daily = builder.finish([]);
  const mergeMs = performance.now() - start;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const renderStart = performance.now();
  const json = renderJson(daily);
  const md = renderMarkdown(daily);
  const html = renderHtml(daily);
  const renderMs = performance.now() - renderStart;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  console.log(
    `day of ${DAY_FILES.toLocaleString('en-US')} files in ${batches.toLocaleString('en-US')} batch records: merge ${fmt(mergeMs)}, render ${fmt(renderMs)} ` +
      `(json ${kib(Buffer.byteLength(json))}, md ${kib(Buffer.byteLength(md))}, html ${kib(Buffer.byteLength(html))}), ` +
      `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB (+${((peakRss - rssBefore) / 2 ** 20).toFixed(0)} MiB)`,
  );
}

// the handler path: ResultWriter outcomes → BatchGetItem → merge → three PutObjects → PutMetricData
const aws = await startLocalAws({ inMemory: true });
const config = aws.clientConfig();
const clients = {
  s3: new S3Client(config),
  dynamodb: new DynamoDBClient(config),
  cloudwatch: new CloudWatchClient(config),
};
try {
  await createReportResources(clients, { resultBucket: 'results', summaryTable: 'summaries' });
  const items = [];
  for (let i = 0; i < summaries.length; i += PER_BATCH) {
    const files = summaries.slice(i, i + PER_BATCH);
    const details = files.map((f) => ({
      key: f.file.key,
      format: f.format,
      requests: f.requests,
      bytes: f.bytes,
      malformed: f.lines.malformed,
      errors5xx: f.statusClass['5xx'],
    }));
    items.push({
      PutRequest: { Item: toBatchSummaryItem({ core: mergeSummaries(files), details }, date, `b${i}`) },
    });
  }
  const itemBytes = items.reduce(
    (n, i) => n + Buffer.byteLength((i.PutRequest.Item.summary as { S: string }).S),
    0,
  );
  for (let i = 0; i < items.length; i += 25) {
    await clients.dynamodb.send(
      new BatchWriteItemCommand({ RequestItems: { summaries: items.slice(i, i + 25) } }),
    );
  }
  const base = `results/${date}/bench`;
  const outcomes = items.map((item) => ({
    Status: 'SUCCEEDED',
    Input: '{"Items":[]}',
    Output: JSON.stringify({
      summaryKey: (item.PutRequest.Item.sk as { S: string }).S,
      analyzed: 1,
      failed: [],
    }),
  }));
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: 'results',
      Key: `${base}/SUCCEEDED_0.json`,
      Body: JSON.stringify(outcomes),
    }),
  );
  const manifest = {
    DestinationBucket: 'results',
    ResultFiles: { SUCCEEDED: [{ Key: `${base}/SUCCEEDED_0.json` }] },
  };
  await clients.s3.send(
    new PutObjectCommand({ Bucket: 'results', Key: `${base}/manifest.json`, Body: JSON.stringify(manifest) }),
  );
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    await generateDailyReport(
      clients,
      { summaryTable: 'summaries', resultBucket: 'results', metricNamespace: 'Bench' },
      { date, resultWriterDetails: { Bucket: 'results', Key: `${base}/manifest.json` } },
    );
    runs.push(performance.now() - start);
  }
  console.log(
    `generateDailyReport via local AWS (median/3) ${fmt(median(runs))}  (${FILES} files in ${items.length} batch records, ${kib(itemBytes)} of summary JSON)`,
  );
} finally {
  clients.s3.destroy();
  clients.dynamodb.destroy();
  clients.cloudwatch.destroy();
  await aws.stop();
}
