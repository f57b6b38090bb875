import { describe, expect, it } from 'vitest';
import { emptyRecord } from '../record.js';
import { ClfParser, trailingLatencyMs } from './clf.js';
import { iso, parseFixture, records } from './parse-fixture.js';

describe('nginx combined with $request_time $upstream_response_time', () => {
  const lines = parseFixture('nginx-combined.log', 'combined');
  const [plain, post, missing, v6, tls] = records(lines);

  it('parses every line of the fixture', () => {
    expect(lines.map((line) => line.ok)).toEqual([true, true, true, true, true]);
  });

  it('reads status, path without query, bytes, client and user agent', () => {
    expect(plain).toMatchObject({
      method: 'GET',
      path: '/index.html',
      status: 200,
      bytes: 5120,
      client: '192.0.2.1',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
    });
    expect(post).toMatchObject({
      method: 'POST',
      path: '/api/orders',
      status: 201,
      bytes: 87,
      userAgent: 'curl/8.5.0',
    });
    expect(missing).toMatchObject({ status: 404, userAgent: '' });
    expect(v6).toMatchObject({ client: '2001:db8::7', path: '/search', status: 502, bytes: 0 });
  });

  it('converts $time_local with its offset to UTC', () => {
    expect(iso(plain!.timestampMs)).toBe('2026-11-22T10:15:30.000Z');
    expect(iso(post!.timestampMs)).toBe('2026-11-22T10:15:31.000Z');
    expect(iso(v6!.timestampMs)).toBe('2026-11-22T10:15:33.000Z');
  });

  it('takes latency from $request_time in seconds, as milliseconds', () => {
    expect(plain!.latencyMs).toBe(4);
    expect(post!.latencyMs).toBe(250);
    expect(missing!.latencyMs).toBe(1);
    expect(v6!.latencyMs).toBeCloseTo(30001, 6);
  });

  it('keeps a garbage request line (TLS on the HTTP port) as a request with no method or path', () => {
    expect(tls).toMatchObject({ method: '', path: '', status: 400, bytes: 157 });
  });
});

describe('Apache common and combined', () => {
  it('parses the Apache documentation example of common', () => {
    const [example, head, redirect] = records(parseFixture('apache-common.log', 'common'));
    expect(example).toMatchObject({
      client: '127.0.0.1',
      method: 'GET',
      path: '/apache_pb.gif',
      status: 200,
      bytes: 2326,
    });
    expect(iso(example!.timestampMs)).toBe('2000-10-10T20:55:36.000Z');
    expect(example!.latencyMs).toBeNaN();
    expect(example!.userAgent).toBe('');
    expect(head).toMatchObject({ method: 'HEAD', status: 200, bytes: 0 });
    expect(redirect).toMatchObject({ path: '/old/page.html', status: 301, bytes: 0 });
  });

  it('parses combined, including backslash-escaped quotes in the user agent', () => {
    const [example, quoted] = records(parseFixture('apache-combined.log', 'combined'));
    expect(example!.userAgent).toBe('Mozilla/4.08 [en] (Win98; I ;Nav)');
    expect(quoted!.userAgent).toBe('agent with \\"quotes\\" inside');
  });

  it('does not accept a common line as combined', () => {
    const lines = parseFixture('apache-common.log', 'combined');
    expect(lines.every((line) => !line.ok && line.reason === 'expected "referer"')).toBe(true);
  });
});

describe('malformed and hostile CLF lines', () => {
  const parser = new ClfParser('combined');
  const parse = (line: string) => {
    const record = emptyRecord();
    return parser.parse(line, 0, line.length, record) ? record : parser.reason;
  };

  it.each([
    ['', 'expected client address'],
    ['<script>alert(1)</script>', 'expected client address'],
    ['<script> alert(1)</script>', 'expected [timestamp]'],
    ['1.2.3.4 - - [22/Nov/2026:10:00:00 +0000] GET / 200 1', 'expected "request" after the timestamp'],
    ['1.2.3.4 - - [31/Foo/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"', 'invalid timestamp'],
    ['1.2.3.4 - - [22/Nov/2026:25:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"', 'invalid timestamp'],
    ['1.2.3.4 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1 200 1 "-" "-"', 'expected status and bytes'],
    ['1.2.3.4 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 2000 1 "-" "-"', 'invalid status'],
    ['1.2.3.4 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1x "-" "-"', 'invalid byte count'],
    [
      '1.2.3.4 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "unterminated',
      'unterminated "user agent"',
    ],
    ['1.2.3.4 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200', 'expected status and bytes'],
  ])('rejects %j: %s', (line, reason) => {
    expect(parse(line)).toBe(reason);
  });

  it('keeps HTML and control characters from the log as data, unchanged', () => {
    const line =
      '1.2.3.4 - - [22/Nov/2026:10:00:00 +0000] "GET /<img\x07src=x> HTTP/1.1" 200 1 "-" "<script>alert(\'x\')</script>\x1b[31m"';
    expect(parse(line)).toMatchObject({
      path: '/<img\x07src=x>',
      userAgent: "<script>alert('x')</script>\x1b[31m",
    });
  });
});

describe('trailing latency fields', () => {
  const latency = (rest: string) => trailingLatencyMs(rest, 0, rest.length);

  it.each([
    [' 0.123', 123],
    [' 0.123 0.120', 123],
    [' - 0.250', 250],
    [' - "0.100, 0.200 : 0.050"', 350],
    [' - -', NaN],
    [' rt=0.010 uct="0.001" urt="0.009"', 10],
    [' request_time=1.5', 1500],
    [' urt=0.100,0.200', 300],
    [' "10.1.1.1" 0.5', NaN],
    ['', NaN],
  ])('%j → %d ms', (rest, expected) => {
    if (Number.isNaN(expected)) expect(latency(rest)).toBeNaN();
    else expect(latency(rest)).toBeCloseTo(expected, 9);
  });
});
