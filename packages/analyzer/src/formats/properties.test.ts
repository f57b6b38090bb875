import fc from 'fast-check';
import { LOG_FORMATS } from '@logflow/shared-types';
import { describe, expect, it } from 'vitest';
import { emptyRecord } from '../record.js';
import { ClfParser } from './clf.js';
import { createParser } from './index.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** Characters a request target or user agent may carry in a log (no `"` or newline). */
const fieldChar = fc.constantFrom(...Array.from("abcXYZ019/._-~%&=+;:,()[]<>{}!*' \t\x01\x7fé€😀"));
const pathSegment = fc.string({
  unit: fc.constantFrom(...'abz09-._~%'.split('')),
  minLength: 1,
  maxLength: 12,
});

const combinedLine = fc.record({
  client: fc.oneof(fc.ipV4(), fc.ipV6()),
  user: fc.constantFrom('-', 'frank', 'a b'),
  seconds: fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2050, 0, 1) / 1000 }),
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'PROPFIND', 'MKCOL'),
  segments: fc.array(pathSegment, { maxLength: 4 }),
  query: fc.option(fc.string({ unit: fieldChar.filter((c) => c !== ' ' && c !== '\t'), maxLength: 10 }), {
    nil: undefined,
  }),
  status: fc.integer({ min: 100, max: 599 }),
  bytes: fc.option(fc.nat({ max: 1e9 }), { nil: undefined }),
  agent: fc.string({ unit: fieldChar, maxLength: 40 }).filter((a) => a !== '-' && !a.endsWith('\\')),
  requestMs: fc.option(fc.nat({ max: 600_000 }), { nil: undefined }),
});

describe('combined parser properties', () => {
  it('reads back every field of any well-formed line', () => {
    const parser = new ClfParser('combined');
    const record = emptyRecord();
    fc.assert(
      fc.property(combinedLine, (l) => {
        const d = new Date(l.seconds * 1000);
        const time = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
        const path = `/${l.segments.join('/')}`;
        const target = l.query === undefined ? path : `${path}?${l.query}`;
        const latency = l.requestMs === undefined ? '' : ` ${(l.requestMs / 1000).toFixed(3)} -`;
        const line = `${l.client} - ${l.user} [${time}] "${l.method} ${target} HTTP/1.1" ${l.status} ${l.bytes ?? '-'} "-" "${l.agent}"${latency}`;
        expect(parser.parse(line, 0, line.length, record)).toBe(true);
        expect(record).toEqual({
          timestampMs: l.seconds * 1000,
          method: l.method,
          path,
          status: l.status,
          bytes: l.bytes ?? 0,
          latencyMs: l.requestMs ?? NaN,
          client: l.client,
          userAgent: l.agent,
        });
      }),
    );
  });
});

describe('every parser on arbitrary input', () => {
  it.each(LOG_FORMATS)('%s never throws and fills a well-typed record when it accepts a line', (format) => {
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
  });
});
