/**
 * Log sources read where they are: the synthesized policies, evaluated with AWS's policy logic,
 * let the analyzer read exactly the sources' layouts and the state machine list exactly those
 * prefixes, and nothing else in those buckets or beyond them.
 */
import { describe, expect, it } from 'vitest';
import { ACCOUNT, REGION, decide, roleNamed } from './test-support/iam.js';
import type { Call } from './test-support/iam.js';
import { synthStack } from './test-support/synth.js';

const SOURCE_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/5ca1ab1e-0000-4000-8000-00000000000a`;
const { tf } = synthStack({
  environment: 'src',
  alarms: { email: 'ops@example.com' },
  sources: [
    {
      name: 'edge',
      bucket: 'acme-alb-logs',
      kmsKeyArn: SOURCE_KEY,
      layout: 'alb',
      prefix: 'shop',
      parameters: { account: ACCOUNT, region: REGION },
      format: { format: 'alb' },
    },
    {
      name: 'cdn',
      bucket: 'acme-cdn-logs',
      layout: 'cloudfront',
      prefix: 'cf/',
      parameters: { distribution: 'E2QWRUHAPOMQZL' },
    },
    {
      name: 'web',
      bucket: 'acme-alb-logs',
      layout: 'nginx/{yyyy}/{MM}/{dd}/',
      format: { format: 'combined' },
    },
  ],
});
const analyzer = roleNamed(tf, 'logflow-src-analyze-log-data-role');
const stateMachine = roleNamed(tf, 'logflow-src-daily-logs-role');

const alb = 'arn:aws:s3:::acme-alb-logs';
const cdn = 'arn:aws:s3:::acme-cdn-logs';
const albDay = `${alb}/shop/AWSLogs/${ACCOUNT}/elasticloadbalancing/${REGION}/2028/02/29/${ACCOUNT}_elasticloadbalancing_${REGION}_app.shop.0a1b_20280229T2355Z_10.0.0.1_x.log.gz`;
const cdnDay = `${cdn}/cf/E2QWRUHAPOMQZL.2028-02-29-23.abcd1234.gz`;
const webDay = `${alb}/nginx/2028/02/29/access.log.gz`;
const get = (resource: string): Call => ({ action: 's3:GetObject', resource });
const list = (bucket: string, p: string): Call => ({
  action: 's3:ListBucket',
  resource: bucket,
  context: { 's3:prefix': p },
});

describe('log sources in existing buckets', () => {
  it.each([albDay, cdnDay, webDay])('the analyzer reads %s', async (object) => {
    expect(await decide(tf, analyzer, get(object))).toBe('Allowed');
  });

  it('the analyzer decrypts with the source key', async () => {
    expect(await decide(tf, analyzer, { action: 'kms:Decrypt', resource: SOURCE_KEY })).toBe('Allowed');
    expect(await decide(tf, analyzer, { action: 'kms:GenerateDataKey', resource: SOURCE_KEY })).not.toBe(
      'Allowed',
    );
  });

  it.each([
    get(`${alb}/shop/AWSLogs/${ACCOUNT}/elasticloadbalancing/us-east-1/2028/02/29/other-region.log.gz`),
    get(`${alb}/shop/AWSLogs/999999999999/elasticloadbalancing/${REGION}/2028/02/29/other-account.log.gz`),
    get(`${alb}/secrets/credentials.csv`),
    get(`${cdn}/cf/EOTHERDIST.2028-02-29-23.abcd.gz`),
    get(`${cdn}/E2QWRUHAPOMQZL.2028-02-29-23.abcd.gz`),
    get('arn:aws:s3:::acme-billing/report.csv'),
    { action: 's3:PutObject', resource: albDay },
    { action: 's3:DeleteObject', resource: cdnDay },
    { action: 's3:PutBucketPolicy', resource: alb },
    { action: 's3:PutObject', resource: webDay },
    list(alb, 'nginx/2028/02/29/'),
  ])('the analyzer is denied %j', async (c) => {
    expect(await decide(tf, analyzer, c)).not.toBe('Allowed');
  });

  it.each([
    list(alb, `shop/AWSLogs/${ACCOUNT}/elasticloadbalancing/${REGION}/2028/02/29/`),
    list(alb, `shop/AWSLogs/${ACCOUNT}/elasticloadbalancing/${REGION}/2028/03/01/`),
    list(alb, 'nginx/2028/02/29/'),
    list(cdn, 'cf/E2QWRUHAPOMQZL.2028-02-29-'),
  ])('the state machine lists %j', async (c) => {
    expect(await decide(tf, stateMachine, c)).toBe('Allowed');
  });

  it.each([
    list(alb, ''),
    list(alb, 'secrets/'),
    list(cdn, 'cf/EOTHER'),
    list('arn:aws:s3:::acme-billing', ''),
    get(cdnDay),
    { action: 's3:PutObject', resource: cdnDay },
  ])('the state machine is denied %j', async (c) => {
    expect(await decide(tf, stateMachine, c)).not.toBe('Allowed');
  });

  it('creates and manages none of the source buckets', () => {
    const buckets = Object.values(tf.resource.aws_s3_bucket ?? {}).map((b) => String(b.bucket));
    expect(buckets.some((b) => b.includes('acme-'))).toBe(false);
    const json = JSON.stringify(
      Object.entries(tf.resource).filter(([type]) => type.startsWith('aws_s3_bucket')),
    );
    expect(json).not.toContain('acme-');
  });

  it('hands the workflow every source, the input bucket first, as the log_sources output', () => {
    const sources = JSON.parse(tf.output.log_sources!.value) as {
      name: string;
      bucket: string;
      keyPrefix: string;
    }[];
    expect(sources.map((s) => s.name)).toEqual(['input', 'edge', 'cdn', 'web']);
    expect(sources[1]).toMatchObject({
      bucket: 'acme-alb-logs',
      keyPrefix: `shop/AWSLogs/${ACCOUNT}/elasticloadbalancing/${REGION}/`,
      layout: { layout: 'alb' },
      format: { format: 'alb' },
    });
  });
});
