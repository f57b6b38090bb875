/**
 * JSON lines: one JSON object per line, e.g. nginx `log_format … escape=json` or an
 * application's structured access log. Each record field is read from the first of a list of
 * usual field names that is present (dotted names reach into nested objects); a
 * `JsonFieldMapping` names the field explicitly instead. The defaults cover nginx/Apache-style
 * names, common application names and Elastic Common Schema (`http.response.status_code`,
 * `url.path`, `event.duration` in ns …). A line must be an object with at least a status or a
 * path field.
 */
import type { LogRecord } from '../record.js';
import { clientOf, methodOf, parseClfTime, parseIsoTime, pathOf } from './scan.js';
import type { LineParser } from './types.js';

export type LatencyUnit = 's' | 'ms' | 'us' | 'ns';

/** Names (dotted for nested objects) of the JSON fields to read; unset ones use the defaults. */
export interface JsonFieldMapping {
  time?: string;
  method?: string;
  /** A path, URI or URL; a full request line (`GET /x HTTP/1.1`) also works. */
  path?: string;
  status?: string;
  bytes?: string;
  latency?: string;
  /** Unit of the `latency` field; defaults to `ms`. */
  latencyUnit?: LatencyUnit;
  client?: string;
  userAgent?: string;
}

/** Default candidates, tried in order. */
export const DEFAULT_JSON_FIELDS = {
  time: ['time', 'timestamp', '@timestamp', 'ts', 'time_iso8601', 'time_local', 'datetime', 'date'],
  method: [
    'method',
    'request_method',
    'http_method',
    'httpMethod',
    'verb',
    'http.method',
    'request.method',
    'http.request.method',
  ],
  path: [
    'path',
    'uri',
    'url',
    'request_uri',
    'request_path',
    'requestUri',
    'http.path',
    'http.url',
    'request.path',
    'request.url',
    'request.uri',
    'url.path',
    'url.original',
    'request',
  ],
  status: [
    'status',
    'status_code',
    'statusCode',
    'http_status',
    'response_status',
    'http.status_code',
    'http.status',
    'response.status',
    'http.response.status_code',
  ],
  bytes: [
    'bytes',
    'bytes_sent',
    'body_bytes_sent',
    'response_bytes',
    'response_size',
    'bytesSent',
    'responseSize',
    'size',
    'http.response_bytes',
    'response.bytes',
    'http.response.body.bytes',
  ],
  /** Latency candidates with the unit each conventionally carries. */
  latency: [
    ['request_time', 's'],
    ['duration_ms', 'ms'],
    ['latency_ms', 'ms'],
    ['response_time_ms', 'ms'],
    ['elapsed_ms', 'ms'],
    ['duration', 'ms'],
    ['latency', 'ms'],
    ['response_time', 'ms'],
    ['elapsed', 'ms'],
    ['upstream_response_time', 's'],
    ['http.duration_ms', 'ms'],
    ['event.duration', 'ns'],
  ] as [string, LatencyUnit][],
  client: [
    'client',
    'client_ip',
    'clientIp',
    'remote_addr',
    'remote_ip',
    'remoteIp',
    'ip',
    'client_address',
    'client.ip',
    'source.ip',
  ],
  userAgent: [
    'user_agent',
    'userAgent',
    'http_user_agent',
    'user-agent',
    'ua',
    'agent',
    'http.user_agent',
    'user_agent.original',
  ],
} as const;

const MS_PER_UNIT: Record<LatencyUnit, number> = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 };

type Getter = (object: Record<string, unknown>) => unknown;

function getterOf(name: string): Getter {
  if (!name.includes('.')) return (o) => o[name];
  const parts = name.split('.');
  return (o) => {
    // A literal dotted key wins over a nested path.
    if (name in o) return o[name];
    let value: unknown = o;
    for (const part of parts) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string, unknown>)[part];
    }
    return value;
  };
}

function firstOf(getters: readonly Getter[]): Getter {
  return (o) => {
    for (const get of getters) {
      const value = get(o);
      // Objects are skipped: `url` may be an ECS object whose `url.path` comes later.
      if (value !== undefined && value !== null && value !== '' && typeof value !== 'object') return value;
    }
    return undefined;
  };
}

function pick(explicit: string | undefined, defaults: readonly string[]): Getter {
  return firstOf((explicit === undefined ? defaults : [explicit]).map(getterOf));
}

export class JsonLinesParser implements LineParser {
  readonly format = 'jsonl' as const;
  reason = '';
  private readonly time: Getter;
  private readonly method: Getter;
  private readonly path: Getter;
  private readonly status: Getter;
  private readonly bytes: Getter;
  private readonly client: Getter;
  private readonly userAgent: Getter;
  private readonly latency: [Getter, number][];

  constructor(mapping: JsonFieldMapping = {}) {
    const d = DEFAULT_JSON_FIELDS;
    this.time = pick(mapping.time, d.time);
    this.method = pick(mapping.method, d.method);
    this.path = pick(mapping.path, d.path);
    this.status = pick(mapping.status, d.status);
    this.bytes = pick(mapping.bytes, d.bytes);
    this.client = pick(mapping.client, d.client);
    this.userAgent = pick(mapping.userAgent, d.userAgent);
    this.latency =
      mapping.latency === undefined
        ? d.latency.map(([name, unit]) => [getterOf(name), MS_PER_UNIT[unit]])
        : [[getterOf(mapping.latency), MS_PER_UNIT[mapping.latencyUnit ?? 'ms']]];
  }

  private fail(reason: string): false {
    this.reason = reason;
    return false;
  }

  parse(s: string, start: number, end: number, r: LogRecord): boolean {
    let i = start;
    while (i < end && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
    if (s.charCodeAt(i) !== 123) return this.fail('not a JSON object');
    let value: unknown;
    try {
      value = JSON.parse(s.substring(i, end));
    } catch {
      return this.fail('invalid JSON');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return this.fail('not a JSON object');
    const o = value as Record<string, unknown>;
    const status = this.status(o);
    const target = this.path(o);
    if (status === undefined && target === undefined)
      return this.fail('JSON object has no status or path field');
    const statusCode = status === undefined ? 0 : toNumber(status);
    if (!(statusCode >= 0 && statusCode < 1000 && Number.isInteger(statusCode)))
      return this.fail('invalid status');
    r.status = statusCode;
    r.timestampMs = toEpochMs(this.time(o));
    r.method = '';
    r.path = '';
    if (typeof target === 'string') {
      const space = target.indexOf(' ');
      if (space > 0) {
        // a request line: METHOD target PROTOCOL
        r.method = methodOf(target, 0, space);
        const targetEnd = target.indexOf(' ', space + 1);
        r.path = pathOf(target, space + 1, targetEnd < 0 ? target.length : targetEnd);
      } else r.path = pathOf(target, 0, target.length);
    }
    const method = this.method(o);
    if (typeof method === 'string') {
      const upper = method.toUpperCase();
      r.method = methodOf(upper, 0, upper.length);
    }
    const bytes = toNumber(this.bytes(o));
    r.bytes = bytes >= 0 ? bytes : 0;
    r.latencyMs = NaN;
    for (const [get, msPerUnit] of this.latency) {
      const latency = toNumber(get(o));
      if (latency >= 0) {
        r.latencyMs = latency * msPerUnit;
        break;
      }
    }
    const client = this.client(o);
    r.client = typeof client === 'string' ? clientOf(client, 0, client.length, false) : '';
    const agent = this.userAgent(o);
    r.userAgent = typeof agent === 'string' && agent !== '-' ? agent : '';
    return true;
  }
}

/** A number, or a numeric string; NaN otherwise (including `-`). */
function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value !== '' && value !== '-') return Number(value);
  return NaN;
}

/**
 * Epoch ms from an ISO-8601 string, a common-log time (`10/Oct/2000:13:55:36 -0700`), or a
 * number of epoch seconds (below 1e11) or milliseconds; NaN otherwise.
 */
export function toEpochMs(value: unknown): number {
  if (typeof value === 'number') return value < 1e11 ? value * 1000 : value;
  if (typeof value !== 'string') return NaN;
  const iso = parseIsoTime(value, 0, value.length);
  if (iso === iso) return iso;
  if (value.length === 26) {
    const clf = parseClfTime(value, 0);
    if (clf === clf) return clf;
  }
  if (/^\d+(\.\d+)?$/.test(value)) return toEpochMs(Number(value));
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? NaN : parsed;
}
