import { describe, expect, it } from 'vitest';
import { emptyRecord } from '../record.js';
import { iso, parseFixture, records } from './parse-fixture.js';
import { S3Parser } from './s3.js';

describe('S3 server access logs', () => {
  const lines = parseFixture('s3.log', 's3');
  const [versioning, object, denied] = records(lines);

  it('parses the documentation example and further records', () => {
    expect(lines.every((line) => line.ok)).toBe(true);
  });

  it('reads status, path without query, bytes sent, Total Time in ms and the remote IP', () => {
    expect(versioning).toMatchObject({
      method: 'GET',
      path: '/amzn-s3-demo-bucket1',
      status: 200,
      bytes: 113,
      latencyMs: 7,
      client: '192.0.2.3',
      userAgent: 'S3Console/0.4',
    });
    expect(iso(versioning!.timestampMs)).toBe('2019-02-06T00:00:38.000Z');
    expect(object).toMatchObject({
      path: '/amzn-s3-demo-bucket1/photos/2026/cat.jpg',
      bytes: 2662992,
      latencyMs: 176,
    });
    expect(denied).toMatchObject({ status: 403, bytes: 243, latencyMs: 21, path: '/secret.txt' });
  });

  it('rejects a line with an invalid time or too few fields', () => {
    const parser = new S3Parser();
    const record = emptyRecord();
    const bad =
      'owner bucket [06/Feb/2019:00:00:38] 192.0.2.3 - id REST.GET.OBJECT key "GET / HTTP/1.1" 200 - 1 - 1 - "-" "-"';
    expect(parser.parse(bad, 0, bad.length, record)).toBe(false);
    expect(parser.reason).toBe('expected [time]');
    const short =
      'owner bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - id REST.GET.OBJECT key "GET / HTTP/1.1" 200';
    expect(parser.parse(short, 0, short.length, record)).toBe(false);
  });
});
