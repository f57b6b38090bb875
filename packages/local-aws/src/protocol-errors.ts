/**
 * Errors the endpoint answers before a request reaches its service (refused origin, failed
 * signature, injected fault), each in the wire shape of the service's protocol so SDK clients
 * and the AWS CLI read `name`/`Code` as they would from AWS.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { xmlEscape } from './http-util.js';

/** How a service frames its errors: REST-XML (S3), awsJson (DynamoDB, CloudWatch), awsQuery (CloudWatch). */
export type ErrorDialect =
  | { protocol: 'rest-xml' }
  | { protocol: 'json'; queryCompatible: boolean; internalErrorType: string; queryInternalCode?: string }
  | { protocol: 'query'; xmlns: string; queryInternalCode?: string };

/** The failures raised in front of the services, with the code each protocol uses for them. */
export type FrontError =
  | 'MissingAuthentication'
  | 'IncompleteSignature'
  | 'UnsupportedAuthentication'
  | 'UnknownAccessKey'
  | 'SignatureMismatch'
  | 'RequestExpired'
  | 'Forbidden'
  | 'Throttled'
  | 'TooLarge'
  | 'Internal';

interface Codes {
  status: number;
  code: string;
}

/** S3 (REST-XML) status and code of each failure. */
const S3_CODES: Record<FrontError, Codes> = {
  MissingAuthentication: { status: 403, code: 'AccessDenied' },
  IncompleteSignature: { status: 400, code: 'AuthorizationHeaderMalformed' },
  UnsupportedAuthentication: { status: 400, code: 'InvalidRequest' },
  UnknownAccessKey: { status: 403, code: 'InvalidAccessKeyId' },
  SignatureMismatch: { status: 403, code: 'SignatureDoesNotMatch' },
  RequestExpired: { status: 403, code: 'RequestTimeTooSkewed' },
  Forbidden: { status: 403, code: 'AccessDenied' },
  Throttled: { status: 503, code: 'SlowDown' },
  TooLarge: { status: 400, code: 'EntityTooLarge' },
  Internal: { status: 500, code: 'InternalError' },
};

/** awsJson `__type` (coral shapes, as DynamoDB answers) and status of each failure; `Internal` is per service. */
const JSON_CODES: Record<FrontError, Codes> = {
  MissingAuthentication: {
    status: 400,
    code: 'com.amazon.coral.service#MissingAuthenticationTokenException',
  },
  IncompleteSignature: { status: 400, code: 'com.amazon.coral.service#IncompleteSignatureException' },
  UnsupportedAuthentication: { status: 400, code: 'com.amazon.coral.service#IncompleteSignatureException' },
  UnknownAccessKey: { status: 400, code: 'com.amazon.coral.service#UnrecognizedClientException' },
  SignatureMismatch: { status: 400, code: 'com.amazon.coral.service#InvalidSignatureException' },
  RequestExpired: { status: 400, code: 'com.amazon.coral.service#InvalidSignatureException' },
  Forbidden: { status: 403, code: 'com.amazon.coral.service#AccessDeniedException' },
  Throttled: { status: 400, code: 'com.amazon.coral.availability#ThrottlingException' },
  TooLarge: { status: 413, code: 'com.amazon.coral.service#RequestEntityTooLarge' },
  Internal: { status: 500, code: '' },
};

/** awsQuery error codes (also the `x-amzn-query-error` of query-compatible JSON services). */
const QUERY_CODES: Record<FrontError, Codes> = {
  MissingAuthentication: { status: 403, code: 'MissingAuthenticationToken' },
  IncompleteSignature: { status: 400, code: 'IncompleteSignature' },
  UnsupportedAuthentication: { status: 400, code: 'IncompleteSignature' },
  UnknownAccessKey: { status: 403, code: 'InvalidClientTokenId' },
  SignatureMismatch: { status: 403, code: 'SignatureDoesNotMatch' },
  RequestExpired: { status: 400, code: 'RequestExpired' },
  Forbidden: { status: 403, code: 'AccessDenied' },
  Throttled: { status: 400, code: 'Throttling' },
  TooLarge: { status: 413, code: 'RequestEntityTooLarge' },
  Internal: { status: 500, code: 'InternalFailure' },
};

/** Status and code a client sees for `error` in `dialect`. */
export function frontErrorCode(dialect: ErrorDialect, error: FrontError): Codes {
  if (dialect.protocol === 'rest-xml') return S3_CODES[error];
  if (dialect.protocol === 'query') return queryCode(dialect, error);
  const json = JSON_CODES[error];
  // each service models its internal failure under its own name
  return error === 'Internal' ? { ...json, code: dialect.internalErrorType } : json;
}

/** The awsQuery code of `error`; each service names its internal failure its own way. */
function queryCode(dialect: { queryInternalCode?: string }, error: FrontError): Codes {
  const codes = QUERY_CODES[error];
  return error === 'Internal' && dialect.queryInternalCode
    ? { ...codes, code: dialect.queryInternalCode }
    : codes;
}

/** Answers `error` with `message` in the dialect's wire shape. */
export function sendFrontError(
  res: ServerResponse,
  dialect: ErrorDialect,
  error: FrontError,
  message: string,
  extraHeaders: Record<string, string> = {},
): void {
  const requestId = randomUUID();
  const { status, code } = frontErrorCode(dialect, error);
  let body: string;
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId, ...extraHeaders };
  if (dialect.protocol === 'rest-xml') {
    body =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>` +
      `<RequestId>${requestId}</RequestId></Error>`;
    headers['content-type'] = 'application/xml';
    headers['x-amz-request-id'] = requestId;
  } else if (dialect.protocol === 'query') {
    const type = status >= 500 ? 'Receiver' : 'Sender';
    body =
      `<ErrorResponse xmlns="${dialect.xmlns}"><Error><Type>${type}</Type><Code>${code}</Code>` +
      `<Message>${xmlEscape(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    headers['content-type'] = 'text/xml';
  } else {
    body = JSON.stringify({ __type: code, message });
    headers['content-type'] = 'application/x-amz-json-1.0';
    if (dialect.queryCompatible) {
      headers['x-amzn-query-error'] =
        `${queryCode(dialect, error).code};${status >= 500 ? 'Receiver' : 'Sender'}`;
    }
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}
