import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChunkSignatureChain, rawQuery, verifySignature } from './sigv4.js';

/** The example of S3's documentation on chunked uploads (sigv4-streaming), with its published signatures. */
const EXAMPLE = {
  credentials: {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  },
  request: {
    method: 'PUT',
    url: '/examplebucket/chunkObject.txt',
    headers: {
      host: 's3.amazonaws.com',
      'x-amz-date': '20130524T000000Z',
      'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': '66560',
      'content-length': '66824',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,' +
        'SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,' +
        'Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
    },
  },
  chunks: [
    [65536, 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648'],
    [1024, '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497'],
    [0, 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9'],
  ] as const,
};
const signedAt = new Date('2013-05-24T00:00:00Z');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const verify = (
  request: typeof EXAMPLE.request,
  now = signedAt,
  credentials = EXAMPLE.credentials,
  signingName = 's3',
) => verifySignature(request, { signingName, credentials, now });

describe('verifySignature', () => {
  it("accepts S3's documented seed signature and its chain of chunk signatures", async () => {
    const verified = await verify(EXAMPLE.request);
    expect(verified).toMatchObject({
      ok: true,
      signing: { payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' },
    });
    if (!verified.ok) return;
    const chain = new ChunkSignatureChain(verified.signing);
    for (const [size, signature] of EXAMPLE.chunks) {
      expect(chain.verifyChunk(signature, sha256(Buffer.alloc(size, 'a')))).toBe(true);
    }
  });

  it('refuses a chunk that was changed or sent out of order', async () => {
    const verified = await verify(EXAMPLE.request);
    if (!verified.ok) throw new Error('seed signature refused');
    const changed = new ChunkSignatureChain(verified.signing);
    expect(changed.verifyChunk(EXAMPLE.chunks[0][1], sha256(Buffer.alloc(65536, 'b')))).toBe(false);
    const reordered = new ChunkSignatureChain(verified.signing);
    expect(reordered.verifyChunk(EXAMPLE.chunks[1][1], sha256(Buffer.alloc(1024, 'a')))).toBe(false);
  });

  it('refuses a changed header, another secret and another key id', async () => {
    const changed = {
      ...EXAMPLE.request,
      headers: { ...EXAMPLE.request.headers, 'x-amz-storage-class': 'STANDARD' },
    };
    expect(await verify(changed)).toMatchObject({ ok: false, error: 'SignatureMismatch' });
    expect(
      await verify(EXAMPLE.request, signedAt, { ...EXAMPLE.credentials, secretAccessKey: 'other' }),
    ).toMatchObject({
      ok: false,
      error: 'SignatureMismatch',
    });
    expect(
      await verify(EXAMPLE.request, signedAt, { ...EXAMPLE.credentials, accessKeyId: 'OTHER' }),
    ).toMatchObject({
      ok: false,
      error: 'UnknownAccessKey',
    });
  });

  it('checks the request time against the clock it is given, 15 minutes either way', async () => {
    const at = (minutes: number) => new Date(signedAt.getTime() + minutes * 60_000);
    expect((await verify(EXAMPLE.request, at(15))).ok).toBe(true);
    expect((await verify(EXAMPLE.request, at(-15))).ok).toBe(true);
    expect(await verify(EXAMPLE.request, at(16))).toMatchObject({ ok: false, error: 'RequestExpired' });
    expect(await verify(EXAMPLE.request, at(-16))).toMatchObject({ ok: false, error: 'RequestExpired' });
    const dynamo = {
      method: 'POST',
      url: '/',
      headers: {
        host: 'x',
        'x-amz-date': '20130524T000000Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
      },
    };
    expect(await verify(dynamo as never, at(16), EXAMPLE.credentials, 'dynamodb')).toEqual({
      ok: false,
      error: 'RequestExpired',
      message:
        'Signature expired: 20130524T000000Z is now earlier than 20130524T000100Z (20130524T001600Z - 15 min.)',
    });
  });

  it('names what is missing from an incomplete signature', async () => {
    const headers = {
      ...EXAMPLE.request.headers,
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request',
    };
    expect(await verify({ ...EXAMPLE.request, headers })).toMatchObject({
      ok: false,
      error: 'IncompleteSignature',
      message:
        "Authorization header requires 'SignedHeaders' parameter. Authorization header requires 'Signature' parameter.",
    });
    const { authorization: _dropped, ...unsigned } = EXAMPLE.request.headers;
    expect(await verify({ ...EXAMPLE.request, headers: unsigned as never })).toMatchObject({
      ok: false,
      error: 'MissingAuthentication',
    });
    const v2 = {
      ...EXAMPLE.request.headers,
      authorization: 'AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=',
    };
    expect(await verify({ ...EXAMPLE.request, headers: v2 })).toMatchObject({
      ok: false,
      error: 'UnsupportedAuthentication',
    });
    const scoped = {
      ...EXAMPLE.request.headers,
      authorization: EXAMPLE.request.headers.authorization.replace('/s3/', '/sqs/'),
    };
    expect(await verify({ ...EXAMPLE.request, headers: scoped })).toMatchObject({
      ok: false,
      message: "Credential should be scoped to correct service: 's3'.",
    });
  });
});

describe('rawQuery', () => {
  it('decodes keys and values, keeps "+" and collects repeated keys', () => {
    expect(rawQuery('/b/k?uploads&a=%2F+x&a=2&X-Amz-Date=1')).toEqual({
      uploads: '',
      a: ['/+x', '2'],
      'X-Amz-Date': '1',
    });
  });
});
