import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from './index.js';

const run = promisify(execFile);

function hasAwsCli(): boolean {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// The AWS CLI is optional on developer machines; where it is installed, it must work unchanged.
describe.skipIf(!hasAwsCli())('the AWS CLI against the endpoint (AWS_ENDPOINT_URL only)', () => {
  let aws: LocalAws;
  let dir: string;
  const cli = async (...args: string[]) => {
    const { stdout } = await run('aws', args, {
      env: {
        ...process.env,
        ...aws.env(),
        AWS_DEFAULT_REGION: aws.region,
        AWS_CONFIG_FILE: path.join(dir, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'),
      },
    });
    return stdout;
  };

  beforeAll(async () => {
    aws = await startLocalAws({ inMemory: true });
    dir = await mkdtemp(path.join(tmpdir(), 'local-aws-cli-'));
  });
  afterAll(async () => {
    await aws.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('S3: make a bucket, copy a file up and read it back', { timeout: 60_000 }, async () => {
    await writeFile(path.join(dir, 'hello.txt'), 'hello from the cli\n');
    await cli('s3', 'mb', 's3://cli-bucket');
    await cli('s3', 'cp', path.join(dir, 'hello.txt'), 's3://cli-bucket/dir/hello.txt');
    expect(await cli('s3', 'cp', 's3://cli-bucket/dir/hello.txt', '-')).toBe('hello from the cli\n');
  });

  it('DynamoDB and CloudWatch', { timeout: 60_000 }, async () => {
    await cli(
      'dynamodb',
      'create-table',
      '--table-name',
      'cli-table',
      '--attribute-definitions',
      'AttributeName=pk,AttributeType=S',
      '--key-schema',
      'AttributeName=pk,KeyType=HASH',
      '--billing-mode',
      'PAY_PER_REQUEST',
    );
    expect(JSON.parse(await cli('dynamodb', 'list-tables'))).toEqual({ TableNames: ['cli-table'] });
    await cli(
      'cloudwatch',
      'put-metric-data',
      '--namespace',
      'Cli/test',
      '--metric-name',
      'Runs',
      '--value',
      '1',
    );
    const listed = JSON.parse(await cli('cloudwatch', 'list-metrics', '--namespace', 'Cli/test')) as {
      Metrics: { MetricName: string }[];
    };
    expect(listed.Metrics.map((m) => m.MetricName)).toEqual(['Runs']);
  });
});
