/**
 * Scanning helpers shared by the parsers. Each reads `s` between `start` (inclusive) and
 * `end` (exclusive) with charCodeAt and single-character indexOf: no regular expressions and
 * no substrings except the field values they return. A line is its own string, so a search
 * never runs past the end of its line.
 */
import type { LogRecord } from '../record.js';

const SPACE = 32;
const BACKSLASH = 92;

const CHAR = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));

/** Index of the first `code` (ASCII) in `s[from, end)`, or -1. */
export function find(s: string, code: number, from: number, end: number): number {
  const i = s.indexOf(CHAR[code]!, from);
  return i < end ? i : -1;
}

/**
 * Index of the quote closing a quoted field that starts at `from` (just after the opening
 * quote): a `"` not escaped by a backslash and followed by a space or the end of the line.
 */
export function closingQuote(s: string, from: number, end: number): number {
  let i = from;
  for (;;) {
    const q = s.indexOf('"', i);
    if (q < 0 || q >= end) return -1;
    if (q + 1 === end || s.charCodeAt(q + 1) === SPACE) {
      let backslashes = 0;
      while (q - backslashes - 1 >= from && s.charCodeAt(q - backslashes - 1) === BACKSLASH) backslashes++;
      if ((backslashes & 1) === 0) return q;
    }
    i = q + 1;
  }
}

/** Non-negative integer in `s[start, end)`; -1 when empty or not all digits. */
export function parseUint(s: string, start: number, end: number): number {
  if (start >= end || end - start > 15) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Decimal number of seconds (`12`, `0.123`, `-1`) in `s[start, end)` converted to
 * milliseconds; NaN when it is not a number. Exact for up to three decimals.
 */
export function parseSecondsAsMs(s: string, start: number, end: number): number {
  return parseDecimal(s, start, end, 1000);
}

/** Decimal number in `s[start, end)` multiplied by `scale`; NaN when it is not a number. */
export function parseDecimal(s: string, start: number, end: number, scale = 1): number {
  let i = start;
  let negative = false;
  if (i < end && s.charCodeAt(i) === 45) {
    negative = true;
    i++;
  }
  if (i >= end) return NaN;
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 && decimals < 0) {
      decimals = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) return NaN;
    mantissa = mantissa * 10 + d;
    digits++;
    if (decimals >= 0) decimals++;
    if (digits > 15) return NaN;
  }
  if (digits === 0) return NaN;
  const value = decimals > 0 ? (mantissa * scale) / POW10[decimals]! : mantissa * scale;
  return negative ? -value : value;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16];

/** Two decimal digits at `i`, or NaN. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return NaN;
  return a * 10 + b;
}

/** Four decimal digits at `i`, or NaN. */
function digits4(s: string, i: number): number {
  return digits2(s, i) * 100 + digits2(s, i + 2);
}

const MONTH_BY_KEY = new Map<number, number>(
  ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((name, index) => [
    monthKey(name.charCodeAt(0), name.charCodeAt(1), name.charCodeAt(2)),
    index + 1,
  ]),
);

function monthKey(a: number, b: number, c: number): number {
  return (a << 16) | (b << 8) | c;
}

let cachedMonthKey = -1;
let cachedMonth = 0;

// One-entry caches: consecutive log lines almost always fall in the same month and day.
let cachedDayKey = -1;
let cachedDayMs = 0;

/** Epoch milliseconds of 00:00 UTC on a proleptic Gregorian date; NaN when out of range. */
export function utcMidnightMs(year: number, month: number, day: number): number {
  const key = year * 512 + month * 32 + day;
  if (key === cachedDayKey) return cachedDayMs;
  if (!(month >= 1 && month <= 12 && day >= 1 && year >= 1970 && year <= 9999)) return NaN;
  // 30 February and 31 April do not exist (Date.UTC would roll them into the next month).
  if (day > 28 && day > daysInMonth(year, month)) return NaN;
  // Days from civil (H. Hinnant's algorithm), exact integer arithmetic.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const ms = (era * 146097 + doe - 719468) * 86_400_000;
  cachedDayKey = key;
  cachedDayMs = ms;
  return ms;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function timeOfDayMs(hour: number, minute: number, second: number): number {
  if (!(hour <= 23 && minute <= 59 && second <= 60)) return NaN;
  return (hour * 3600 + minute * 60 + second) * 1000;
}

/** Length of a common-log timestamp `10/Oct/2000:13:55:36 -0700`. */
export const CLF_TIME_LENGTH = 26;

/** Parses a common-log timestamp `dd/Mon/yyyy:HH:MM:SS ±hhmm` at `i` to epoch ms (UTC); NaN if invalid. */
export function parseClfTime(s: string, i: number): number {
  if (s.charCodeAt(i + 20) !== SPACE) return NaN;
  const local = parseClfDateTime(s, i);
  const sign = s.charCodeAt(i + 21);
  const offsetMinutes = digits2(s, i + 22) * 60 + digits2(s, i + 24);
  if (sign === 43) return local - offsetMinutes * 60_000;
  if (sign === 45) return local + offsetMinutes * 60_000;
  return NaN;
}

/** Parses `dd/Mon/yyyy:HH:MM:SS` (20 characters, no zone) at `i` to epoch ms as if UTC; NaN if invalid. */
export function parseClfDateTime(s: string, i: number): number {
  if (s.charCodeAt(i + 2) !== 47 || s.charCodeAt(i + 6) !== 47 || s.charCodeAt(i + 11) !== 58) return NaN;
  if (s.charCodeAt(i + 14) !== 58 || s.charCodeAt(i + 17) !== 58) return NaN;
  const key = monthKey(s.charCodeAt(i + 3), s.charCodeAt(i + 4), s.charCodeAt(i + 5));
  let month = cachedMonth;
  if (key !== cachedMonthKey) {
    const found = MONTH_BY_KEY.get(key);
    if (found === undefined) return NaN;
    cachedMonthKey = key;
    cachedMonth = month = found;
  }
  const day = utcMidnightMs(digits4(s, i + 7), month, digits2(s, i));
  return day + timeOfDayMs(digits2(s, i + 12), digits2(s, i + 15), digits2(s, i + 18));
}

/** Parses a `YYYY-MM-DD` date at `i` to the epoch ms of its UTC midnight; NaN if invalid. */
export function parseIsoDate(s: string, i: number): number {
  if (s.charCodeAt(i + 4) !== 45 || s.charCodeAt(i + 7) !== 45) return NaN;
  return utcMidnightMs(digits4(s, i), digits2(s, i + 5), digits2(s, i + 8));
}

/** Parses `HH:MM:SS` at `i` to milliseconds since midnight; NaN if invalid. */
export function parseClock(s: string, i: number): number {
  if (s.charCodeAt(i + 2) !== 58 || s.charCodeAt(i + 5) !== 58) return NaN;
  return timeOfDayMs(digits2(s, i), digits2(s, i + 3), digits2(s, i + 6));
}

/**
 * Parses an ISO-8601 timestamp `YYYY-MM-DD[T ]HH:MM:SS[.fff…][Z|±HH[:]MM]` occupying exactly
 * `s[start, end)` to epoch ms; no zone means UTC. NaN if invalid.
 */
export function parseIsoTime(s: string, start: number, end: number): number {
  if (end - start < 19) return NaN;
  const sep = s.charCodeAt(start + 10);
  if (sep !== 84 && sep !== SPACE && sep !== 116) return NaN;
  let ms = parseIsoDate(s, start) + parseClock(s, start + 11);
  let i = start + 19;
  if (i < end && s.charCodeAt(i) === 46) {
    i++;
    let scale = 100;
    const digitsStart = i;
    for (; i < end; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      ms += d * scale;
      scale /= 10;
    }
    if (i === digitsStart) return NaN;
    ms = Math.floor(ms);
  }
  if (i === end) return ms;
  const zone = s.charCodeAt(i);
  if ((zone === 90 || zone === 122) && i + 1 === end) return ms;
  if (zone !== 43 && zone !== 45) return NaN;
  const hours = digits2(s, i + 1);
  let minutes = 0;
  if (i + 3 === end) minutes = 0;
  else if (i + 6 === end && s.charCodeAt(i + 3) === 58) minutes = digits2(s, i + 4);
  else if (i + 5 === end) minutes = digits2(s, i + 3);
  else return NaN;
  const offset = (hours * 60 + minutes) * 60_000;
  return zone === 43 ? ms - offset : ms + offset;
}

const METHODS = ['GET', 'POST', 'PUT', 'HEAD', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE', 'PROPFIND'];

/** HTTP method token in `s[start, end)`: a shared constant for common methods; '' unless A-Z only. */
export function methodOf(s: string, start: number, end: number): string {
  const length = end - start;
  if (length < 1 || length > 16) return '';
  const c0 = s.charCodeAt(start);
  if (length === 3 && c0 === 71 && s.charCodeAt(start + 1) === 69 && s.charCodeAt(start + 2) === 84)
    return 'GET';
  if (length === 4 && c0 === 80 && s.charCodeAt(start + 1) === 79 && s.startsWith('ST', start + 2))
    return 'POST';
  for (const method of METHODS) {
    if (method.length === length && s.startsWith(method, start)) return method;
  }
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 65 || c > 90) return '';
  }
  return s.substring(start, end);
}

/**
 * Path of a request target in `s[start, end)`: the query string and fragment removed, and for
 * an absolute URI (`http://host:port/path`, as proxies and load balancers log it) the scheme and
 * authority removed too. '' when there is no target.
 */
export function pathOf(s: string, start: number, end: number): string {
  let a = start;
  if (a >= end) return '';
  const first = s.charCodeAt(a);
  if (first !== 47 && end - a > 7 && (first === 104 || first === 72)) {
    // http:// or https:// (any case): skip scheme and authority.
    const colon = find(s, 58, a, Math.min(end, a + 6));
    if (colon > 0 && s.charCodeAt(colon + 1) === 47 && s.charCodeAt(colon + 2) === 47) {
      const slash = find(s, 47, colon + 3, end);
      if (slash < 0) return '/';
      a = slash;
    }
  }
  let b = a;
  for (; b < end; b++) {
    const c = s.charCodeAt(b);
    if (c === 63 || c === 35) break;
  }
  if (b === a) return '';
  if (b - a === 1 && s.charCodeAt(a) === 47) return '/';
  return s.substring(a, b);
}

/**
 * Fills `method` and `path` of `r` from an HTTP request line `METHOD target PROTOCOL` in
 * `s[start, end)`. A `-` or unparseable request line leaves both ''.
 */
export function parseRequestLine(s: string, start: number, end: number, r: LogRecord): void {
  r.method = '';
  r.path = '';
  const sp1 = find(s, SPACE, start, end);
  if (sp1 < 0) return;
  const method = methodOf(s, start, sp1);
  if (method === '') return;
  r.method = method;
  let targetEnd = find(s, SPACE, sp1 + 1, end);
  if (targetEnd < 0) targetEnd = end;
  r.path = pathOf(s, sp1 + 1, targetEnd);
}

/**
 * Client address in `s[start, end)` without its port: `1.2.3.4:5678` → `1.2.3.4`,
 * `[2001:db8::1]:443` → `2001:db8::1`. With `hasPort` an unbracketed IPv6 address
 * (`2001:db8::1:443`, as ALB logs it) loses its last `:segment`.
 */
export function clientOf(s: string, start: number, end: number, hasPort: boolean): string {
  if (start >= end) return '';
  if (s.charCodeAt(start) === 91) {
    const close = find(s, 93, start + 1, end);
    return close < 0 ? s.substring(start, end) : s.substring(start + 1, close);
  }
  let colons = 0;
  let last = -1;
  for (let i = start; i < end; i++) {
    if (s.charCodeAt(i) === 58) {
      colons++;
      last = i;
    }
  }
  if (colons === 1 || (hasPort && colons > 1)) return s.substring(start, last);
  return s.substring(start, end);
}

/** Decodes %XX escapes (as CloudFront writes its user agents); the input when not valid. */
export function percentDecode(value: string): string {
  if (value.indexOf('%') < 0) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
