/** Routes a request on the shared endpoint to the service it is meant for. */
import type { IncomingHttpHeaders } from 'node:http';
import type { ErrorDialect } from './protocol-errors.js';

export type ServiceName = 's3' | 'dynamodb' | 'cloudwatch' | 'states';

/** What the front of the endpoint needs to know about a service: how requests to it are signed and answered. */
export interface ServiceProfile {
  /** The SigV4 signing name in the credential scope. */
  signingName: string;
  /** Whether the signature covers the body's hash (JSON and query bodies), read before the service. */
  buffersBody: boolean;
  /** The error framing of a request to this service. */
  dialect(headers: IncomingHttpHeaders): ErrorDialect;
}

const CLOUDWATCH_XMLNS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';

export const SERVICE_PROFILES: Record<ServiceName, ServiceProfile> = {
  s3: { signingName: 's3', buffersBody: false, dialect: () => ({ protocol: 'rest-xml' }) },
  dynamodb: {
    signingName: 'dynamodb',
    buffersBody: true,
    dialect: () => ({
      protocol: 'json',
      queryCompatible: false,
      internalErrorType: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    }),
  },
  cloudwatch: {
    signingName: 'monitoring',
    buffersBody: true,
    dialect: (headers) =>
      headers['x-amz-target'] === undefined
        ? { protocol: 'query', xmlns: CLOUDWATCH_XMLNS, queryInternalCode: 'InternalServiceError' }
        : {
            protocol: 'json',
            queryCompatible: true,
            internalErrorType: 'com.amazonaws.cloudwatch#InternalServiceFault',
            queryInternalCode: 'InternalServiceError',
          },
  },
  states: {
    signingName: 'states',
    buffersBody: true,
    dialect: () => ({
      protocol: 'json',
      queryCompatible: false,
      internalErrorType: 'com.amazonaws.swf.service.v2.model#InternalServerError',
    }),
  },
};

/** The SigV4 credential scope of a request: `Credential=<key>/<date>/<region>/<service>/aws4_request`. */
export function credentialScope(
  headers: IncomingHttpHeaders,
): { accessKeyId: string; region: string; service: string } | undefined {
  const auth = headers.authorization ?? '';
  const m = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/.exec(auth);
  return m ? { accessKeyId: m[1]!, region: m[2]!, service: m[3]! } : undefined;
}

/**
 * DynamoDB and CloudWatch (awsJson) name their operation in `x-amz-target`; CloudWatch's query
 * protocol posts a form to `/` (signed for `monitoring`); everything else is S3 (REST).
 */
export function classifyRequest(headers: IncomingHttpHeaders, method = 'GET', url = '/'): ServiceName {
  const target = String(headers['x-amz-target'] ?? '');
  if (target.startsWith('DynamoDB_')) return 'dynamodb';
  if (target.startsWith('GraniteServiceVersion20100801.')) return 'cloudwatch';
  if (target.startsWith('AWSStepFunctions.')) return 'states';
  // Smithy RPCv2 CBOR: `POST /service/GraniteServiceVersion20100801/operation/<Op>`
  if (url.startsWith('/service/GraniteServiceVersion20100801/')) return 'cloudwatch';
  const service = credentialScope(headers)?.service;
  if (service === 'dynamodb') return 'dynamodb';
  if (service === 'monitoring') return 'cloudwatch';
  const form = /^application\/x-www-form-urlencoded/i.test(headers['content-type'] ?? '');
  if (method === 'POST' && form && (url === '/' || url.startsWith('/?'))) return 'cloudwatch';
  return 's3';
}
