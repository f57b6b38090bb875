import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../index.js';
import { queryToInput } from './query-protocol.js';
import { cborTextMap } from './service.js';
import { signedFetch } from '../test-support/sign.js';

describe('queryToInput', () => {
  it('unflattens members, types numbers by field and keeps dimension values as text', () => {
    const { action, input } = queryToInput(
      new URLSearchParams({
        Action: 'PutMetricData',
        Version: '2010-08-01',
        Namespace: 'App',
        'MetricData.member.2.MetricName': 'B',
        'MetricData.member.2.StatisticValues.Sum': '10',
        'MetricData.member.1.MetricName': 'A',
        'MetricData.member.1.Values.member.1': '1.5',
        'MetricData.member.1.Values.member.2': '2',
        'MetricData.member.1.Counts.member.1': '3',
        'MetricData.member.1.Counts.member.2': '4',
        'MetricData.member.1.Dimensions.member.1.Name': 'Code',
        'MetricData.member.1.Dimensions.member.1.Value': '404',
      }),
    );
    expect(action).toBe('PutMetricData');
    expect(input).toEqual({
      Namespace: 'App',
      MetricData: [
        { MetricName: 'A', Values: [1.5, 2], Counts: [3, 4], Dimensions: [{ Name: 'Code', Value: '404' }] },
        { MetricName: 'B', StatisticValues: { Sum: 10 } },
      ],
    });
  });
});

describe('CloudWatch over the awsQuery protocol', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws({ inMemory: true });
  });
  afterAll(async () => {
    await aws.stop();
  });

  const post = async (params: Record<string, string>) => {
    const response = await signedFetch(aws, '/', {
      method: 'POST',
      service: 'monitoring',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams({ Version: '2010-08-01', ...params }).toString(),
    });
    return { status: response.status, xml: await response.text() };
  };

  it('puts, reads statistics and lists metrics with XML answers', async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;
    const at = new Date(minute).toISOString();
    const put = await post({
      Action: 'PutMetricData',
      Namespace: 'Query/test',
      'MetricData.member.1.MetricName': 'Hits',
      'MetricData.member.1.Value': '4',
      'MetricData.member.1.Timestamp': at,
      'MetricData.member.1.Dimensions.member.1.Name': 'Site',
      'MetricData.member.1.Dimensions.member.1.Value': 'a',
      'MetricData.member.2.MetricName': 'Hits',
      'MetricData.member.2.Value': '6',
      'MetricData.member.2.Timestamp': at,
      'MetricData.member.2.Dimensions.member.1.Name': 'Site',
      'MetricData.member.2.Dimensions.member.1.Value': 'a',
    });
    expect(put.status).toBe(200);
    expect(put.xml).toMatch(
      /^<PutMetricDataResponse xmlns="http:\/\/monitoring.amazonaws.com\/doc\/2010-08-01\/">/,
    );

    const stats = await post({
      Action: 'GetMetricStatistics',
      Namespace: 'Query/test',
      MetricName: 'Hits',
      'Dimensions.member.1.Name': 'Site',
      'Dimensions.member.1.Value': 'a',
      StartTime: at,
      EndTime: new Date(minute + 60_000).toISOString(),
      Period: '60',
      'Statistics.member.1': 'Sum',
      'Statistics.member.2': 'Average',
    });
    expect(stats.status).toBe(200);
    expect(stats.xml).toContain(
      `<Datapoints><member><Timestamp>${at}</Timestamp><Sum>10</Sum><Average>5</Average><Unit>None</Unit></member></Datapoints>`,
    );

    const list = await post({ Action: 'ListMetrics', Namespace: 'Query/test' });
    expect(list.xml).toContain(
      '<Metrics><member><Namespace>Query/test</Namespace><MetricName>Hits</MetricName><Dimensions><member><Name>Site</Name><Value>a</Value></member></Dimensions></member></Metrics>',
    );
  });

  it('answers errors in the query error shape', async () => {
    const bad = await post({
      Action: 'PutMetricData',
      Namespace: 'AWS/EC2',
      'MetricData.member.1.MetricName': 'M',
      'MetricData.member.1.Value': '1',
    });
    expect(bad.status).toBe(400);
    expect(bad.xml).toMatch(
      /<Error><Type>Sender<\/Type><Code>InvalidParameterValue<\/Code><Message>[^<]*AWS\/EC2/,
    );
    const unknown = await post({ Action: 'DescribeAlarms' });
    expect(unknown.status).toBe(400);
    expect(unknown.xml).toContain('<Code>InvalidAction</Code>');
  });
});

describe('Smithy RPCv2 CBOR requests', () => {
  it('encodes a text map as CBOR', () => {
    expect([...cborTextMap({ a: 'b' })]).toEqual([0xa1, 0x61, 0x61, 0x61, 0x62]);
    const long = cborTextMap({ message: 'x'.repeat(300) });
    expect([...long.subarray(0, 1)]).toEqual([0xa1]);
    expect([...long.subarray(9, 12)]).toEqual([0x79, 0x01, 0x2c]);
  });

  it('are refused with an error the client can read', async () => {
    const aws = await startLocalAws({ inMemory: true });
    try {
      const response = await signedFetch(
        aws,
        '/service/GraniteServiceVersion20100801/operation/PutMetricData',
        {
          method: 'POST',
          service: 'monitoring',
          headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' },
          body: Buffer.from([0xa0]),
        },
      );
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/cbor');
      const body = Buffer.from(await response.arrayBuffer());
      expect(body[0]).toBe(0xa2);
      expect(body.toString('latin1')).toContain('does not speak the rpc-v2-cbor protocol');
    } finally {
      await aws.stop();
    }
  });
});
