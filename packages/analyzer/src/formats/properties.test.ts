import fc from 'fast-check';
import { LOG_FORMATS } from '@logflow/shared-types';
import { describe, expect, it } from 'vitest';
import { emptyRecord, type LogRecord } from '../record.js';
import { createParser, formatStringParser } from './index.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** Characters a request target or user agent may carry in a log (no `"` or newline). */
const fieldChar = fc.constantFrom(...Array.from("abcXYZ019/._-~%&=+;:,()[]<>{}!*' \t\x01\x7fé€😀"));
const pathSegment = fc.string({
  unit: fc.constantFrom(...'abz09-._~%'.split('')),
  minLength: 1,
  maxLength: 12,
});

interface Item {
  nginx: string;
  apache: string;
  /** The value as written in the line, and what the record must then hold. */
  value: fc.Arbitrary<{ text: string; expect: Partial<LogRecord> }>;
  /** How Apache writes the value when it differs (a header with spaces needs quotes there). */
  apacheText?: (text: string) => string;
}

const timeItem = fc
  .integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2050, 0, 1) / 1000 })
  .map((seconds) => {
    const d = new Date(seconds * 1000);
    const text = `[${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000]`;
    return { text, expect: { timestampMs: seconds * 1000 } };
  });

const requestItem = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'PROPFIND', 'MKCOL'),
    segments: fc.array(pathSegment, { maxLength: 4 }),
    query: fc.option(fc.string({ unit: fieldChar.filter((c) => c !== ' ' && c !== '\t'), maxLength: 10 }), {
      nil: undefined,
    }),
  })
  .map(({ method, segments, query }) => {
    const path = `/${segments.join('/')}`;
    const target = query === undefined ? path : `${path}?${query}`;
    return { text: `"${method} ${target} HTTP/1.1"`, expect: { method, path } };
  });

const agentItem = fc
  .string({ unit: fieldChar, maxLength: 40 })
  .filter((a) => a !== '-' && !a.endsWith('\\'))
  .map((agent) => ({ text: `"${agent}"`, expect: { userAgent: agent } }));

/** The pool a random format is drawn from: one item per role, written as nginx and Apache write it. */
const ITEMS: readonly Item[] = [
  {
    nginx: '$remote_addr',
    apache: '%h',
    value: fc.oneof(fc.ipV4(), fc.ipV6()).map((ip) => ({ text: ip, expect: { client: ip } })),
  },
  { nginx: '[$time_local]', apache: '%t', value: timeItem },
  { nginx: '"$request"', apache: '"%r"', value: requestItem },
  {
    nginx: '$status',
    apache: '%>s',
    value: fc.integer({ min: 100, max: 599 }).map((s) => ({ text: String(s), expect: { status: s } })),
  },
  {
    nginx: '$body_bytes_sent',
    apache: '%B',
    value: fc.nat({ max: 1e12 }).map((b) => ({ text: String(b), expect: { bytes: b } })),
  },
  {
    nginx: '$request_time',
    apache: '%{ms}T',
    value: fc.nat({ max: 600_000 }).map((ms) => ({ text: String(ms), expect: { latencyMs: ms } })),
  },
  { nginx: '"$http_user_agent"', apache: '"%{User-Agent}i"', value: agentItem },
  {
    nginx: '"$http_referer"',
    apache: '"%{Referer}i"',
    value: agentItem.map((a) => ({ text: a.text, expect: {} })),
  },
  {
    nginx: '$host',
    apache: '%v',
    value: fc.domain().map((host) => ({ text: host, expect: { host } })),
  },
  {
    nginx: '$upstream_addr',
    apache: '"%{X-Upstream}o"',
    apacheText: (text) => `"${text}"`,
    value: fc
      .array(
        fc.ipV4().map((ip) => `${ip}:80`),
        { minLength: 1, maxLength: 3 },
      )
      .map((list) => ({ text: list.join(', '), expect: {} })),
  },
];

describe('format strings written and read back', () => {
  it.each(['nginx', 'apache'] as const)(
    '%s: a line written from any format string parses back to its fields',
    (dialect) => {
      const record = emptyRecord();
      fc.assert(
        fc.property(
          fc
            .shuffledSubarray([...ITEMS], { minLength: 1 })
            .chain((items) => fc.tuple(fc.constant(items), fc.tuple(...items.map((item) => item.value)))),
          ([items, values]) => {
            // In Apache the request time is in %{ms}T (ms); in nginx $request_time is seconds.
            const texts = values.map((v, k) =>
              dialect === 'nginx' && items[k]!.nginx === '$request_time'
                ? (Number(v.text) / 1000).toFixed(3)
                : dialect === 'apache' && items[k]!.apacheText
                  ? items[k]!.apacheText!(v.text)
                  : v.text,
            );
            const format = items.map((item) => (dialect === 'nginx' ? item.nginx : item.apache)).join(' ');
            const line = texts.join(' ');
            const parser = formatStringParser(dialect, format);
            expect(parser.parse(line, 0, line.length, record), `${format}\n${line}\n${parser.reason}`).toBe(
              true,
            );
            const expected = Object.assign({}, ...values.map((v) => v.expect)) as Partial<LogRecord>;
            for (const [key, value] of Object.entries(expected)) {
              if (key === 'latencyMs') expect(record.latencyMs).toBeCloseTo(value as number, 6);
              else expect(record[key as keyof LogRecord]).toEqual(value);
            }
            if (!('timestampMs' in expected)) expect(record.timestampMs).toBeNaN();
            if (!('latencyMs' in expected)) expect(record.latencyMs).toBeNaN();
          },
        ),
        { numRuns: 300 },
      );
    },
  );
});

describe('every parser on arbitrary input', () => {
  it.each(LOG_FORMATS.filter((f) => !f.endsWith('-format')))(
    '%s never throws and fills a well-typed record when it accepts a line',
    (format) => {
      const parser = createParser(format);
      const record = emptyRecord();
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string({ maxLength: 300 }),
            fc.string({
              unit: fc.constantFrom(' ', '"', '[', ']', '-', '\t', '{', '}', ':', '/', '1', 'a', '#', '\\'),
              maxLength: 200,
            }),
          ),
          (line) => {
            const accepted = parser.parse(line, 0, line.length, record);
            if (!accepted) {
              expect(parser.reason).not.toBe('');
              return;
            }
            expect(typeof record.path).toBe('string');
            expect(typeof record.client).toBe('string');
            expect(Number.isInteger(record.status) && record.status >= 0).toBe(true);
            expect(record.bytes >= 0).toBe(true);
            expect(Number.isNaN(record.latencyMs) || record.latencyMs >= 0).toBe(true);
          },
        ),
        { numRuns: 500 },
      );
    },
  );
});
