import { describe, expect, it } from 'vitest';
import { emptyRecord } from '../record.js';
import { AlbParser } from './alb.js';
import { iso, parseFixture, records } from './parse-fixture.js';

describe('ALB access logs (AWS documentation examples)', () => {
  const lines = parseFixture('alb.log', 'alb');
  const [http, https, h2, ws, failed] = records(lines);

  it('parses http, https, h2 and ws entries', () => {
    expect(lines.every((line) => line.ok)).toBe(true);
    expect(records(lines)).toHaveLength(5);
  });

  it('reads elb_status_code, sent_bytes, the path of the absolute request URL and the client without port', () => {
    expect(http).toMatchObject({
      method: 'GET',
      path: '/',
      status: 200,
      bytes: 366,
      client: '192.168.131.39',
    });
    expect(https).toMatchObject({ path: '/cart', status: 200, bytes: 57, userAgent: 'curl/7.46.0' });
    expect(h2).toMatchObject({ path: '/', client: '10.0.1.252' });
    expect(ws).toMatchObject({ status: 101, bytes: 587, userAgent: '' });
    expect(failed).toMatchObject({
      method: 'POST',
      path: '/v1/upload',
      status: 502,
      bytes: 0,
      client: '2001:db8::20',
    });
  });

  it('reads the ISO-8601 time in UTC', () => {
    expect(iso(http!.timestampMs)).toBe('2018-07-02T22:23:00.186Z');
    expect(iso(failed!.timestampMs)).toBe('2026-11-22T12:00:00.500Z');
  });

  it('sums the three processing times into milliseconds; -1 means no latency', () => {
    expect(http!.latencyMs).toBeCloseTo(1, 9);
    expect(https!.latencyMs).toBeCloseTo(171, 9);
    expect(failed!.latencyMs).toBeNaN();
  });

  it('rejects lines that are not ALB entries', () => {
    const parser = new AlbParser();
    const record = emptyRecord();
    const reject = (line: string) => (parser.parse(line, 0, line.length, record) ? 'parsed' : parser.reason);
    expect(
      reject(
        'ftp 2018-07-02T22:23:00.186641Z app/x 1.2.3.4:1 - 0 0 0 200 200 0 0 "GET / HTTP/1.1" "-" - - arn',
      ),
    ).toMatch(/request type/);
    expect(reject('http yesterday app/x 1.2.3.4:1 - 0 0 0 200 200 0 0 "GET / HTTP/1.1" "-" - - arn')).toBe(
      'invalid time',
    );
    expect(reject('http 2018-07-02T22:23:00Z app/x 1.2.3.4:1 - 0 0 0 200 200 0 0 "GET / HTTP/1.1"')).toBe(
      'expected "user_agent"',
    );
  });
});
