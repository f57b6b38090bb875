import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from './index.js';
import { NodeSha256 } from './sigv4.js';
import { rawHttp } from './test-support/raw-http.js';
import { signedFetch, signedHeaders } from './test-support/sign.js';

/** A request with exactly these headers (Host, Origin and Sec-* included, which fetch would not send). */
function plainRequest(
  aws: LocalAws,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, aws.endpoint), {
      method: options.method ?? 'GET',
      headers: options.headers ?? {},
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

type Presign = typeof getSignedUrl;
/** The presigner is released apart from the S3 client: its types name another copy of the SDK's classes. */
const presign = (client: S3Client, command: object, options?: Parameters<Presign>[2]) =>
  getSignedUrl(client as unknown as Parameters<Presign>[0], command as Parameters<Presign>[1], options);

const xmlCode = (body: string) => /<Code>([^<]+)<\/Code>/.exec(body)?.[1];

describe('a local endpoint nobody else can use', () => {
  let aws: LocalAws;
  let s3: S3Client;
  let port: number;
  beforeAll(async () => {
    aws = await startLocalAws({ inMemory: true });
    s3 = new S3Client(aws.clientConfig());
    port = Number(new URL(aws.endpoint).port);
    await s3.send(new CreateBucketCommand({ Bucket: 'guarded' }));
    await s3.send(new PutObjectCommand({ Bucket: 'guarded', Key: 'a b/c+d.txt', Body: 'secret' }));
  });
  afterAll(async () => {
    s3.destroy();
    await aws.stop();
  });

  it('refuses unsigned requests with each protocol’s code', async () => {
    const s3Get = await plainRequest(aws, '/guarded/a%20b/c%2Bd.txt', {});
    expect([s3Get.status, xmlCode(s3Get.body)]).toEqual([403, 'AccessDenied']);
    const dynamo = await plainRequest(aws, '/', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
      },
      body: '{}',
    });
    expect(dynamo.status).toBe(400);
    expect(JSON.parse(dynamo.body)).toEqual({
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
    const query = await plainRequest(aws, '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListMetrics&Version=2010-08-01',
    });
    expect([query.status, xmlCode(query.body)]).toEqual([403, 'MissingAuthenticationToken']);
  });

  it('serves keys with spaces and "+" signed by the SDK, and presigned GET and PUT URLs', async () => {
    const got = await s3.send(new GetObjectCommand({ Bucket: 'guarded', Key: 'a b/c+d.txt' }));
    expect(await got.Body!.transformToString()).toBe('secret');
    const getUrl = await presign(s3, new GetObjectCommand({ Bucket: 'guarded', Key: 'a b/c+d.txt' }), {
      expiresIn: 60,
    });
    const download = await fetch(getUrl);
    expect([download.status, await download.text()]).toEqual([200, 'secret']);
    const putUrl = await presign(s3, new PutObjectCommand({ Bucket: 'guarded', Key: 'up/loaded.txt' }), {
      expiresIn: 60,
    });
    expect((await fetch(putUrl, { method: 'PUT', body: 'by url' })).status).toBe(200);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'guarded', Key: 'up/loaded.txt' }));
    expect(head.ContentLength).toBe(6);
    // the signature covers the key: the same URL for another object is refused
    const tampered = await fetch(getUrl.replace('c%2Bd.txt', 'other.txt'));
    expect([tampered.status, xmlCode(await tampered.text())]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('accepts only loopback Host names with the port', async () => {
    const ask = async (host: string) => {
      const headers = await signedHeaders(aws, { path: '/guarded/a%20b/c%2Bd.txt', headers: { host } });
      return plainRequest(aws, '/guarded/a%20b/c%2Bd.txt', { headers });
    };
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await ask(host)).status).toBe(200);
    }
    // a DNS name rebound to 127.0.0.1 still sends its own name, however well signed
    for (const host of [`rebound.example:${port}`, `127.0.0.1:${port + 1}`, 'localhost']) {
      const refused = await ask(host);
      expect([refused.status, xmlCode(refused.body)]).toEqual([403, 'AccessDenied']);
    }
  });

  it('refuses a cross-site form POST writing CloudWatch metrics, and any cross-site browser request', async () => {
    const form =
      'Action=PutMetricData&Version=2010-08-01&Namespace=Evil&MetricData.member.1.MetricName=M&MetricData.member.1.Value=1';
    const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
    const browser = await plainRequest(aws, '/', {
      method: 'POST',
      headers: { ...formHeaders, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
      body: form,
    });
    expect([browser.status, xmlCode(browser.body)]).toEqual([403, 'AccessDenied']);
    expect(browser.body).toContain('refuses requests a browser makes for another site');
    // even a correctly signed request is refused when a browser sends it for another site
    for (const extra of [{ origin: 'http://evil.example' }, { 'sec-fetch-site': 'same-site' }] as Record<
      string,
      string
    >[]) {
      const headers = await signedHeaders(aws, {
        method: 'POST',
        path: '/',
        service: 'monitoring',
        headers: formHeaders,
        body: form,
      });
      const refused = await plainRequest(aws, '/', {
        method: 'POST',
        headers: { ...headers, ...extra },
        body: form,
      });
      expect(refused.status).toBe(403);
    }
    const cw = new CloudWatchClient(aws.clientConfig());
    expect((await cw.send(new ListMetricsCommand({ Namespace: 'Evil' }))).Metrics).toEqual([]);
    cw.destroy();
    // a same-origin page (or a presigned link opened directly) is served
    const getUrl = await presign(s3, new GetObjectCommand({ Bucket: 'guarded', Key: 'a b/c+d.txt' }));
    const url = new URL(getUrl);
    const direct = await plainRequest(aws, url.pathname + url.search, {
      headers: { 'sec-fetch-site': 'none' },
    });
    expect(direct.status).toBe(200);
  });

  it('verifies the payload hash S3 requests declare', async () => {
    const path = '/guarded/declared.txt';
    const headers = await signedHeaders(aws, { method: 'PUT', path, body: 'the signed body' });
    const tampered = await plainRequest(aws, path, { method: 'PUT', headers, body: 'another body!!!' });
    expect([tampered.status, xmlCode(tampered.body)]).toEqual([400, 'XAmzContentSHA256Mismatch']);
    const exact = await plainRequest(aws, path, { method: 'PUT', headers, body: 'the signed body' });
    expect(exact.status).toBe(200);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'guarded', Key: 'declared.txt' }));
    expect(await got.Body!.transformToString()).toBe('the signed body');
  });

  it('verifies every chunk signature of a signed streaming upload', async () => {
    const upload = async (chunks: Buffer[], tamper: boolean) => {
      const path = '/guarded/chunked.bin';
      const at = new Date();
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const frames: Buffer[] = [];
      const sizes = [...chunks, Buffer.alloc(0)];
      // frame lengths do not depend on the signatures (64 hex digits each)
      const length = sizes.reduce((n, c) => n + c.length.toString(16).length + 17 + 64 + 2 + c.length + 2, 0);
      const headers = await signedHeaders(aws, {
        method: 'PUT',
        path,
        at,
        headers: {
          'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
          'content-encoding': 'aws-chunked',
          'x-amz-decoded-content-length': String(total),
          'content-length': String(length),
        },
      });
      let previous = /Signature=([0-9a-f]+)/.exec(headers['authorization']!)![1]!;
      const signer = new SignatureV4({
        service: 's3',
        region: aws.region,
        credentials: aws.credentials,
        sha256: NodeSha256,
      });
      const scope = `${headers['x-amz-date']!.slice(0, 8)}/${aws.region}/s3/aws4_request`;
      for (const [i, chunk] of sizes.entries()) {
        const hash = createHash('sha256').update(chunk).digest('hex');
        const toSign = [
          'AWS4-HMAC-SHA256-PAYLOAD',
          headers['x-amz-date'],
          scope,
          previous,
          createHash('sha256').update('').digest('hex'),
          hash,
        ].join('\n');
        previous = await signer.sign(toSign, { signingDate: at });
        const data = tamper && i === 1 ? Buffer.alloc(chunk.length, 'x') : chunk;
        frames.push(
          Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`),
          data,
          Buffer.from('\r\n'),
        );
      }
      return plainRequest(aws, path, {
        method: 'PUT',
        headers,
        body: Buffer.concat(frames).toString('latin1'),
      });
    };
    const chunks = [Buffer.alloc(8192, 'a'), Buffer.alloc(100, 'b')];
    const refused = await upload(chunks, true);
    expect([refused.status, xmlCode(refused.body)]).toEqual([403, 'SignatureDoesNotMatch']);
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: 'guarded', Key: 'chunked.bin' })),
    ).rejects.toMatchObject({
      name: 'NotFound',
    });
    expect((await upload(chunks, false)).status).toBe(200);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'guarded', Key: 'chunked.bin' }));
    expect(head.ContentLength).toBe(8292);
  });

  it('survives hostile requests and answers each one', async () => {
    const auth = await signedHeaders(aws, {
      method: 'PUT',
      path: '/guarded/hostile',
      headers: { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' },
    });
    const head = (extra: string) =>
      `PUT /guarded/hostile HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nx-amz-date: ${auth['x-amz-date']}\r\n` +
      `x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\nauthorization: ${auth['authorization']}\r\n` +
      `content-encoding: aws-chunked\r\nx-amz-decoded-content-length: 3\r\nconnection: close\r\n${extra}\r\n`;
    const badSize = 'zz\r\nabc\r\n0\r\n\r\n';
    const answered = await rawHttp(aws.endpoint, head(`content-length: ${badSize.length}\r\n`) + badSize);
    expect(answered).toMatchObject({ status: 400 });
    expect(answered !== 'closed' && xmlCode(answered.body)).toBe('IncompleteBody');
    const missingCrlf = '3\r\nabcXY0\r\n\r\n';
    expect(
      await rawHttp(aws.endpoint, head(`content-length: ${missingCrlf.length}\r\n`) + missingCrlf),
    ).toMatchObject({
      status: 400,
    });
    // bodies cut off by the client, for S3 and for DynamoDB (whose engine throws on a broken body)
    await rawHttp(aws.endpoint, head('content-length: 100\r\n') + '5\r\nab', { cutAfterMs: 50 });
    const dynamo = await signedHeaders(aws, {
      method: 'POST',
      path: '/',
      service: 'dynamodb',
      headers: {
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        'content-type': 'application/x-amz-json-1.0',
      },
      body: '{}',
    });
    const dynamoHead = Object.entries({ ...dynamo, 'content-length': '1000' })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    await rawHttp(aws.endpoint, `POST / HTTP/1.1\r\n${dynamoHead}\r\n{`, { cutAfterMs: 50 });
    // not HTTP at all, a broken percent-encoding and an oversized header
    expect(await rawHttp(aws.endpoint, 'HELLO\r\n\r\n')).toMatchObject({ status: 400 });
    const badPath = await signedHeaders(aws, { path: '/%zz?list-type=2' });
    const listed = await plainRequest(aws, '/%zz?list-type=2', { headers: badPath });
    expect(listed.status).toBeGreaterThanOrEqual(400);
    expect(
      await rawHttp(
        aws.endpoint,
        `GET / HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nx-big: ${'a'.repeat(20000)}\r\n\r\n`,
      ),
    ).toMatchObject({ status: 431 });
    // still serving all three services
    const ddb = new DynamoDBClient(aws.clientConfig());
    expect((await ddb.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    ddb.destroy();
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain('guarded');
  });
});

describe('request time, checked against the injected clock', () => {
  const at = new Date('2031-02-03T04:05:06Z');
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws({ inMemory: true, signatureClock: () => at });
  });
  afterAll(async () => {
    await aws.stop();
  });
  const minutes = (n: number) => new Date(at.getTime() + n * 60_000);

  it('accepts requests signed within 15 minutes and refuses others, per protocol', async () => {
    expect((await signedFetch(aws, '/', { at: minutes(-14) })).status).toBe(200);
    const skewed = await signedFetch(aws, '/', { at: minutes(-16) });
    expect([skewed.status, xmlCode(await skewed.text())]).toEqual([403, 'RequestTimeTooSkewed']);
    const dynamo = (when: Date) =>
      signedFetch(aws, '/', {
        method: 'POST',
        service: 'dynamodb',
        at: when,
        headers: {
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          'content-type': 'application/x-amz-json-1.0',
        },
        body: '{}',
      });
    expect((await dynamo(minutes(14))).status).toBe(200);
    expect(await (await dynamo(minutes(16))).json()).toEqual({
      __type: 'com.amazon.coral.service#InvalidSignatureException',
      message:
        'Signature not yet current: 20310203T042106Z is still later than 20310203T042006Z (20310203T040506Z + 15 min.)',
    });
  });

  it('is the wall clock by default, whatever day the services run on', async () => {
    const onLogsDay = await startLocalAws({ inMemory: true, clock: () => new Date('2026-11-22T13:00:00Z') });
    const s3 = new S3Client(onLogsDay.clientConfig());
    expect((await s3.send(new ListBucketsCommand({}))).Buckets).toEqual([]);
    s3.destroy();
    await onLogsDay.stop();
  });

  it('honours X-Amz-Expires of presigned URLs', async () => {
    const s3 = new S3Client(aws.clientConfig());
    const url = (signedAt: Date) =>
      presign(s3, new ListBucketsCommand({}), { expiresIn: 600, signingDate: signedAt });
    expect((await fetch(await url(minutes(-9)))).status).toBe(200);
    const expired = await fetch(await url(minutes(-11)));
    expect(await expired.text()).toContain('<Message>Request has expired</Message>');
    expect(expired.status).toBe(403);
    s3.destroy();
  });
});
