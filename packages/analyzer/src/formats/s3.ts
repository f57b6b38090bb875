/**
 * Amazon S3 server access logs: `bucket_owner bucket [time] remote_ip requester request_id
 * operation key "request_uri" http_status error_code bytes_sent object_size total_time
 * turn_around_time "referer" "user_agent" version_id …` (later fields ignored). Total Time is
 * in milliseconds; any field may be `-`.
 */
import type { LogRecord } from '../record.js';
import { FieldCursor } from './fields.js';
import { CLF_TIME_LENGTH, find, parseClfTime, parseDecimal, parseRequestLine, parseUint } from './scan.js';
import type { LineParser } from './types.js';

export class S3Parser implements LineParser {
  readonly format = 's3' as const;
  reason = '';
  private readonly fields = new FieldCursor();

  private fail(reason: string): false {
    this.reason = reason;
    return false;
  }

  parse(s: string, start: number, end: number, r: LogRecord): boolean {
    const f = this.fields;
    f.reset(s, start, end);
    if (!f.skip(2) || !f.next()) return this.fail('expected bucket owner, bucket and [time]');
    if (s.charCodeAt(f.from - 1) !== 91 || f.to - f.from !== CLF_TIME_LENGTH)
      return this.fail('expected [time]');
    const time = parseClfTime(s, f.from);
    if (time !== time) return this.fail('invalid time');
    if (!f.next()) return this.fail('expected remote IP');
    const clientFrom = f.from;
    const clientTo = f.to;
    if (!f.skip(2) || !f.next()) return this.fail('expected operation');
    if (find(s, 46, f.from, f.to) < 0) return this.fail('invalid operation');
    if (!f.skip(1) || !f.next()) return this.fail('expected "request_uri"');
    const requestFrom = f.from;
    const requestTo = f.to;
    if (!f.next()) return this.fail('expected http status');
    let status = parseUint(s, f.from, f.to);
    if (status < 0) {
      if (!f.isDash()) return this.fail('invalid http status');
      status = 0;
    }
    if (!f.skip(1) || !f.next()) return this.fail('expected bytes sent');
    let bytes = parseUint(s, f.from, f.to);
    if (bytes < 0) {
      if (!f.isDash()) return this.fail('invalid bytes sent');
      bytes = 0;
    }
    if (!f.skip(1) || !f.next()) return this.fail('expected total time');
    const latencyMs = f.isDash() ? NaN : parseDecimal(s, f.from, f.to);
    if (latencyMs !== latencyMs && !f.isDash()) return this.fail('invalid total time');
    if (!f.skip(2) || !f.next()) return this.fail('expected "referer" and "user_agent"');
    const agentFrom = f.from;
    const agentTo = f.to;
    r.timestampMs = time;
    parseRequestLine(s, requestFrom, requestTo, r);
    r.status = status;
    r.bytes = bytes;
    r.latencyMs = latencyMs;
    r.client =
      clientTo - clientFrom === 1 && s.charCodeAt(clientFrom) === 45 ? '' : s.substring(clientFrom, clientTo);
    r.userAgent =
      agentTo - agentFrom === 1 && s.charCodeAt(agentFrom) === 45 ? '' : s.substring(agentFrom, agentTo);
    r.host = '';
    return true;
  }
}
