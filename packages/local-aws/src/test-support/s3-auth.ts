import type { LocalAws } from '../index.js';

/**
 * Headers of a SigV4-shaped S3 request for hand-made HTTP requests in tests: s3rver wants the
 * shape, the endpoint does not check the signature.
 */
export function s3AuthHeaders(aws: LocalAws): Record<string, string> {
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  return {
    'x-amz-date': amzDate,
    'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    authorization:
      `AWS4-HMAC-SHA256 Credential=${aws.credentials.accessKeyId}/${amzDate.slice(0, 8)}/${aws.region}/s3/aws4_request, ` +
      'SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=00',
  };
}
