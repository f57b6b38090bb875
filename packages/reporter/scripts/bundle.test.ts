/**
 * The Lambda bundle loads in plain Node (no tsx, no workspace) and, run as Lambda would run it,
 * writes a report into local AWS.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { toBatchSummaryItem } from '@logflow/analyzer';
import { startLocalAws, type LocalAws } from '@logflow/local-aws';
import { HANDLER_ENV } from '@logflow/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSummary, hourOfRequests } from '../src/test-support/file-summaries.js';
import { createReportResources } from '../src/test-support/report-resources.js';
import { bundleHandler } from './bundle.js';

const run = promisify(execFile);

describe('GenerateDailySummary bundle', () => {
  let dir: string;
  let aws: LocalAws;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'logflow-bundle-'));
    aws = await startLocalAws({ inMemory: true });
  }, 60_000);

  afterAll(async () => {
    await aws?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is one minified CommonJS file with a source map that runs the handler in plain node', async () => {
    const outfile = path.join(dir, 'index.cjs');
    const { bytes, warnings } = await bundleHandler(outfile);
    expect(warnings).toEqual([]);
    expect(bytes).toBeGreaterThan(100_000); // the AWS SDK is inside
    const code = await readFile(outfile, 'utf8');
    expect(code).toMatch(/\/\/# sourceMappingURL=index\.cjs\.map\s*$/);
    // only the SDK's optional native signer stays outside (it is required inside a try)
    const external = [...code.matchAll(/require\("(@[^"]+)"\)/g)].map((m) => m[1]);
    expect([...new Set(external)]).toEqual(['@aws-sdk/signature-v4-crt']);
    const map = JSON.parse(await readFile(`${outfile}.map`, 'utf8')) as { sources: string[] };
    expect(map.sources.some((s) => s.endsWith('src/lambda/generate-daily-summary.ts'))).toBe(true);

    const loaded = await run(
      process.execPath,
      ['-e', `const m = require(${JSON.stringify(outfile)}); console.log(typeof m.handler)`],
      {
        cwd: dir,
      },
    );
    expect(loaded.stdout.trim()).toBe('function');

    const date = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const config = aws.clientConfig();
    const s3 = new S3Client(config);
    const dynamodb = new DynamoDBClient(config);
    try {
      await createReportResources(
        { s3, dynamodb },
        { resultBucket: 'bundle-results', summaryTable: 'bundle-summaries' },
      );
      const summary = fileSummary('logs/a.log', hourOfRequests(`${date}T10:00:00Z`, 42), { bucket: 'in' });
      const details = [
        {
          key: 'logs/a.log',
          format: 'combined',
          requests: 42,
          bytes: summary.bytes,
          malformed: 0,
          errors5xx: 0,
        },
      ];
      const item = toBatchSummaryItem({ core: summary, details }, date, 'b1');
      await dynamodb.send(new PutItemCommand({ TableName: 'bundle-summaries', Item: item }));
      const base = `results/${date}/run`;
      const put = (Key: string, value: unknown) =>
        s3.send(new PutObjectCommand({ Bucket: 'bundle-results', Key, Body: JSON.stringify(value) }));
      await put(`${base}/SUCCEEDED_0.json`, [
        {
          Status: 'SUCCEEDED',
          Input: '{"Items":[]}',
          Output: JSON.stringify({ summaryKey: 'BATCH#b1', analyzed: 1, failed: [] }),
        },
      ]);
      await put(`${base}/manifest.json`, {
        DestinationBucket: 'bundle-results',
        ResultFiles: { SUCCEEDED: [{ Key: `${base}/SUCCEEDED_0.json`, Size: 1 }], FAILED: [], PENDING: [] },
      });

      const script = `require(${JSON.stringify(outfile)}).handler({ date: ${JSON.stringify(date)} })
        .then((r) => process.stdout.write('\\n' + JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });`;
      const { stdout } = await run(process.execPath, ['--enable-source-maps', '-e', script], {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '',
          ...aws.env(),
          [HANDLER_ENV.summaryTable]: 'bundle-summaries',
          [HANDLER_ENV.resultBucket]: 'bundle-results',
          [HANDLER_ENV.metricNamespace]: 'Logflow/bundle',
        },
      });
      const lines = stdout.trim().split('\n');
      const result = JSON.parse(lines.at(-1)!) as { requests: number; report: { html: string } };
      expect(result.requests).toBe(42);
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: 'bundle-results', Key: result.report.html }),
      );
      expect(head.ContentType).toBe('text/html; charset=utf-8');
    } finally {
      s3.destroy();
      dynamodb.destroy();
    }
  }, 120_000);
});
