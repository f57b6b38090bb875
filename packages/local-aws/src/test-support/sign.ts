import { SignatureV4 } from '@smithy/signature-v4';
import type { LocalAws } from '../index.js';
import { NodeSha256 } from '../sigv4.js';

export interface RequestToSign {
  method?: string;
  /** Path and query, percent-encoded as sent. */
  path: string;
  headers?: Record<string, string>;
  /** A body whose hash is signed; S3 requests without one sign `UNSIGNED-PAYLOAD`. */
  body?: string | Buffer;
  /** Signing name: `s3` (default), `dynamodb` or `monitoring`. */
  service?: string;
  /** Signing time; default the wall clock. */
  at?: Date;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * The headers of a request signed for the endpoint (SigV4, with the SDK's own signer), for
 * hand-made HTTP requests in tests. `host` is the endpoint's unless given.
 */
export async function signedHeaders(aws: LocalAws, request: RequestToSign): Promise<Record<string, string>> {
  const service = request.service ?? 's3';
  const url = new URL(request.path, aws.endpoint);
  const headers: Record<string, string> = { host: url.host, ...request.headers };
  if (service === 's3' && request.body === undefined && headers['x-amz-content-sha256'] === undefined)
    headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const signer = new SignatureV4({
    service,
    region: aws.region,
    credentials: request.credentials ?? aws.credentials,
    sha256: NodeSha256,
    uriEscapePath: service !== 's3',
    applyChecksum: service === 's3',
  });
  const signed = await signer.sign(
    {
      method: request.method ?? 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      path: url.pathname,
      query,
      headers,
      ...(request.body === undefined ? {} : { body: request.body }),
    },
    { signingDate: request.at ?? new Date() },
  );
  return signed.headers as Record<string, string>;
}

/** `fetch` with the request signed for the endpoint. */
export async function signedFetch(
  aws: LocalAws,
  path: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    service?: string;
    at?: Date;
  } = {},
): Promise<Response> {
  const headers = await signedHeaders(aws, {
    path,
    method: init.method ?? 'GET',
    ...(init.headers === undefined ? {} : { headers: init.headers }),
    ...(init.body === undefined ? {} : { body: init.body }),
    ...(init.service === undefined ? {} : { service: init.service }),
    ...(init.at === undefined ? {} : { at: init.at }),
  });
  const { host: _host, ...sent } = headers;
  return fetch(new URL(path, aws.endpoint), {
    method: init.method ?? 'GET',
    headers: sent,
    ...(init.body === undefined ? {} : { body: init.body }),
  });
}
