/**
 * Merge and render costs of a busy day, and the whole handler path against local AWS.
 * `pnpm --filter @logflow/reporter bench`. Prints figures only; nothing here asserts on time.
 */
import { DynamoDBClient, BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { emptyRecord, SummaryBuilder, toSummaryItem } from '@logflow/analyzer';
import { startLocalAws } from '@logflow/local-aws';
import type { FileSummary } from '@logflow/shared-types';
import {
  buildDailySummary,
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

// the handler path: Query (paginated) → merge → three PutObjects → PutMetricData
const aws = await startLocalAws({ inMemory: true });
const config = aws.clientConfig();
const clients = {
  s3: new S3Client(config),
  dynamodb: new DynamoDBClient(config),
  cloudwatch: new CloudWatchClient(config),
};
try {
  await createReportResources(clients, { resultBucket: 'results', summaryTable: 'summaries' });
  const items = summaries.map((s) => ({ PutRequest: { Item: toSummaryItem(s, date, { bucket: 'in' }) } }));
  const itemBytes = items.reduce(
    (n, i) => n + Buffer.byteLength((i.PutRequest.Item.summary as { S: string }).S),
    0,
  );
  for (let i = 0; i < items.length; i += 25) {
    await clients.dynamodb.send(
      new BatchWriteItemCommand({ RequestItems: { summaries: items.slice(i, i + 25) } }),
    );
  }
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    await generateDailyReport(
      clients,
      { summaryTable: 'summaries', resultBucket: 'results', metricNamespace: 'Bench' },
      { date },
    );
    runs.push(performance.now() - start);
  }
  console.log(
    `generateDailyReport via local AWS (median/3) ${fmt(median(runs))}  (${FILES} items, ${kib(itemBytes)} of summary JSON)`,
  );
} finally {
  clients.s3.destroy();
  clients.dynamodb.destroy();
  clients.cloudwatch.destroy();
  await aws.stop();
}
