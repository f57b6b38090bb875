/**
 * Verifies AWS Signature Version 4 on incoming requests (Authorization header or presigned
 * query string) against the endpoint's one credential pair, as AWS does: the canonical request
 * and string to sign come from `@smithy/signature-v4`, the signer the SDK itself uses.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  ALGORITHM_IDENTIFIER,
  createScope,
  getCanonicalHeaders,
  getSigningKey,
  SignatureV4Base,
} from '@smithy/signature-v4';
import { safeDecode } from './http-util.js';
import type { FrontError } from './protocol-errors.js';

type SourceData = string | ArrayBuffer | ArrayBufferView;

const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** SHA-256 and HMAC-SHA256 on node:crypto, in the shape smithy's signer takes. */
export class NodeSha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }
}

/** How far a request's time may be from the endpoint's clock, as AWS allows. */
export const MAX_SKEW_MS = 15 * 60 * 1000;
/** Longest `X-Amz-Expires` of a presigned URL: seven days. */
const MAX_EXPIRES_S = 7 * 24 * 3600;

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface RequestToVerify {
  method: string;
  /** The request target as received (path and query, still percent-encoded). */
  url: string;
  headers: IncomingHttpHeaders;
}

/** What a verified request was signed with, for checking the chunk signatures of its body. */
export interface SigningContext {
  signingKey: Uint8Array;
  longDate: string;
  scope: string;
  /** The request's own signature, which the first chunk signature chains from. */
  seedSignature: string;
  /** The payload hash the request was signed with (`UNSIGNED-PAYLOAD`, `STREAMING-...` or hex). */
  payloadHash: string;
}

export type Verification =
  { ok: true; signing: SigningContext } | { ok: false; error: FrontError; message: string };

const fail = (error: FrontError, message: string): Verification => ({ ok: false, error, message });

/** Exposes the canonicalisation of smithy's signer (its protected methods) for verification. */
class Canonicalizer extends SignatureV4Base {
  constructor(service: string, uriEscapePath: boolean) {
    super({
      service,
      region: 'unused',
      credentials: { accessKeyId: '', secretAccessKey: '' },
      sha256: NodeSha256,
      uriEscapePath,
    });
  }

  stringToSign(
    request: {
      method: string;
      path: string;
      query: Record<string, string | string[]>;
      headers: Record<string, string>;
    },
    signedHeaders: readonly string[],
    payloadHash: string,
    longDate: string,
    scope: string,
  ): Promise<string> {
    const subset = Object.fromEntries(
      signedHeaders.flatMap((name) =>
        request.headers[name] === undefined ? [] : [[name, request.headers[name]]],
      ),
    );
    const message = { ...request, protocol: 'http:', hostname: '', headers: subset };
    const canonical = getCanonicalHeaders(message, undefined, new Set(signedHeaders));
    const canonicalRequest = this.createCanonicalRequest(message, canonical, payloadHash);
    return this.createStringToSign(longDate, scope, canonicalRequest, ALGORITHM_IDENTIFIER);
  }
}

/** Query parameters of a raw request target, decoded but with `+` kept (SigV4 encodes spaces as %20). */
export function rawQuery(url: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  const search = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  for (const pair of search.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = safeDecode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : safeDecode(pair.slice(eq + 1));
    const existing = query[key];
    query[key] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return query;
}

/** S3's canonical URI: each path segment decoded and encoded again the way SigV4 encodes. */
function s3CanonicalPath(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) =>
      encodeURIComponent(safeDecode(segment)).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** `20130524T000000Z` as a Date, or undefined when not in that form. */
function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const amzDate = (date: Date): string => date.toISOString().replace(/[-:]|\.\d{3}/g, '');

interface ParsedAuth {
  credential: string;
  signedHeaders: string[];
  signature: string;
  longDate: string;
  /** Seconds a presigned URL stays valid; undefined for header authentication. */
  expires?: number;
}

function parseHeaderAuth(authorization: string, headers: IncomingHttpHeaders): ParsedAuth | string {
  const [algorithm, ...rest] = authorization.trim().split(/\s+/);
  if (algorithm !== ALGORITHM_IDENTIFIER)
    return `Unsupported AWS 'algorithm': '${algorithm ?? ''}' (only ${ALGORITHM_IDENTIFIER} is accepted).`;
  const fields = new Map<string, string>();
  for (const part of rest.join(' ').split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((f) => !fields.get(f));
  const longDate = headerText(headers['x-amz-date']);
  if (missing.length > 0 || longDate === undefined) {
    return [
      ...missing.map((f) => `Authorization header requires '${f}' parameter.`),
      ...(longDate === undefined
        ? ["Authorization header requires existence of a 'X-Amz-Date' header."]
        : []),
    ].join(' ');
  }
  return {
    credential: fields.get('Credential')!,
    signedHeaders: fields.get('SignedHeaders')!.toLowerCase().split(';'),
    signature: fields.get('Signature')!,
    longDate,
  };
}

function parseQueryAuth(query: Record<string, string | string[]>): ParsedAuth | string {
  const one = (name: string) => {
    const value = query[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  if (one('X-Amz-Algorithm') !== ALGORITHM_IDENTIFIER)
    return `X-Amz-Algorithm only supports "${ALGORITHM_IDENTIFIER}".`;
  const names = ['X-Amz-Credential', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Expires'];
  const missing = names.filter((n) => one(n) === undefined);
  if (missing.length > 0)
    return `Query-string authentication requires the ${missing.join(', ')} parameter${missing.length > 1 ? 's' : ''}.`;
  const expires = Number(one('X-Amz-Expires'));
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_S)
    return `X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_EXPIRES_S} (a week).`;
  return {
    credential: one('X-Amz-Credential')!,
    signedHeaders: one('X-Amz-SignedHeaders')!.toLowerCase().split(';'),
    signature: one('X-Amz-Signature')!,
    longDate: one('X-Amz-Date')!,
    expires,
  };
}

export interface VerifyOptions {
  /** The service's SigV4 signing name (`s3`, `dynamodb`, `monitoring`). */
  signingName: string;
  credentials: Credentials;
  /** The endpoint's clock, for the request-time checks. */
  now: Date;
  /** The whole body, for services whose signature covers it; S3 signs a declared hash instead. */
  body?: Buffer;
}

/** Checks a request's SigV4 signature; on success returns what chunk signatures chain from. */
export async function verifySignature(
  request: RequestToVerify,
  options: VerifyOptions,
): Promise<Verification> {
  const { headers } = request;
  const s3 = options.signingName === 's3';
  const query = rawQuery(request.url);
  const authorization = headerText(headers.authorization);
  const byQuery = 'X-Amz-Algorithm' in query;
  if (/^AWS /.test(authorization ?? '') || (!byQuery && 'Signature' in query && 'AWSAccessKeyId' in query)) {
    return fail(
      'UnsupportedAuthentication',
      'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
    );
  }
  if (authorization === undefined && !byQuery) {
    return fail(
      'MissingAuthentication',
      s3 ? 'Access Denied (the request is not signed)' : 'Request is missing Authentication Token',
    );
  }
  if (authorization !== undefined && byQuery) {
    return fail(
      'IncompleteSignature',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.',
    );
  }
  const parsed = byQuery ? parseQueryAuth(query) : parseHeaderAuth(authorization!, headers);
  if (typeof parsed === 'string') return fail('IncompleteSignature', parsed);

  const signedAt = parseAmzDate(parsed.longDate);
  if (!signedAt)
    return fail('IncompleteSignature', `Date must be in ISO-8601 'basic format'. Got '${parsed.longDate}'.`);
  const parts = parsed.credential.split('/');
  if (parts.length !== 5) {
    return fail(
      'IncompleteSignature',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${parsed.credential}'.`,
    );
  }
  const [accessKeyId, shortDate, region, service, terminator] = parts as [
    string,
    string,
    string,
    string,
    string,
  ];
  const scopeProblems = [
    ...(service === options.signingName
      ? []
      : [`Credential should be scoped to correct service: '${options.signingName}'.`]),
    ...(terminator === 'aws4_request'
      ? []
      : [`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`]),
    ...(shortDate === parsed.longDate.slice(0, 8)
      ? []
      : [
          `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${shortDate}' != '${parsed.longDate.slice(0, 8)}'.`,
        ]),
  ];
  if (scopeProblems.length > 0) return fail('SignatureMismatch', scopeProblems.join(' '));
  if (accessKeyId !== options.credentials.accessKeyId) {
    return fail(
      'UnknownAccessKey',
      s3
        ? 'The AWS Access Key Id you provided does not exist in our records.'
        : 'The security token included in the request is invalid.',
    );
  }
  if (!parsed.signedHeaders.includes('host'))
    return fail('SignatureMismatch', "'Host' must be a 'SignedHeader' in the AWS Authorization.");

  const now = options.now.getTime();
  if (parsed.expires !== undefined) {
    if (signedAt.getTime() - now > MAX_SKEW_MS) return fail('Forbidden', 'Request is not valid yet');
    if (now > signedAt.getTime() + parsed.expires * 1000) return fail('Forbidden', 'Request has expired');
  } else if (Math.abs(now - signedAt.getTime()) > MAX_SKEW_MS) {
    const early = now - signedAt.getTime() > 0;
    const bound = new Date(now + (early ? -MAX_SKEW_MS : MAX_SKEW_MS));
    return fail(
      'RequestExpired',
      s3
        ? 'The difference between the request time and the current time is too large.'
        : early
          ? `Signature expired: ${parsed.longDate} is now earlier than ${amzDate(bound)} (${amzDate(options.now)} - 15 min.)`
          : `Signature not yet current: ${parsed.longDate} is still later than ${amzDate(bound)} (${amzDate(options.now)} + 15 min.)`,
    );
  }

  let payloadHash: string;
  if (!s3)
    payloadHash = createHash('sha256')
      .update(options.body ?? Buffer.alloc(0))
      .digest('hex');
  else if (byQuery)
    payloadHash =
      typeof query['X-Amz-Content-Sha256'] === 'string' ? query['X-Amz-Content-Sha256'] : 'UNSIGNED-PAYLOAD';
  else {
    const declared = headerText(headers['x-amz-content-sha256']);
    if (declared === undefined)
      return fail('IncompleteSignature', 'Missing required header for this request: x-amz-content-sha256');
    payloadHash = declared;
  }

  const rawPath = request.url.split('?', 1)[0] ?? '/';
  const canonicalizer = new Canonicalizer(options.signingName, !s3);
  const textHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const text = headerText(value);
    if (text !== undefined) textHeaders[name] = text;
  }
  const scope = createScope(shortDate, region, service);
  const stringToSign = await canonicalizer.stringToSign(
    { method: request.method, path: s3 ? s3CanonicalPath(rawPath) : rawPath, query, headers: textHeaders },
    parsed.signedHeaders,
    payloadHash,
    parsed.longDate,
    scope,
  );
  const signingKey = await getSigningKey(NodeSha256, options.credentials, shortDate, region, service);
  const expected = hmacHex(signingKey, stringToSign);
  if (!sameHex(expected, parsed.signature)) {
    return fail(
      'SignatureMismatch',
      s3
        ? 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'
        : 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return {
    ok: true,
    signing: { signingKey, longDate: parsed.longDate, scope, seedSignature: expected, payloadHash },
  };
}

export function hmacHex(key: Uint8Array, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex');
}

export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b.toLowerCase(), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The chain of chunk signatures of a `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]` body: each
 * chunk's signature covers its data and the signature before it, starting from the request's.
 */
export class ChunkSignatureChain {
  private previous: string;
  constructor(private readonly signing: SigningContext) {
    this.previous = signing.seedSignature;
  }

  /** Checks the signature of one chunk given the SHA-256 (hex) of its data. */
  verifyChunk(signature: string, dataSha256: string): boolean {
    const expected = hmacHex(
      this.signing.signingKey,
      [
        'AWS4-HMAC-SHA256-PAYLOAD',
        this.signing.longDate,
        this.signing.scope,
        this.previous,
        EMPTY_SHA256,
        dataSha256,
      ].join('\n'),
    );
    this.previous = expected;
    return sameHex(expected, signature);
  }

  /** Checks `x-amz-trailer-signature` over the trailer lines (`name:value\n` each). */
  verifyTrailer(signature: string, trailerLines: string): boolean {
    const expected = hmacHex(
      this.signing.signingKey,
      [
        'AWS4-HMAC-SHA256-TRAILER',
        this.signing.longDate,
        this.signing.scope,
        this.previous,
        createHash('sha256').update(trailerLines).digest('hex'),
      ].join('\n'),
    );
    return sameHex(expected, signature);
  }
}
