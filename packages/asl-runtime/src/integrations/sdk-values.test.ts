import { PutMetricDataCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PutItemCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  formatTimestamp,
  fromSdkOutput,
  operationSchemas,
  parseTimestamp,
  toSdkInput,
} from './sdk-values.js';

describe('toSdkInput', () => {
  it('turns ISO-8601 strings into Dates where the API has a timestamp', () => {
    const { input } = operationSchemas(new PutMetricDataCommand({} as never))!;
    const converted = toSdkInput(input, {
      Namespace: 'Logflow/local',
      MetricData: [{ MetricName: 'Requests', Timestamp: '2026-11-22T10:00:00Z', Value: 3, Unit: 'Count' }],
    }) as { MetricData: { Timestamp: unknown; MetricName: unknown }[] };
    expect(converted.MetricData[0]!.Timestamp).toEqual(new Date('2026-11-22T10:00:00Z'));
    expect(converted.MetricData[0]!.MetricName).toBe('Requests');
  });

  it('leaves date-like strings alone where the API has a string', () => {
    const { input } = operationSchemas(new PutItemCommand({} as never))!;
    const item = { pk: { S: '2026-11-22T10:00:00Z' }, data: { B: Buffer.from('hi').toString('base64') } };
    const converted = toSdkInput(input, { TableName: 't', Item: item }) as {
      Item: { pk: { S: unknown }; data: { B: unknown } };
    };
    expect(converted.Item.pk.S).toBe('2026-11-22T10:00:00Z');
    expect(Buffer.from(converted.Item.data.B as Uint8Array).toString()).toBe('hi');
  });

  it('names the member of a bad timestamp', () => {
    const { input } = operationSchemas(new GetMetricDataCommand({} as never))!;
    expect(() => toSdkInput(input, { StartTime: 'yesterday' })).toThrow(
      /\$\.StartTime: expected an ISO-8601 timestamp, got "yesterday"/,
    );
  });
});

describe('fromSdkOutput', () => {
  it('drops $metadata and turns Dates into ISO-8601 strings', () => {
    const { output } = operationSchemas(new DescribeTableCommand({} as never))!;
    const json = fromSdkOutput(
      {
        $metadata: { httpStatusCode: 200 },
        Table: { TableName: 't', CreationDateTime: new Date('2026-11-22T10:00:00.250Z'), ItemCount: 2 },
      },
      output,
    );
    expect(json).toEqual({
      Table: { TableName: 't', CreationDateTime: '2026-11-22T10:00:00.250Z', ItemCount: 2 },
    });
  });

  it('returns DynamoDB binary attributes as base64', () => {
    const { output } = operationSchemas(new PutItemCommand({} as never))!;
    const json = fromSdkOutput({ Attributes: { data: { B: new Uint8Array([104, 105]) } } }, output);
    expect(json).toEqual({ Attributes: { data: { B: 'aGk=' } } });
  });
});

describe('parseTimestamp / formatTimestamp', () => {
  it('accepts ISO-8601 and epoch seconds', () => {
    expect(parseTimestamp('2026-11-22T10:00:00+01:00', '$.t').toISOString()).toBe('2026-11-22T09:00:00.000Z');
    expect(parseTimestamp(1_700_000_000, '$.t').getTime()).toBe(1_700_000_000_000);
  });

  it('omits a zero fraction', () => {
    expect(formatTimestamp(new Date('2026-11-22T10:00:00Z'))).toBe('2026-11-22T10:00:00Z');
    expect(formatTimestamp(new Date('2026-11-22T10:00:00.5Z'))).toBe('2026-11-22T10:00:00.500Z');
  });
});
