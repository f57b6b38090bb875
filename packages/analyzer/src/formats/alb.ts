/**
 * AWS Application Load Balancer access logs: space-separated fields, some quoted, in the order
 * `type time elb client:port target:port request_processing_time target_processing_time
 * response_processing_time elb_status_code target_status_code received_bytes sent_bytes
 * "request" "user_agent" ssl_cipher ssl_protocol target_group_arn …` (later fields ignored;
 * AWS appends new ones at the end).
 *
 * Latency is the sum of the three processing times (seconds). A time of -1 means the load
 * balancer could not complete that step (e.g. the target closed the connection), so such a
 * request has no latency rather than an understated one.
 */
import type { LogRecord } from '../record.js';
import { FieldCursor } from './fields.js';
import { clientOf, parseDecimal, parseIsoTime, parseRequestLine, parseUint } from './scan.js';
import type { LineParser } from './types.js';

const TYPES = new Set(['http', 'https', 'h2', 'grpcs', 'ws', 'wss']);

export class AlbParser implements LineParser {
  readonly format = 'alb' as const;
  reason = '';
  private readonly fields = new FieldCursor();

  private fail(reason: string): false {
    this.reason = reason;
    return false;
  }

  parse(s: string, start: number, end: number, r: LogRecord): boolean {
    const f = this.fields;
    f.reset(s, start, end);
    if (!f.next() || f.to - f.from > 5 || !TYPES.has(s.substring(f.from, f.to))) {
      return this.fail('expected a request type (http, https, h2, grpcs, ws, wss)');
    }
    if (!f.next()) return this.fail('expected time');
    const time = parseIsoTime(s, f.from, f.to);
    if (time !== time) return this.fail('invalid time');
    if (!f.next() || !f.next()) return this.fail('expected client:port');
    const clientFrom = f.from;
    const clientTo = f.to;
    if (!f.next()) return this.fail('expected target:port');
    let latencyMs = 0;
    for (let k = 0; k < 3; k++) {
      if (!f.next()) return this.fail('expected processing times');
      const ms = parseDecimal(s, f.from, f.to, 1000);
      if (ms !== ms) return this.fail('invalid processing time');
      latencyMs = ms < 0 || latencyMs !== latencyMs ? NaN : latencyMs + ms;
    }
    if (!f.next()) return this.fail('expected elb_status_code');
    let status = parseUint(s, f.from, f.to);
    if (status < 0) {
      if (!f.isDash()) return this.fail('invalid elb_status_code');
      status = 0;
    }
    if (!f.skip(2) || !f.next()) return this.fail('expected sent_bytes');
    let bytes = parseUint(s, f.from, f.to);
    if (bytes < 0) {
      if (!f.isDash()) return this.fail('invalid sent_bytes');
      bytes = 0;
    }
    if (!f.next() || s.charCodeAt(f.from - 1) !== 34) return this.fail('expected "request"');
    const requestFrom = f.from;
    const requestTo = f.to;
    if (!f.next() || s.charCodeAt(f.from - 1) !== 34) return this.fail('expected "user_agent"');
    const agentFrom = f.from;
    const agentTo = f.to;
    if (!f.skip(3)) return this.fail('expected ssl_cipher, ssl_protocol and target_group_arn');
    r.timestampMs = time;
    parseRequestLine(s, requestFrom, requestTo, r);
    r.status = status;
    r.bytes = bytes;
    r.latencyMs = latencyMs;
    r.client = clientOf(s, clientFrom, clientTo, true);
    r.userAgent =
      agentTo - agentFrom === 1 && s.charCodeAt(agentFrom) === 45 ? '' : s.substring(agentFrom, agentTo);
    r.host = '';
    return true;
  }
}
