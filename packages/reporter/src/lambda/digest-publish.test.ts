/**
 * GenerateDailySummary publishes the digest when LOGFLOW_DIGEST_TOPIC_ARN is set. Local AWS has
 * no SNS: a small HTTP endpoint (AWS_ENDPOINT_URL_SNS) receives the real SDK client's signed
 * Publish request, so the wire call is what is checked; S3 and DynamoDB are local AWS.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { startLocalAws, type LocalAws } from '@logflow/local-aws';
import { HANDLER_ENV, fixedClock } from '@logflow/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReportResources } from '../test-support/report-resources.js';
import { createGenerateDailySummaryHandler } from './generate-daily-summary.js';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:logflow-test-alarms';
const RESULTS = 'logflow-digest-results';
const TABLE = 'logflow-digest-summaries';
const clock = fixedClock('2026-11-23T06:00:00Z');
const savedEnv = { ...process.env };
const received: { headers: Record<string, unknown>; body: URLSearchParams }[] = [];
let aws: LocalAws;
let sns: Server;

beforeAll(async () => {
  aws = await startLocalAws({ inMemory: true, clock });
  sns = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body: new URLSearchParams(body) });
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        '<PublishResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>',
      );
    });
  });
  await new Promise<void>((resolve) => sns.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, aws.env(), {
    AWS_ENDPOINT_URL_SNS: `http://127.0.0.1:${(sns.address() as AddressInfo).port}`,
    [HANDLER_ENV.summaryTable]: TABLE,
    [HANDLER_ENV.resultBucket]: RESULTS,
    [HANDLER_ENV.metricNamespace]: 'Logflow/test',
    [HANDLER_ENV.digestTopicArn]: TOPIC,
  });
  const s3 = new S3Client(aws.clientConfig());
  const dynamodb = new DynamoDBClient(aws.clientConfig());
  await createReportResources({ s3, dynamodb }, { resultBucket: RESULTS, summaryTable: TABLE });
  s3.destroy();
  dynamodb.destroy();
}, 60_000);

afterAll(async () => {
  process.env = savedEnv;
  await aws?.stop();
  await new Promise((resolve) => sns?.close(resolve));
});

describe('GenerateDailySummary digest', () => {
  it('publishes one signed Publish to the topic after writing the report', async () => {
    const handler = createGenerateDailySummaryHandler({ clock });
    const result = await handler({ date: '2026-11-22' });
    expect(received).toHaveLength(1);
    const { headers, body } = received[0]!;
    expect(String(headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/sns\//,
    );
    expect(body.get('Action')).toBe('Publish');
    expect(body.get('TopicArn')).toBe(TOPIC);
    expect(body.get('Subject')).toMatch(/^\[logflow \w+\] 2026-11-22: 0 requests/);
    expect(body.get('Message')).toContain(`Report: s3://${RESULTS}/${result.report.html}`);
  });
});
