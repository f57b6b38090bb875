import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalAws, type LocalAws } from '@logflow/local-aws';
import { dailyReportKeys } from '@logflow/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadDeployedReport } from './report.js';

// A deployed stack's result bucket, served by local AWS through AWS_ENDPOINT_URL: the same
// default-chain S3 client the command uses against AWS.
const bucket = 'logflow-prod-results-123456789012-eu-west-1';
const date = '2028-02-29';
let aws: LocalAws;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'logflow-report-aws-'));
  aws = await startLocalAws({ stateDir: path.join(dir, 'state') });
  Object.assign(process.env, aws.env());
  const s3 = new S3Client(aws.clientConfig());
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const keys = dailyReportKeys(date);
    for (const [format, key] of Object.entries(keys)) {
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${format} report of ${date}\n` }),
      );
    }
  } finally {
    s3.destroy();
  }
}, 60_000);

afterAll(async () => {
  process.env = saved;
  await aws?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('logflow report --aws', () => {
  it("downloads the day's three report objects from the result bucket", async () => {
    const out = path.join(dir, 'out');
    const paths = await downloadDeployedReport({ date, environment: 'prod', resultBucket: bucket, out });
    expect(paths).toEqual({
      json: path.join(out, 'summary.json'),
      md: path.join(out, 'summary.md'),
      html: path.join(out, 'summary.html'),
    });
    expect(await readFile(paths.html, 'utf8')).toBe(`html report of ${date}\n`);
    expect(await readFile(paths.json, 'utf8')).toBe(`json report of ${date}\n`);
    await expect(stat(`${paths.html}.partial`)).rejects.toThrow();
  });

  it('says which object is missing for a day that has no report', async () => {
    await expect(
      downloadDeployedReport({
        date: '2028-03-01',
        environment: 'prod',
        resultBucket: bucket,
        out: path.join(dir, 'none'),
      }),
    ).rejects.toThrow(`no report for 2028-03-01 at s3://${bucket}/reports/2028-03-01/summary.json`);
  });

  it('rejects a day that does not exist', async () => {
    await expect(
      downloadDeployedReport({ date: '2027-02-29', environment: 'prod', resultBucket: bucket }),
    ).rejects.toThrow('--date: "2027-02-29" is not a day');
  });
});
