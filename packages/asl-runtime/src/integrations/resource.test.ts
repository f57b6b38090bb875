import { describe, expect, it } from 'vitest';
import { parseFunctionName, parseTaskResource, pascalCase } from './resource.js';

describe('parseTaskResource', () => {
  it('parses optimized integrations with and without a pattern', () => {
    expect(parseTaskResource('arn:aws:states:::lambda:invoke')).toEqual({
      kind: 'states',
      partition: 'aws',
      integration: 'lambda',
      action: 'invoke',
    });
    expect(parseTaskResource('arn:aws:states:::lambda:invoke.waitForTaskToken')).toMatchObject({
      integration: 'lambda',
      action: 'invoke',
      pattern: 'waitForTaskToken',
    });
    expect(parseTaskResource('arn:aws:states:eu-west-1::dynamodb:putItem')).toMatchObject({
      integration: 'dynamodb',
      action: 'putItem',
      region: 'eu-west-1',
    });
  });

  it('parses AWS SDK integrations, including .sync:2 patterns', () => {
    expect(parseTaskResource('arn:aws:states:::aws-sdk:cloudwatch:putMetricData')).toEqual({
      kind: 'states',
      partition: 'aws',
      integration: 'aws-sdk',
      service: 'cloudwatch',
      action: 'putMetricData',
    });
    expect(parseTaskResource('arn:aws:states:::aws-sdk:sfn:startExecution.sync:2')).toMatchObject({
      service: 'sfn',
      action: 'startExecution',
      pattern: 'sync:2',
    });
    expect(parseTaskResource('arn:aws:states:::aws-sdk:s3')).toBeUndefined();
  });

  it('parses Lambda function ARNs with an optional qualifier', () => {
    expect(parseTaskResource('arn:aws:lambda:us-east-1:123456789012:function:analyze')).toEqual({
      kind: 'lambda-function',
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:analyze',
      region: 'us-east-1',
      accountId: '123456789012',
      functionName: 'analyze',
    });
    expect(parseTaskResource('arn:aws:lambda:us-east-1:123456789012:function:analyze:prod')).toMatchObject({
      functionName: 'analyze',
      qualifier: 'prod',
    });
  });

  it('rejects what is not a Task resource', () => {
    expect(parseTaskResource('analyze')).toBeUndefined();
    expect(parseTaskResource('arn:aws:s3:::bucket')).toBeUndefined();
    expect(parseTaskResource('arn:aws:lambda:us-east-1:123:function:x')).toBeUndefined();
  });
});

describe('parseFunctionName', () => {
  it('accepts every form Invoke accepts', () => {
    expect(parseFunctionName('my-fn')).toEqual({ functionName: 'my-fn' });
    expect(parseFunctionName('my-fn:$LATEST')).toEqual({ functionName: 'my-fn', qualifier: '$LATEST' });
    expect(parseFunctionName('123456789012:function:my-fn:7')).toEqual({
      functionName: 'my-fn',
      accountId: '123456789012',
      qualifier: '7',
    });
    expect(parseFunctionName('arn:aws:lambda:eu-west-1:123456789012:function:my-fn')).toEqual({
      functionName: 'my-fn',
      region: 'eu-west-1',
      accountId: '123456789012',
    });
  });

  it('rejects names Lambda would reject', () => {
    expect(parseFunctionName('my fn')).toBeUndefined();
    expect(parseFunctionName('')).toBeUndefined();
    expect(parseFunctionName('a:b:c')).toBeUndefined();
  });
});

describe('pascalCase', () => {
  it('upper-cases the first letter of an action', () => {
    expect(pascalCase('putMetricData')).toBe('PutMetricData');
  });
});
