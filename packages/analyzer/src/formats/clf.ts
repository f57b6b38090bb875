/**
 * NCSA common and combined log formats, as nginx and Apache write them:
 *
 *   common:   $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent
 *   combined: common + ` "$http_referer" "$http_user_agent"`
 *
 * Either may carry trailing timing fields, read as latency:
 *   - positionally, right after the last standard field: `$request_time` (seconds) and then
 *     `$upstream_response_time` (seconds; `-`, or a list like `0.010, 0.020 : 0.005`);
 *   - or as `key=value` pairs anywhere after it: `rt=`/`request_time=` and
 *     `urt=`/`upstream_response_time=` (values optionally quoted).
 * Latency is `$request_time` when present, else the sum of the upstream times, else none.
 */
import type { LogRecord } from '../record.js';
import {
  CLF_TIME_LENGTH,
  closingQuote,
  find,
  parseClfTime,
  parseDecimal,
  parseRequestLine,
  parseUint,
} from './scan.js';
import type { LineParser } from './types.js';

const SPACE = 32;
const QUOTE = 34;
const DASH = 45;

export class ClfParser implements LineParser {
  reason = '';
  private readonly combined: boolean;

  constructor(readonly format: 'combined' | 'common') {
    this.combined = format === 'combined';
  }

  private fail(reason: string): false {
    this.reason = reason;
    return false;
  }

  parse(s: string, start: number, end: number, r: LogRecord): boolean {
    // $remote_addr
    const clientEnd = find(s, SPACE, start, end);
    if (clientEnd <= start) return this.fail('expected client address');
    // ` $remote_ident $remote_user [`: the user field may be anything up to ` [`.
    const open = find(s, 91, clientEnd, end);
    if (open < 0 || s.charCodeAt(open - 1) !== SPACE) return this.fail('expected [timestamp]');
    const timeEnd = open + 1 + CLF_TIME_LENGTH;
    if (timeEnd + 2 >= end || s.charCodeAt(timeEnd) !== 93) return this.fail('expected [timestamp]');
    const time = parseClfTime(s, open + 1);
    if (time !== time) return this.fail('invalid timestamp');
    if (s.charCodeAt(timeEnd + 1) !== SPACE || s.charCodeAt(timeEnd + 2) !== QUOTE) {
      return this.fail('expected "request" after the timestamp');
    }
    // "$request"
    const requestStart = timeEnd + 3;
    const requestEnd = closingQuote(s, requestStart, end);
    if (requestEnd < 0) return this.fail('unterminated "request"');
    // $status
    const statusStart = requestEnd + 2;
    const statusEnd = find(s, SPACE, statusStart, end);
    if (statusEnd < 0) return this.fail('expected status and bytes');
    let status = parseUint(s, statusStart, statusEnd);
    if (status < 0 || statusEnd - statusStart !== 3) {
      if (statusEnd - statusStart === 1 && s.charCodeAt(statusStart) === DASH) status = 0;
      else return this.fail('invalid status');
    }
    // $body_bytes_sent
    const bytesStart = statusEnd + 1;
    let bytesEnd = find(s, SPACE, bytesStart, end);
    if (bytesEnd < 0) bytesEnd = end;
    let bytes = parseUint(s, bytesStart, bytesEnd);
    if (bytes < 0) {
      if (bytesEnd - bytesStart === 1 && s.charCodeAt(bytesStart) === DASH) bytes = 0;
      else return this.fail('invalid byte count');
    }
    let rest = bytesEnd;
    let userAgent = '';
    if (this.combined) {
      // "$http_referer" "$http_user_agent"
      if (rest + 2 >= end || s.charCodeAt(rest + 1) !== QUOTE) return this.fail('expected "referer"');
      const refererEnd = closingQuote(s, rest + 2, end);
      if (refererEnd < 0 || refererEnd + 3 >= end || s.charCodeAt(refererEnd + 2) !== QUOTE) {
        return this.fail('expected "user agent"');
      }
      const agentStart = refererEnd + 3;
      const agentEnd = closingQuote(s, agentStart, end);
      if (agentEnd < 0) return this.fail('unterminated "user agent"');
      if (!(agentEnd - agentStart === 1 && s.charCodeAt(agentStart) === DASH)) {
        userAgent = s.substring(agentStart, agentEnd);
      }
      rest = agentEnd + 1;
    }
    r.latencyMs = rest < end ? trailingLatencyMs(s, rest, end) : NaN;
    r.timestampMs = time;
    parseRequestLine(s, requestStart, requestEnd, r);
    r.status = status;
    r.bytes = bytes;
    r.client = s.substring(start, clientEnd);
    r.userAgent = userAgent;
    return true;
  }
}

/**
 * Latency in ms from the fields after the standard ones (see the module comment); NaN when
 * none is found. `s[start]` is the space before the first trailing field.
 */
export function trailingLatencyMs(s: string, start: number, end: number): number {
  // Fast path for the usual ` $request_time[ …]`: a bare number first wins outright.
  const first = start + 1;
  const c = s.charCodeAt(first);
  if (s.charCodeAt(start) === SPACE && c >= 48 && c <= 57) {
    let tokenEnd = find(s, SPACE, first, end);
    if (tokenEnd < 0) tokenEnd = end;
    const ms = parseDecimal(s, first, tokenEnd, 1000);
    if (ms >= 0) return ms;
  }
  let requestMs = NaN;
  let upstreamMs = NaN;
  let position = 0;
  let i = start;
  while (i < end) {
    while (i < end && s.charCodeAt(i) === SPACE) i++;
    if (i >= end) break;
    position++;
    let tokenStart = i;
    let tokenEnd: number;
    if (s.charCodeAt(i) === QUOTE) {
      const close = closingQuote(s, i + 1, end);
      if (close < 0) break;
      tokenStart = i + 1;
      tokenEnd = close;
      i = close + 1;
    } else {
      tokenEnd = timeListEnd(s, i, end);
      if (tokenEnd === i) {
        tokenEnd = find(s, SPACE, i, end);
        if (tokenEnd < 0) tokenEnd = end;
      }
      i = tokenEnd;
    }
    const eq = find(s, 61, tokenStart, tokenEnd);
    if (eq > tokenStart) {
      let valueStart = eq + 1;
      let valueEnd = tokenEnd;
      if (s.charCodeAt(valueStart) === QUOTE) {
        const close = closingQuote(s, valueStart + 1, end);
        if (close < 0) break;
        valueStart++;
        valueEnd = close;
        i = close + 1;
      }
      const keyLength = eq - tokenStart;
      if (
        (keyLength === 2 && s.startsWith('rt', tokenStart)) ||
        (keyLength === 12 && s.startsWith('request_time', tokenStart))
      ) {
        requestMs = parseDecimal(s, valueStart, valueEnd, 1000);
      } else if (
        (keyLength === 3 && s.startsWith('urt', tokenStart)) ||
        (keyLength === 22 && s.startsWith('upstream_response_time', tokenStart))
      ) {
        upstreamMs = sumTimeListMs(s, valueStart, valueEnd);
      }
    } else if (position === 1) {
      requestMs = parseDecimal(s, tokenStart, tokenEnd, 1000);
      if (requestMs !== requestMs && !isDash(s, tokenStart, tokenEnd)) position = 2;
    } else if (position === 2 && requestMs !== requestMs) {
      // Only needed when $request_time is missing.
      upstreamMs = sumTimeListMs(s, tokenStart, tokenEnd);
    }
  }
  if (requestMs >= 0) return requestMs;
  if (upstreamMs >= 0) return upstreamMs;
  return NaN;
}

function isDash(s: string, start: number, end: number): boolean {
  return end - start === 1 && s.charCodeAt(start) === DASH;
}

/**
 * End of an nginx time list starting at `i` (`0.010`, `-`, `0.010, 0.020 : 0.005`); `i` when
 * the text there is not one.
 */
function timeListEnd(s: string, i: number, end: number): number {
  let j = i;
  let last = i;
  for (;;) {
    const itemStart = j;
    while (j < end) {
      const c = s.charCodeAt(j);
      if ((c >= 48 && c <= 57) || c === 46 || c === DASH) j++;
      else break;
    }
    if (j === itemStart) return last;
    last = j;
    // separators ", " / "," / " : "
    let k = j;
    if (s.charCodeAt(k) === 44) {
      k++;
      if (s.charCodeAt(k) === SPACE) k++;
    } else if (s.charCodeAt(k) === SPACE && s.charCodeAt(k + 1) === 58 && s.charCodeAt(k + 2) === SPACE) {
      k += 3;
    } else return last;
    j = k;
  }
}

/** Sum of the numbers of an nginx time list in ms; `-` items count as 0; NaN if none is a number. */
function sumTimeListMs(s: string, start: number, end: number): number {
  let total = NaN;
  let i = start;
  while (i < end) {
    let j = i;
    while (j < end) {
      const c = s.charCodeAt(j);
      if (c === 44 || c === SPACE || c === 58) break;
      j++;
    }
    if (j > i) {
      const ms = parseDecimal(s, i, j, 1000);
      if (ms >= 0) total = total === total ? total + ms : ms;
      else if (!isDash(s, i, j)) return NaN;
    }
    i = j + 1;
  }
  return total;
}
