import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { NoSuchKey } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { StatesError } from '../integrations.js';
import { sdkErrorServiceName, toStatesError, unsupportedResource, withExceptionSuffix } from './errors.js';

describe('withExceptionSuffix', () => {
  it('appends Exception only where it is missing', () => {
    expect(withExceptionSuffix('NoSuchKey')).toBe('NoSuchKeyException');
    expect(withExceptionSuffix('BucketAlreadyExists')).toBe('BucketAlreadyExistsException');
    expect(withExceptionSuffix('ResourceNotFoundException')).toBe('ResourceNotFoundException');
  });
});

describe('sdkErrorServiceName', () => {
  it('uses the PascalCase service names of Step Functions error names', () => {
    expect(sdkErrorServiceName('dynamodb')).toBe('DynamoDb');
    expect(sdkErrorServiceName('acmpca')).toBe('AcmPca');
    expect(sdkErrorServiceName('cloudwatch')).toBe('CloudWatch');
    expect(sdkErrorServiceName('s3')).toBe('S3');
    expect(sdkErrorServiceName('athena')).toBe('Athena');
  });
});

describe('toStatesError', () => {
  it('names SDK service exceptions <Service>.<Name>Exception with the message as cause', () => {
    const error = new NoSuchKey({
      message: 'The specified key does not exist.',
      $metadata: { httpStatusCode: 404, requestId: 'req-1' },
    });
    const mapped = toStatesError('S3', error);
    expect(mapped).toBeInstanceOf(StatesError);
    expect(mapped.error).toBe('S3.NoSuchKeyException');
    expect(mapped.cause).toBe(
      'The specified key does not exist. (Service: S3, Status Code: 404, Request ID: req-1)',
    );
  });

  it('keeps names that already end in Exception', () => {
    const error = new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata: { httpStatusCode: 400 },
    });
    const mapped = toStatesError('DynamoDB', error, { service: 'AmazonDynamoDBv2', format: 'optimized' });
    expect(mapped.error).toBe('DynamoDB.ConditionalCheckFailedException');
    expect(mapped.cause).toBe(
      'The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: ; Proxy: null)',
    );
  });

  it('reports failures that never reached the service as SdkClientException', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'Error' });
    const mapped = toStatesError('DynamoDb', error);
    expect(mapped.error).toBe('DynamoDb.SdkClientException');
    expect(mapped.cause).toContain('ECONNREFUSED');
  });

  it('passes StatesError through unchanged', () => {
    const original = new StatesError('States.Runtime', 'x');
    expect(toStatesError('S3', original)).toBe(original);
  });
});

describe('unsupportedResource', () => {
  it('is a States.Runtime error naming the resource', () => {
    const error = unsupportedResource('arn:aws:states:::sqs:sendMessage', 'no integration');
    expect(error.error).toBe('States.Runtime');
    expect(error.cause).toContain('arn:aws:states:::sqs:sendMessage');
  });
});
