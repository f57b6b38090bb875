/**
 * ISO-8601 extended offset date-times as Step Functions accepts them (`2016-03-14T01:59:00Z`,
 * `...T01:59:00.123456789+01:00`): a `T` separator, an offset, valid field ranges.
 */
const RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$/;

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Nanoseconds since the epoch, or null when the text is not a valid timestamp. */
export function parseTimestamp(text: unknown): bigint | null {
  if (typeof text !== 'string') return null;
  const m = RE.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  const frac = (m[7] ?? '').padEnd(9, '0');
  let offsetMinutes = 0;
  const off = m[8] as string;
  if (off !== 'Z' && off !== 'z') {
    const oh = Number(off.slice(1, 3));
    const om = Number(off.slice(4, 6));
    if (oh > 18 || om > 59) return null;
    offsetMinutes = (off[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - offsetMinutes * 60_000;
  return BigInt(ms) * 1_000_000n + BigInt(frac);
}

/** Milliseconds since the epoch of a valid timestamp. */
export function timestampMillis(text: string): number | null {
  const ns = parseTimestamp(text);
  return ns === null ? null : Number(ns / 1_000_000n);
}
