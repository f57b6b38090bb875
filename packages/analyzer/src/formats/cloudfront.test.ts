import { describe, expect, it } from 'vitest';
import { emptyRecord } from '../record.js';
import { CloudFrontParser } from './cloudfront.js';
import { iso, parseFixture, records } from './parse-fixture.js';

describe('CloudFront standard logs', () => {
  const lines = parseFixture('cloudfront.log', 'cloudfront');
  const [hit, error, aborted] = records(lines);

  it('treats #Version and #Fields as headers and parses the rest', () => {
    expect(lines.map((line) => (line.ok ? 'record' : line.reason))).toEqual([
      'header',
      'header',
      'record',
      'record',
      'record',
    ]);
  });

  it('reads date + time as UTC, time-taken seconds as ms, and decodes the user agent', () => {
    expect(hit).toMatchObject({
      method: 'GET',
      path: '/index.html',
      status: 200,
      bytes: 392,
      client: '192.0.2.100',
    });
    expect(iso(hit!.timestampMs)).toBe('2019-12-04T21:02:31.000Z');
    expect(hit!.latencyMs).toBeCloseTo(1, 9);
    expect(hit!.userAgent).toBe(
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/78.0.3904.108 Safari/537.36',
    );
    expect(error).toMatchObject({
      path: '/favicon.ico',
      status: 502,
      client: '2001:db8::100',
      latencyMs: 102,
    });
    expect(aborted).toMatchObject({ status: 0, bytes: 0, userAgent: '' });
    expect(aborted!.latencyMs).toBeNaN();
  });

  it('follows the column order of the #Fields header', () => {
    const parser = new CloudFrontParser();
    const header = '#Fields: time date sc-status cs-uri-stem time-taken';
    expect(parser.header(header, 0, header.length)).toBe(true);
    const line = '08:00:01\t2026-11-22\t304\t/logo.png\t0.250';
    const record = emptyRecord();
    expect(parser.parse(line, 0, line.length, record)).toBe(true);
    expect(record).toMatchObject({ path: '/logo.png', status: 304, latencyMs: 250, client: '', method: '' });
    expect(iso(record.timestampMs)).toBe('2026-11-22T08:00:01.000Z');
  });

  it('rejects lines with fewer fields than the header declares', () => {
    const parser = new CloudFrontParser();
    const record = emptyRecord();
    const line = '2019-12-04\t21:02:31\tLAX1\t392';
    expect(parser.parse(line, 0, line.length, record)).toBe(false);
    expect(parser.reason).toMatch(/tab-separated fields/);
  });
});
