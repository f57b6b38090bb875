import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from './index.js';

const run = promisify(execFile);

/**
 * The AWS CLIs installed here, by version: the one first on PATH and Debian's `awscli` 2.9,
 * which predates `AWS_ENDPOINT_URL` (2.13) and so is given `--endpoint-url`.
 */
function awsClis(): [string, string, boolean][] {
  const found = new Map<string, [string, boolean]>();
  for (const command of ['aws', '/usr/bin/aws']) {
    try {
      const version = execFileSync(command, ['--version'], { encoding: 'utf8' }).split(' ')[0]!;
      const [major = 0, minor = 0] = version.replace('aws-cli/', '').split('.').map(Number);
      const readsEnv = major > 2 || (major === 2 ? minor >= 13 : major === 1 && minor >= 29);
      if (!found.has(version)) found.set(version, [command, readsEnv]);
    } catch {
      // not installed
    }
  }
  return [...found.entries()].map(([version, [command, readsEnv]]) => [version, command, readsEnv]);
}

const clis = awsClis();

// The AWS CLI is optional on developer machines; where it is installed, it must work unchanged.
describe.skipIf(clis.length === 0).each(clis)('%s against the endpoint', (_version, command, readsEnv) => {
  let aws: LocalAws;
  let dir: string;
  const withEndpoint = (args: string[]) => (readsEnv ? args : ['--endpoint-url', aws.endpoint, ...args]);
  const cli = async (...args: string[]) => {
    const { stdout } = await run(command, withEndpoint(args), { env: cliEnv() });
    return stdout;
  };
  const cliEnv = (overrides: Record<string, string> = {}) => ({
    ...process.env,
    ...aws.env(),
    AWS_DEFAULT_REGION: aws.region,
    // presigned URLs with SigV4 (older CLIs default to SigV2, which S3 refuses for new buckets)
    AWS_CONFIG_FILE: path.join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'),
    ...overrides,
  });
  /** The error a command ends with, run with the wrong secret key. */
  const refused = (...args: string[]) =>
    run(command, withEndpoint(args), {
      env: cliEnv({ AWS_SECRET_ACCESS_KEY: 'guessed', AWS_MAX_ATTEMPTS: '1' }),
    }).then(
      () => 'succeeded',
      (error: { stderr: string }) => error.stderr,
    );

  beforeAll(async () => {
    aws = await startLocalAws({ inMemory: true });
    dir = await mkdtemp(path.join(tmpdir(), 'local-aws-cli-'));
    await writeFile(path.join(dir, 'config'), '[default]\ns3 =\n  signature_version = s3v4\n');
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
    const url = (await cli('s3', 'presign', 's3://cli-bucket/dir/hello.txt', '--expires-in', '60')).trim();
    expect(await (await fetch(url)).text()).toBe('hello from the cli\n');
  });

  it('is refused with the wrong secret key, with each service’s code', { timeout: 60_000 }, async () => {
    expect(await refused('s3api', 'list-buckets')).toContain('SignatureDoesNotMatch');
    expect(await refused('dynamodb', 'list-tables')).toContain('InvalidSignatureException');
    expect(
      await refused(
        'cloudwatch',
        'put-metric-data',
        '--namespace',
        'Cli/x',
        '--metric-name',
        'M',
        '--value',
        '1',
      ),
    ).toContain('SignatureDoesNotMatch');
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
