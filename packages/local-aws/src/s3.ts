/**
 * S3: s3rver (in-process) behind the router. The router answers bucket listings itself, decodes
 * `aws-chunked` upload bodies (verifying chunk signatures and declared payload hashes) and
 * rewrites virtual-hosted requests before s3rver sees them.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough, Transform, type Readable, type TransformCallback } from 'node:stream';
import { AwsChunkedDecoder, ChunkSignatureError, decodedHeaders, isAwsChunked } from './aws-chunked.js';
import { announcedChecksum, ChecksumMismatchError, ChecksumVerifier } from './checksum.js';
import { replayRequest, safeDecode } from './http-util.js';
import { isListObjects, listObjects, s3Error, type ListingStore, type S3Response } from './s3-list.js';
import { MemoryObjectStore, SortedFilesystemStore } from './s3-store.js';
import { S3Error, S3rver } from './s3-vendor.js';
import { ChunkSignatureChain, type SigningContext } from './sigv4.js';
import { systemClock, type Clock } from '@logflow/shared-types';

export interface S3Service {
  handle(req: IncomingMessage, res: ServerResponse, signing: SigningContext): void;
  close(): Promise<void>;
}

/** S3's limit on the UTF-8 length of an object key. */
const MAX_KEY_BYTES = 1024;

export async function startS3(directory: string | undefined, clock: Clock = systemClock): Promise<S3Service> {
  const store: ListingStore =
    directory === undefined ? new MemoryObjectStore(clock) : new SortedFilesystemStore(directory);
  const s3rver = new S3rver({
    silent: true,
    // s3rver's filesystem store needs a directory argument even when replaced below
    directory: directory ?? '/nonexistent-logflow-local-aws',
    vhostBuckets: false,
    resetOnClose: false,
    configureBuckets: [],
  });
  s3rver.store = store;
  s3rver.context.store = store;
  // s3rver logs through winston even when silent, and warns once its logger is closed
  const quiet = () => undefined;
  const logger = {
    info: quiet,
    warn: quiet,
    error: quiet,
    debug: quiet,
    exceptions: { unhandle: quiet },
    close: quiet,
  };
  s3rver.logger = logger;
  s3rver.context.logger = logger;
  // s3rver is a Koa app: its request handler is called directly, it never listens itself
  const s3rverHandle = s3rver.callback();
  const forward = (req: IncomingMessage, res: ServerResponse) => void s3rverHandle(req, res);

  const send = (res: ServerResponse, response: S3Response) => {
    res.writeHead(response.status, {
      ...response.headers,
      'content-length': Buffer.byteLength(response.body),
      'x-amz-request-id': requestId(),
    });
    res.end(response.body);
  };

  return {
    handle(req, res, signing) {
      const bucket = virtualHostBucket(req.headers.host);
      // the raw target: a URL object would resolve `.` and `..` segments, which are key text in S3
      if (bucket !== undefined) req.url = `/${bucket}${req.url ?? '/'}`;
      const rawPath = (req.url ?? '/').split('?', 1)[0]!;
      const url = new URL(req.url ?? '/', 'http://localhost');
      const key = safeDecode(rawPath.split('/').slice(2).join('/'));
      if ((req.method === 'PUT' || req.method === 'POST') && Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
        req.resume();
        send(res, s3Error(400, 'KeyTooLongError', 'Your key is too long'));
        return;
      }
      // s3rver's router skips empty segments (`a//b`): it gets such keys as one encoded segment
      if (key.split('/').slice(0, -1).includes('')) {
        const bucketName = rawPath.split('/')[1] ?? '';
        req.url = `/${bucketName}/${encodeURIComponent(key)}${(req.url ?? '').slice(rawPath.length)}`;
      }
      if (isListObjects(req.method ?? 'GET', rawPath, url.searchParams)) {
        const name = safeDecode(rawPath.split('/').filter((p) => p !== '')[0]!);
        req.resume();
        listObjects(store, name, url.searchParams).then(
          (response) => send(res, response),
          (error: unknown) => send(res, s3Error(500, 'InternalError', String(error))),
        );
        return;
      }
      const rewrite = req.method === 'PUT' || req.method === 'POST' ? bodyStages(req, signing) : undefined;
      if (rewrite) {
        forward(rewrittenRequest(req, res, rewrite.stages, rewrite.headers), res);
        return;
      }
      forward(req, res);
    },
    // objects are written when their requests finish; nothing is held back
    close: async () => {},
  };
}

function requestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/**
 * The bucket of a virtual-hosted request (`<bucket>.localhost[:port]`), which clients send for
 * endpoints with a host name; path-style requests (IP endpoints) return undefined.
 */
export function virtualHostBucket(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  if (name === 's3.localhost') return undefined;
  const m = /^(.+?)\.(?:s3\.)?localhost$/.exec(name);
  return m ? m[1] : undefined;
}

/**
 * The request as s3rver must see it: the same message with its body run through `stages`
 * (aws-chunked decoding, signature and checksum verification) and headers describing the
 * result. A failing stage fails s3rver's read of the body, so the upload is answered with that
 * error and its object is not stored; the rest of the body is read and dropped.
 */
function rewrittenRequest(
  req: IncomingMessage,
  res: ServerResponse,
  stages: Transform[],
  headers: IncomingHttpHeaders,
): IncomingMessage {
  const body = new PassThrough();
  // s3rver may not read the body yet (or at all); it sees the error when it does
  body.on('error', () => undefined);
  let source: Readable = req;
  for (const stage of stages) {
    source.pipe(stage);
    source = stage;
  }
  source.pipe(body);
  let abandoned = false;
  const abandon = (error: Error) => {
    if (abandoned) return;
    abandoned = true;
    req.unpipe();
    for (const stage of stages) stage.unpipe();
    req.resume();
    body.destroy(error);
  };
  for (const stage of stages) stage.on('error', (error: Error) => abandon(asS3Error(error)));
  req.on('error', abandon);
  // answered before the body was read (e.g. no such bucket): drop the rest of it
  res.on('close', () => abandon(new Error('request answered')));
  return replayRequest(req, body, headers);
}

function asS3Error(error: Error): Error {
  if (error instanceof ChecksumMismatchError) return new S3Error('BadDigest', error.message);
  if (error instanceof ChunkSignatureError) return new S3Error('SignatureDoesNotMatch', error.message);
  // s3rver does not know this code's status
  if (error instanceof PayloadHashMismatchError)
    return Object.assign(new S3Error('XAmzContentSHA256Mismatch', error.message), {
      status: 400,
      expose: true,
    });
  if (error.message.startsWith('aws-chunked')) return new S3Error('IncompleteBody', error.message);
  return error;
}

/** Body stages a request needs before s3rver reads it; none for most requests. */
function bodyStages(
  req: IncomingMessage,
  signing: SigningContext,
): { stages: Transform[]; headers: IncomingHttpHeaders } | undefined {
  const chunked = isAwsChunked(req.headers);
  const declaredHash = /^[0-9a-f]{64}$/i.test(signing.payloadHash)
    ? signing.payloadHash.toLowerCase()
    : undefined;
  // only object and part uploads carry a checksum of their own body; on CompleteMultipartUpload
  // it is the whole object's
  const uploadsData = req.method === 'PUT' && req.headers['x-amz-copy-source'] === undefined;
  const algorithm = uploadsData ? announcedChecksum(req.headers) : undefined;
  if (!chunked && algorithm === undefined && declaredHash === undefined) return undefined;
  const stages: Transform[] = [];
  let trailers: Record<string, string> = {};
  if (declaredHash !== undefined && !chunked) stages.push(new PayloadHashVerifier(declaredHash));
  if (chunked) {
    const signed = signing.payloadHash.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
    const decoder = new AwsChunkedDecoder(signed ? new ChunkSignatureChain(signing) : undefined);
    trailers = decoder.trailers;
    stages.push(decoder);
  }
  if (algorithm !== undefined) {
    const name = `x-amz-checksum-${algorithm}`;
    const header = req.headers[name];
    stages.push(
      new ChecksumVerifier(
        algorithm,
        () => trailers[name] ?? (typeof header === 'string' ? header : undefined),
      ),
    );
  }
  return { stages, headers: chunked ? (decodedHeaders(req.headers) as IncomingHttpHeaders) : req.headers };
}

class PayloadHashMismatchError extends Error {
  constructor() {
    super("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
}

/** Passes the body through and checks it against the SHA-256 its signature declared. */
class PayloadHashVerifier extends Transform {
  private readonly hash = createHash('sha256');
  constructor(private readonly expected: string) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    callback(null, chunk);
  }
  override _flush(callback: TransformCallback): void {
    callback(this.hash.digest('hex') === this.expected ? undefined : new PayloadHashMismatchError());
  }
}
