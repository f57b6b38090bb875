import { describe, expect, it } from 'vitest';
import { emptyRecord, type LogRecord } from '../record.js';
import { compileFormatString, FormatStringError } from './format-string.js';
import { iso, parseFixture, records } from './parse-fixture.js';
import { createParser, formatStringParser } from './index.js';

describe('nginx combined with $request_time $upstream_response_time (nginx-timed)', () => {
  const lines = parseFixture('nginx-combined.log', 'nginx-timed');
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

  it('accepts a common line as combined (no referer, no user agent) but not a combined line as common', () => {
    const lines = parseFixture('apache-common.log', 'combined');
    expect(lines.every((line) => line.ok && line.record.userAgent === '')).toBe(true);
    const strict = parseFixture('apache-combined.log', 'common');
    expect(strict.every((line) => !line.ok && line.reason === 'invalid $body_bytes_sent')).toBe(true);
  });

  it('reads no latency from fields after the combined ones: a bare number is not a time unless the format says so', () => {
    const parser = createParser('combined');
    const record = emptyRecord();
    const line =
      '192.0.2.1 - - [22/Nov/2026:10:15:30 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8.5.0" 78 0.002 [default-web-8080]';
    expect(parser.parse(line, 0, line.length, record)).toBe(true);
    expect(record.latencyMs).toBeNaN();
  });
});

describe('malformed and hostile CLF lines', () => {
  const parser = createParser('combined');
  const parse = (line: string) => {
    const record = emptyRecord();
    return parser.parse(line, 0, line.length, record) ? record : parser.reason;
  };

  it.each([
    ['', 'expected " - " after $remote_addr'],
    ['<script>alert(1)</script>', 'expected " - " after $remote_addr'],
    ['<script> - alert(1)</script>', 'expected " [" after $remote_user'],
    ['1.2.3.4 - - [22/Nov/2026:10:00:00 +0000] GET / 200 1', 'expected "] \""'],
    ['1.2.3.4 - - [31/Foo/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"', 'invalid $time_local'],
    ['1.2.3.4 - - [22/Nov/2026:25:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"', 'invalid $time_local'],
    ['1.2.3.4 - - [30/Feb/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"', 'invalid $time_local'],
    ['1.2.3.4 - - [29/Feb/2025:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"', 'invalid $time_local'],
    ['1.2.3.4 - - [31/Apr/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"', 'invalid $time_local'],
    ['1.2.3.4 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1 200 1 "-" "-"', 'expected " " after $status'],
    ['1.2.3.4 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1x "-" "-"', 'invalid $body_bytes_sent'],
    ['1.2.3.4 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 2000 1 "-" "-"', 'invalid $status'],
    ['1.2.3.4 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 0x1F4 1 "-" "-"', 'invalid $status'],
    ['1.2.3.4 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 -5 "-" "-"', 'invalid $body_bytes_sent'],
    [
      '1.2.3.4 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 99999999999999999999 "-" "-"',
      'invalid $body_bytes_sent',
    ],
    [
      '1.2.3.4 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "unterminated',
      'expected "\"" after $http_user_agent',
    ],
    ['1.2.3.4 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200', 'expected " " after $status'],
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

describe('format strings: units from the directive', () => {
  const read = (parser: ReturnType<typeof formatStringParser>, line: string): LogRecord | string => {
    const record = emptyRecord();
    return parser.parse(line, 0, line.length, record) ? record : parser.reason;
  };

  it.each([
    ['%h %t "%r" %>s %b %D', ' 1500', 1.5],
    ['%h %t "%r" %>s %b %T', ' 2', 2000],
    ['%h %t "%r" %>s %b %{ms}T', ' 37', 37],
    ['%h %t "%r" %>s %b %{us}T', ' 2500', 2.5],
    ['%h %t "%r" %>s %b %{s}T', ' 3', 3000],
  ])('Apache %s reads %j as %d ms', (format, tail, ms) => {
    const parser = formatStringParser('apache', format);
    const line = `192.0.2.1 [10/Oct/2000:13:55:36 -0700] "GET /a HTTP/1.1" 200 -${tail}`;
    expect(read(parser, line)).toMatchObject({ latencyMs: ms, bytes: 0, status: 200, path: '/a' });
  });

  it('reads nginx $request_time in seconds and $msec as epoch seconds with milliseconds', () => {
    const parser = formatStringParser(
      'nginx',
      '$msec $remote_addr "$request" $status $bytes_sent $request_time',
    );
    expect(read(parser, '1764670530.123 192.0.2.1 "GET /x?y=1 HTTP/1.1" 404 153 0.250')).toMatchObject({
      timestampMs: 1764670530123,
      client: '192.0.2.1',
      path: '/x',
      status: 404,
      bytes: 153,
      latencyMs: 250,
    });
  });

  it('sums an upstream list "a, b : c" when the format has no $request_time', () => {
    const parser = formatStringParser(
      'nginx',
      '$remote_addr [$time_local] "$request" $status $upstream_response_time $host',
    );
    const line =
      '192.0.2.1 [22/Nov/2026:10:15:30 +0000] "GET / HTTP/1.1" 502 0.010, 0.020 : 0.005 shop.example.com';
    const record = read(parser, line) as LogRecord;
    expect(record.latencyMs).toBeCloseTo(35, 9);
    expect(record.host).toBe('shop.example.com');
    expect(read(parser, line.replace('0.010, 0.020 : 0.005', '-'))).toMatchObject({ latencyMs: NaN });
    expect(read(parser, line.replace('0.010, 0.020 : 0.005', '0.010, x'))).toBe(
      'invalid $upstream_response_time',
    );
  });

  it('skips unknown variables and any $http_* header, and takes $time_iso8601', () => {
    const parser = formatStringParser(
      'nginx',
      '$time_iso8601 $remote_addr $request_method $request_uri $status $body_bytes_sent $connection "$http_x_custom" $pipe',
    );
    expect(
      read(parser, '2026-11-22T10:15:30+01:00 192.0.2.9 POST /api?q=1 201 87 12345 "a b c" p'),
    ).toMatchObject({
      timestampMs: Date.UTC(2026, 10, 22, 9, 15, 30),
      method: 'POST',
      path: '/api',
      status: 201,
      bytes: 87,
      client: '192.0.2.9',
    });
  });

  it('joins the quoted pieces of a log_format as written in nginx.conf', () => {
    const parser = formatStringParser(
      'nginx',
      `'$remote_addr - $remote_user [$time_local] '
  '"$request" $status $body_bytes_sent'`,
    );
    expect(
      read(parser, '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326'),
    ).toMatchObject({
      status: 200,
      bytes: 2326,
    });
  });

  it('reads Apache modifiers, %% and configuration escapes', () => {
    const parser = formatStringParser(
      'apache',
      '%a %!200l %u [%{sec}t] \\"%r\\" %<s %>s %B 100%% "%{User-Agent}i"',
    );
    expect(
      read(parser, '192.0.2.7 - - [1764670530] "GET / HTTP/1.1" 302 200 12 100% "curl/8"'),
    ).toMatchObject({
      timestampMs: 1764670530000,
      status: 200,
      bytes: 12,
      userAgent: 'curl/8',
    });
  });

  it('takes the client from the first public X-Forwarded-For address only when asked', () => {
    const source = '$remote_addr "$http_x_forwarded_for" "$request" $status $body_bytes_sent';
    const line = '10.0.0.5 "10.1.2.3, 203.0.113.7, 198.51.100.2" "GET / HTTP/1.1" 200 5';
    expect(read(formatStringParser('nginx', source), line)).toMatchObject({ client: '10.0.0.5' });
    expect(read(formatStringParser('nginx', source, { clientFromForwardedFor: true }), line)).toMatchObject({
      client: '203.0.113.7',
    });
    const privateOnly = '10.0.0.5 "10.1.2.3, 192.168.0.1" "GET / HTTP/1.1" 200 5';
    expect(
      read(formatStringParser('nginx', source, { clientFromForwardedFor: true }), privateOnly),
    ).toMatchObject({
      client: '10.0.0.5',
    });
  });

  it('takes any text as a literal, quotes, backslashes and template syntax included, never as code', () => {
    const source = '$status \'"\\ ${x} */ `$(id)` \n\u2028 $body_bytes_sent';
    const parser = formatStringParser('nginx', source);
    const line = source.replace('$status', '204').replace('$body_bytes_sent', '7').replace('${x}', 'v');
    expect(read(parser, line)).toMatchObject({ status: 204, bytes: 7 });
    expect(read(parser, line.replace('*/', '*|'))).toMatch(/^expected "/);
  });

  it('refuses format strings it cannot split', () => {
    expect(() => compileFormatString('nginx', '$remote_addr$status')).toThrow(FormatStringError);
    expect(() => compileFormatString('nginx', '$remote_addr$status')).toThrow(
      /\$remote_addr and \$status are not separated/,
    );
    expect(() => compileFormatString('nginx', '')).toThrow(/empty/);
    expect(() => compileFormatString('nginx', 'no variables')).toThrow(/no fields/);
    expect(() => compileFormatString('apache', '%h %{User-Agent')).toThrow(/unterminated/);
    // A fixed-width field may be followed by another field.
    expect(() => compileFormatString('nginx', '$time_local$status')).not.toThrow();
  });
});
