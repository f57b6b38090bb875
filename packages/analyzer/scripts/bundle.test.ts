// The bundled Lambda, loaded by plain `node`, analyses an object in local S3 end to end.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalAws, type LocalAws } from '@logflow/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleAnalyzeLogData, checkBundleLoads } from './bundle.js';

const run = promisify(execFile);

describe('AnalyzeLogData bundle', () => {
  let dir: string;
  let outfile: string;
  let aws: LocalAws;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'analyzer-bundle-'));
    outfile = path.join(dir, 'index.cjs');
    const metafile = await bundleAnalyzeLogData(outfile);
    // The AWS SDK is inside the bundle, not left to the runtime.
    expect(Object.keys(metafile.inputs).some((f) => f.includes('@aws-sdk/client-s3'))).toBe(true);
    aws = await startLocalAws({ inMemory: true });
    const s3 = new S3Client(aws.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'logs' }));
    const line =
      '203.0.113.9 - - [22/Nov/2026:08:00:00 +0000] "GET /index.html HTTP/1.1" 200 512 "-" "curl/8.5"\n';
    await s3.send(
      new PutObjectCommand({ Bucket: 'logs', Key: 'a.log.gz', Body: gzipSync(line.repeat(100)) }),
    );
    s3.destroy();
  }, 120_000);

  afterAll(async () => {
    await aws?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads with plain node and exports handler', () => {
    expect(() => checkBundleLoads(outfile)).not.toThrow();
    expect(() => checkBundleLoads(path.join(dir, 'missing.cjs'))).toThrow();
  });

  it('runs the handler: a result for a log, named errors for failures', async () => {
    const script = `
      const { createAnalyzeLogDataHandler } = require(${JSON.stringify(outfile)});
      // a fixed time of analysis the day after the log, so CloudWatch's window accepts it on any date
      const handler = createAnalyzeLogDataHandler({ clock: () => new Date('2026-11-23T06:00:00Z') });
      const ev = (Key) => ({ bucket: 'logs', date: '2026-11-22', object: { Key, Size: 1, Etag: '"e"', LastModified: '', StorageClass: 'STANDARD' }, publish: true });
      (async () => {
        const ok = await handler({ items: [ev('a.log.gz'), ev('missing.log')] });
        const bad = await handler({}).catch((e) => e.name);
        console.log(JSON.stringify({ files: ok.files.map((f) => [f.key, f.status, f.error]), publication: ok.publication, batches: ok.metricBatches.length, bad }));
      })();`;
    const { stdout } = await run(process.execPath, ['-e', script], {
      env: { ...aws.env(), PATH: process.env.PATH ?? '', LOGFLOW_METRIC_NAMESPACE: 'Logflow/test' },
    });
    expect(JSON.parse(stdout)).toEqual({
      files: [
        ['a.log.gz', 'ANALYZED', null],
        ['missing.log', 'FAILED', 'LogObjectNotFoundError'],
      ],
      publication: {
        id: expect.stringMatching(/^[0-9a-f]{40}$/),
        objects: [{ key: 'a.log.gz', etag: 'e' }],
        // Requests, 5xxErrors, ResponseSize and MalformedLines, each fleet-wide and per Format
        datums: 8,
        outsideWindow: 0,
      },
      batches: 1,
      bad: 'InvalidAnalyzeEventError',
    });
  });
});
