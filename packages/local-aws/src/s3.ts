/**
 * S3: s3rver (in-process) behind the router. The router answers bucket listings itself, decodes
 * `aws-chunked` upload bodies and rewrites virtual-hosted requests before s3rver sees them.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough, pipeline, type Transform } from 'node:stream';
import { AwsChunkedDecoder, decodedHeaders, isAwsChunked } from './aws-chunked.js';
import { announcedChecksum, ChecksumMismatchError, ChecksumVerifier } from './checksum.js';
import { isListObjects, listObjects, s3Error, type ListingStore, type S3Response } from './s3-list.js';
import { MemoryObjectStore, SortedFilesystemStore } from './s3-store.js';
import { S3Error, S3rver, s3rverAccount } from './s3-vendor.js';
import { systemClock, type Clock } from '@logflow/shared-types';

export interface S3Service {
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
}

/**
 * Whether a request path (raw, before any normalisation) has a `.` or `..` segment, percent-encoded
 * or not. S3 accepts such keys, but the filesystem store maps keys to paths.
 */
export function hasDotSegment(rawUrl: string): boolean {
  const pathname = rawUrl.split('?', 1)[0] ?? '';
  return pathname.split('/').some((segment) => {
    let decoded = segment;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      // an undecodable segment is not a dot segment
    }
    return decoded === '.' || decoded === '..';
  });
}

export async function startS3(
  directory: string | undefined,
  credentials: { accessKeyId: string; secretAccessKey: string },
  clock: Clock = systemClock,
): Promise<S3Service> {
  s3rverAccount.createKeyPair(credentials.accessKeyId, credentials.secretAccessKey);
  knownAccessKeys.add(credentials.accessKeyId);
  const store: ListingStore =
    directory === undefined ? new MemoryObjectStore(clock) : new SortedFilesystemStore(directory);
  const s3rver = new S3rver({
    silent: true,
    // s3rver's filesystem store needs a directory argument even when replaced below
    directory: directory ?? '/nonexistent-logflow-local-aws',
    vhostBuckets: false,
    // the router rewrites headers of aws-chunked uploads, which voids their signature
    allowMismatchedSignatures: true,
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
    handle(req, res) {
      if (hasDotSegment(req.url ?? '/')) {
        req.resume();
        send(
          res,
          s3Error(
            400,
            'InvalidArgument',
            'object keys with "." or ".." path segments are not supported by local AWS: on disk they would address files outside its state folder',
          ),
        );
        return;
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      acceptAccessKey(req.headers.authorization, url.searchParams.get('X-Amz-Credential'));
      const bucket = virtualHostBucket(req.headers.host);
      if (bucket !== undefined) {
        url.pathname = `/${bucket}${url.pathname}`;
        req.url = url.pathname + url.search;
      }
      if (isListObjects(req.method ?? 'GET', url.pathname, url.searchParams)) {
        const name = decodeURIComponent(url.pathname.split('/').filter((p) => p !== '')[0]!);
        req.resume();
        listObjects(store, name, url.searchParams).then(
          (response) => send(res, response),
          (error: unknown) => send(res, s3Error(500, 'InternalError', String(error))),
        );
        return;
      }
      const rewrite = req.method === 'PUT' || req.method === 'POST' ? bodyStages(req) : undefined;
      if (rewrite) {
        forward(rewrittenRequest(req, rewrite.stages, rewrite.headers), res);
        return;
      }
      forward(req, res);
    },
    // objects are written when their requests finish; nothing is held back
    close: async () => {},
  };
}

const knownAccessKeys = new Set<string>();

/**
 * Lets s3rver accept whatever access key a client signs with, as the DynamoDB and CloudWatch
 * parts do: s3rver rejects unknown key ids, so each one is registered the first time it is seen
 * (signatures are not enforced, see `allowMismatchedSignatures`).
 */
function acceptAccessKey(authorization: string | undefined, queryCredential: string | null): void {
  const fromHeader =
    /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1] ??
    /^AWS ([^:]+):/.exec(authorization ?? '')?.[1];
  const accessKeyId = fromHeader ?? queryCredential?.split('/')[0];
  if (!accessKeyId || knownAccessKeys.has(accessKeyId)) return;
  knownAccessKeys.add(accessKeyId);
  s3rverAccount.createKeyPair(accessKeyId, `local-${accessKeyId}`);
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
 * (aws-chunked decoding, checksum verification) and headers describing the result. A failing
 * stage fails s3rver's read of the body, so the upload is answered with that error and its
 * object is not stored.
 */
function rewrittenRequest(
  req: IncomingMessage,
  stages: Transform[],
  headers: IncomingHttpHeaders,
): IncomingMessage {
  // s3rver reads `body`; stage errors reach it converted to S3's error codes
  const body = new PassThrough();
  stages[stages.length - 1]!.pipe(body);
  pipeline([req, ...stages], (error) => {
    if (error) body.destroy(asS3Error(error));
  });
  return Object.assign(body, {
    headers,
    rawHeaders: Object.entries(headers).flatMap(([k, v]) => (v === undefined ? [] : [k, String(v)])),
    method: req.method,
    url: req.url,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    socket: req.socket,
    connection: req.socket,
    complete: false,
    aborted: false,
  }) as unknown as IncomingMessage;
}

function asS3Error(error: Error): Error {
  if (error instanceof ChecksumMismatchError) return new S3Error('BadDigest', error.message);
  if (error.message.startsWith('aws-chunked')) return new S3Error('IncompleteBody', error.message);
  return error;
}

/** Body stages a request needs before s3rver reads it; none for most requests. */
function bodyStages(req: IncomingMessage): { stages: Transform[]; headers: IncomingHttpHeaders } | undefined {
  const chunked = isAwsChunked(req.headers);
  // only object and part uploads carry a checksum of their own body; on CompleteMultipartUpload
  // it is the whole object's
  const uploadsData = req.method === 'PUT' && req.headers['x-amz-copy-source'] === undefined;
  const algorithm = uploadsData ? announcedChecksum(req.headers) : undefined;
  if (!chunked && algorithm === undefined) return undefined;
  const stages: Transform[] = [];
  let trailers: Record<string, string> = {};
  if (chunked) {
    const decoder = new AwsChunkedDecoder();
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
