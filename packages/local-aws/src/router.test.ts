import { describe, expect, it } from 'vitest';
import { classifyRequest, credentialScope } from './router.js';
import { virtualHostBucket } from './s3.js';

const auth = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=abc`;

describe('classifyRequest', () => {
  it('routes by x-amz-target first', () => {
    expect(classifyRequest({ 'x-amz-target': 'DynamoDB_20120810.PutItem' })).toBe('dynamodb');
    expect(classifyRequest({ 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData' })).toBe(
      'cloudwatch',
    );
    expect(classifyRequest({ 'x-amz-target': 'AWSStepFunctions.StartExecution' })).toBe('states');
  });

  it('falls back to the SigV4 credential scope, then S3', () => {
    expect(classifyRequest({ authorization: auth('dynamodb') })).toBe('dynamodb');
    expect(classifyRequest({ authorization: auth('monitoring') })).toBe('cloudwatch');
    expect(classifyRequest({ authorization: auth('s3') })).toBe('s3');
    expect(classifyRequest({})).toBe('s3');
  });

  it('sends query-protocol forms posted to / to CloudWatch', () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
    expect(classifyRequest(form, 'POST', '/')).toBe('cloudwatch');
    expect(classifyRequest(form, 'POST', '/bucket/key')).toBe('s3');
    expect(classifyRequest({ 'content-type': 'multipart/form-data' }, 'POST', '/')).toBe('s3');
  });

  it('reads the credential scope', () => {
    expect(credentialScope({ authorization: auth('s3') })).toEqual({
      accessKeyId: 'AKID',
      region: 'us-east-1',
      service: 's3',
    });
    expect(credentialScope({ authorization: 'AWS AKID:sig' })).toBeUndefined();
  });
});

describe('virtualHostBucket', () => {
  it('reads the bucket of virtual-hosted requests only', () => {
    expect(virtualHostBucket('logs.localhost:4566')).toBe('logs');
    expect(virtualHostBucket('my.dotted.bucket.s3.localhost')).toBe('my.dotted.bucket');
    expect(virtualHostBucket('127.0.0.1:4566')).toBeUndefined();
    expect(virtualHostBucket('localhost:4566')).toBeUndefined();
    expect(virtualHostBucket('s3.localhost:4566')).toBeUndefined();
    expect(virtualHostBucket(undefined)).toBeUndefined();
  });
});
