/**
 * Service integration benchmarks: the streaming ItemReader parsers on in-memory data, then
 * the S3 ItemReaders and the streaming ResultWriter through the real SDK against the local
 * AWS endpoint. Reports items/s, MB/s and peak heap growth.
 * Run with `pnpm --filter @logflow/asl-runtime bench`.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalAws } from '@logflow/local-aws';
import type { MapRunChildResult } from '../src/integrations.js';
import { createIntegrations, readCsv, readJsonArray, readJsonLines } from '../src/index.js';

const MB = 1024 * 1024;

function measureHeap(): { stop(): number } {
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 10);
  return {
    stop() {
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      return (peak - before) / MB;
    },
  };
}

async function timed(label: string, bytes: number, run: () => Promise<number>): Promise<void> {
  const heap = measureHeap();
  const t0 = process.hrtime.bigint();
  const items = await run();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const grew = heap.stop();
  const rate = bytes > 0 ? `, ${(bytes / MB / seconds).toFixed(0)} MB/s` : '';
  console.log(
    `${label}: ${items.toLocaleString('en-US')} items in ${seconds.toFixed(2)} s = ${Math.round(items / seconds).toLocaleString('en-US')} items/s${rate}, heap +${grew.toFixed(0)} MB`,
  );
}

async function* chunked(text: Buffer, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < text.length; i += size) yield text.subarray(i, i + size);
}

async function count(items: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of items) n++;
  return n;
}

function record(i: number) {
  return {
    key: `logs/2026/11/22/host-${i % 97}/access-${i}.log.gz`,
    size: 1024 + i,
    etag: `"${i.toString(16)}"`,
  };
}

async function benchParsers(rows: number): Promise<void> {
  const jsonl = Buffer.from(Array.from({ length: rows }, (_, i) => JSON.stringify(record(i))).join('\n'));
  const json = Buffer.from(JSON.stringify(Array.from({ length: rows }, (_, i) => record(i))));
  const csv = Buffer.from(
    [
      'key,size,etag',
      ...Array.from({ length: rows }, (_, i) => `${record(i).key},${1024 + i},"""${i.toString(16)}"""`),
    ].join('\n'),
  );
  await timed(`parse JSONL (${(jsonl.length / MB).toFixed(0)} MB)`, jsonl.length, () =>
    count(readJsonLines(chunked(jsonl), 'bench')),
  );
  await timed(`parse JSON array (${(json.length / MB).toFixed(0)} MB)`, json.length, () =>
    count(readJsonArray(chunked(json), 'bench')),
  );
  await timed(`parse CSV (${(csv.length / MB).toFixed(0)} MB)`, csv.length, () =>
    count(readCsv(chunked(csv), 'bench')),
  );
}

async function benchS3(objects: number, results: number): Promise<void> {
  const local = await startLocalAws({ inMemory: true });
  const s3 = new S3Client(local.clientConfig());
  const integrations = createIntegrations({ clientConfig: local.clientConfig() });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
    for (let i = 0; i < objects; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, objects - i) }, (_, j) =>
          s3.send(
            new PutObjectCommand({
              Bucket: 'bench',
              Key: `logs/${String(i + j).padStart(6, '0')}.log`,
              Body: 'x',
            }),
          ),
        ),
      );
    }
    const signal = new AbortController().signal;
    await timed(`s3:listObjectsV2 reader (${objects} objects, ${Math.ceil(objects / 1000)} pages)`, 0, () =>
      count(
        integrations.itemReader(
          { resource: 'arn:aws:states:::s3:listObjectsV2', args: { Bucket: 'bench', Prefix: 'logs/' } },
          signal,
        ),
      ),
    );
    const body = Buffer.from(Array.from({ length: 200_000 }, (_, i) => JSON.stringify(record(i))).join('\n'));
    await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: 'items.jsonl', Body: body }));
    await timed(`s3:getObject JSONL reader (${(body.length / MB).toFixed(0)} MB)`, body.length, () =>
      count(
        integrations.itemReader(
          {
            resource: 'arn:aws:states:::s3:getObject',
            args: { Bucket: 'bench', Key: 'items.jsonl' },
            readerConfig: { InputType: 'JSONL' },
          },
          signal,
        ),
      ),
    );
    const mapRunArn =
      'arn:aws:states:us-east-1:123456789012:mapRun:bench/Map:00000000-0000-4000-8000-000000000000';
    const child = (i: number): MapRunChildResult => ({
      ExecutionArn: `arn:aws:states:us-east-1:123456789012:execution:bench/Map:${i}`,
      Input: JSON.stringify(record(i)),
      InputDetails: { Included: true },
      Name: String(i),
      Output: JSON.stringify({ key: record(i).key, requests: i, bytes: i * 10 }),
      OutputDetails: { Included: true },
      RedriveCount: 0,
      RedriveStatus: 'NOT_REDRIVABLE',
      StartDate: '2026-11-22T10:00:00.000Z',
      StopDate: '2026-11-22T10:00:01.000Z',
      Status: 'SUCCEEDED',
      StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:bench/Map',
    });
    await timed(`streaming ResultWriter (${results.toLocaleString('en-US')} results)`, 0, async () => {
      const sink = await integrations.streamingResultWriter.open({
        resource: 'arn:aws:states:::s3:putObject',
        args: { Bucket: 'bench', Prefix: 'results' },
        mapRunArn,
      });
      for (let i = 0; i < results; i++) await sink.write(child(i));
      await sink.close();
      return results;
    });
  } finally {
    await integrations.destroy();
    s3.destroy();
    await local.stop();
  }
}

await benchParsers(300_000);
await benchS3(5_000, 50_000);
