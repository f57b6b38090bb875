import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientOf, parseClfTime, parseDecimal, parseIsoTime, pathOf } from './scan.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Formats epoch ms as nginx $time_local in a zone `offsetMinutes` east of UTC. */
function clfTime(ms: number, offsetMinutes: number): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}

const seconds = fc.integer({ min: Date.UTC(1971, 0, 1) / 1000, max: Date.UTC(2099, 11, 31) / 1000 });
const offsets = fc.integer({ min: -12 * 60, max: 14 * 60 });

describe('timestamps', () => {
  it('parses any common-log time in any zone to the same instant as Date', () => {
    fc.assert(
      fc.property(seconds, offsets, (s, offset) => {
        expect(parseClfTime(clfTime(s * 1000, offset), 0)).toBe(s * 1000);
      }),
    );
  });

  it('parses any ISO-8601 time as Date does', () => {
    fc.assert(
      fc.property(seconds, fc.integer({ min: 0, max: 999 }), (s, ms) => {
        const text = new Date(s * 1000 + ms).toISOString();
        expect(parseIsoTime(text, 0, text.length)).toBe(s * 1000 + ms);
      }),
    );
  });

  it('rejects impossible fields instead of rolling them over', () => {
    for (const text of [
      '32/Jan/2026:00:00:00 +0000',
      '01/Jan/2026:24:00:00 +0000',
      '01/jan/2026:00:00:00 +0000',
      '01/Jan/2026:00:00:00 0000',
    ]) {
      expect(parseClfTime(text, 0)).toBeNaN();
    }
    for (const text of [
      '2026-13-01T00:00:00Z',
      '2026-11-22T10:00:00Q',
      '2026-11-22T10:00',
      '2026-11-22T10:00:00.Z',
    ]) {
      expect(parseIsoTime(text, 0, text.length)).toBeNaN();
    }
  });
});

describe('fields', () => {
  it('parses decimals exactly for up to three places', () => {
    expect(parseDecimal('0.123', 0, 5, 1000)).toBe(123);
    expect(parseDecimal('-1', 0, 2, 1000)).toBe(-1000);
    expect(parseDecimal('12', 0, 2)).toBe(12);
    expect(parseDecimal('1.2.3', 0, 5)).toBeNaN();
    expect(parseDecimal('-', 0, 1)).toBeNaN();
    expect(parseDecimal('', 0, 0)).toBeNaN();
  });

  it.each([
    ['/a/b?c=d', '/a/b'],
    ['/a#frag', '/a'],
    ['http://example.com:80/x/y?z', '/x/y'],
    ['HTTPS://example.com', '/'],
    ['*', '*'],
    ['?only=query', ''],
  ])('path of %j is %j', (target, path) => {
    expect(pathOf(target, 0, target.length)).toBe(path);
  });

  it.each([
    ['192.0.2.1:443', true, '192.0.2.1'],
    ['192.0.2.1', false, '192.0.2.1'],
    ['[2001:db8::1]:443', false, '2001:db8::1'],
    ['2001:db8::1:443', true, '2001:db8::1'],
    ['2001:db8::1', false, '2001:db8::1'],
  ])('client of %j (port: %s) is %j', (text, hasPort, client) => {
    expect(clientOf(text, 0, text.length, hasPort)).toBe(client);
  });
});
