/**
 * Startup time and throughput of the local endpoint. `pnpm --filter @logflow/local-aws bench`
 * Prints figures only; nothing here asserts on time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const t0 = performance.now();
const { startLocalAws } = await import('../src/index.js');
const importMs = performance.now() - t0;
const { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand } =
  await import('@aws-sdk/client-s3');
const { CloudWatchClient, PutMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function timeStart(options: Parameters<typeof startLocalAws>[0], runs = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const aws = await startLocalAws(options);
    times.push(performance.now() - start);
    await aws.stop();
  }
  return median(times);
}

const stateDir = await mkdtemp(path.join(tmpdir(), 'local-aws-bench-'));
try {
  console.log(`import @logflow/local-aws            ${fmt(importMs)}`);
  console.log(`startLocalAws, in memory (median/5)  ${fmt(await timeStart({ inMemory: true }))}`);
  console.log(`startLocalAws, on disk (median/5)    ${fmt(await timeStart({ stateDir }))}`);

  const aws = await startLocalAws({ stateDir, reset: true });
  const s3 = new S3Client(aws.clientConfig());
  await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
  const size = 256 * 1024 * 1024;
  const block = Buffer.alloc(1024 * 1024, 0x5a);
  const body = Readable.from(
    (function* () {
      for (let sent = 0; sent < size; sent += block.length) yield block;
    })(),
  );
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const rssBefore = peakRss;
  let start = performance.now();
  await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: 'big', Body: body, ContentLength: size }));
  const putMs = performance.now() - start;
  start = performance.now();
  const got = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: 'big' }));
  await pipeline(got.Body as Readable, new Writable({ write: (_c, _e, cb) => cb() }));
  const getMs = performance.now() - start;
  console.log(`S3 PutObject stream, 256 MiB          ${(256 / (putMs / 1000)).toFixed(0)} MiB/s`);
  clearInterval(sampler);
  console.log(`S3 GetObject stream, 256 MiB          ${(256 / (getMs / 1000)).toFixed(0)} MiB/s`);
  console.log(
    `RSS growth during both transfers         ${((peakRss - rssBefore) / 1024 / 1024).toFixed(0)} MiB (client and server in one process)`,
  );

  const cw = new CloudWatchClient(aws.clientConfig());
  const data = Array.from({ length: 1000 }, (_, i) => ({ MetricName: `M${i % 20}`, Value: i }));
  start = performance.now();
  for (let i = 0; i < 20; i++)
    await cw.send(new PutMetricDataCommand({ Namespace: 'Bench', MetricData: data }));
  console.log(`CloudWatch PutMetricData, 1,000 data  ${fmt((performance.now() - start) / 20)} per request`);
  s3.destroy();
  cw.destroy();
  await aws.stop();
} finally {
  await rm(stateDir, { recursive: true, force: true });
}
