/**
 * HAProxy's HTTP log (`option httplog`), with or without the syslog prefix:
 *
 *   [Feb  6 12:14:14 localhost haproxy[14389]: ]10.0.1.2:33317 [06/Feb/2009:12:14:14.655]
 *   http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} {}
 *   "GET /index.html HTTP/1.1"
 *
 * The accept date has no zone and is taken as UTC. Latency is the last timer, the total time in
 * ms (`Ta`, or `Tt` before HAProxy 1.5; `+` marks it as logged early); status `-1` (aborted)
 * counts as none.
 */
import type { LogRecord } from '../record.js';
import { FieldCursor } from './fields.js';
import { clientOf, parseClfDateTime, parseRequestLine, parseUint } from './scan.js';
import type { LineParser } from './types.js';

export class HaproxyParser implements LineParser {
  readonly format = 'haproxy-http' as const;
  reason = '';
  private readonly fields = new FieldCursor();

  private fail(reason: string): false {
    this.reason = reason;
    return false;
  }

  parse(s: string, start: number, end: number, r: LogRecord): boolean {
    // The accept date `[dd/Mon/yyyy:HH:MM:SS.mmm]` anchors the line; the client is just before it.
    let open = s.indexOf(' [', start);
    while (open >= 0 && open < end && !(s.charCodeAt(open + 4) === 47 && s.charCodeAt(open + 8) === 47)) {
      open = s.indexOf(' [', open + 1);
    }
    if (open < 0 || open >= end) return this.fail('expected [accept date]');
    const clientFrom = s.lastIndexOf(' ', open - 1) + 1;
    const clientStart = clientFrom < start ? start : clientFrom;
    const dateAt = open + 2;
    let time = parseClfDateTime(s, dateAt);
    if (time !== time) return this.fail('invalid accept date');
    let i = dateAt + 20;
    if (s.charCodeAt(i) === 46) {
      const ms = parseUint(s, i + 1, i + 4);
      if (ms < 0) return this.fail('invalid accept date');
      time += ms;
      i += 4;
    }
    if (s.charCodeAt(i) !== 93) return this.fail('expected [accept date]');
    const f = this.fields;
    f.reset(s, i + 1, end);
    if (!f.next() || !f.next()) return this.fail('expected frontend and backend/server');
    if (s.indexOf('/', f.from) < 0 || s.indexOf('/', f.from) >= f.to)
      return this.fail('expected backend/server');
    if (!f.next()) return this.fail('expected timers');
    const lastSlash = s.lastIndexOf('/', f.to - 1);
    if (lastSlash < f.from) return this.fail('expected timers');
    let totalFrom = lastSlash + 1;
    if (s.charCodeAt(totalFrom) === 43) totalFrom++;
    const total = parseUint(s, totalFrom, f.to);
    if (total < 0) return this.fail('invalid total time');
    if (!f.next()) return this.fail('expected status');
    let status = parseUint(s, f.from, f.to);
    if (f.to - f.from === 2 && s.startsWith('-1', f.from)) status = 0;
    else if (status < 0 || f.to - f.from !== 3) return this.fail('invalid status');
    if (!f.next()) return this.fail('expected bytes read');
    const bytes = parseUint(s, s.charCodeAt(f.from) === 43 ? f.from + 1 : f.from, f.to);
    if (bytes < 0) return this.fail('invalid bytes read');
    // The request is the last field, quoted.
    if (s.charCodeAt(end - 1) !== 34) return this.fail('expected "request" at the end');
    const requestOpen = s.lastIndexOf(' "', end - 2);
    if (requestOpen < f.to) return this.fail('expected "request" at the end');
    r.timestampMs = time;
    parseRequestLine(s, requestOpen + 2, end - 1, r);
    r.status = status;
    r.bytes = bytes;
    r.latencyMs = total;
    r.client = clientOf(s, clientStart, open, true);
    r.userAgent = '';
    r.host = '';
    return true;
  }
}
