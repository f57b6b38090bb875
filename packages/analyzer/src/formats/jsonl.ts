/**
 * JSON lines: one JSON object per line, e.g. nginx `log_format … escape=json` or an
 * application's structured access log. Each record field is read from the first of a list of
 * usual field names that is present (dotted names reach into nested objects); a
 * `JsonFieldMapping` names the field explicitly instead. The defaults cover nginx/Apache-style
 * names, common application names and Elastic Common Schema (`http.response.status_code`,
 * `url.path`, `event.duration` in ns …). A line must be an object with at least a status or a
 * path field.
 */
import type { JsonFieldMapping, LatencyUnit, LogFormat } from '@logflow/shared-types';
import type { LogRecord } from '../record.js';
import { clientOf, methodOf, parseClfTime, parseIsoTime, pathOf } from './scan.js';
import type { LineParser } from './types.js';

export type { JsonFieldMapping, LatencyUnit } from '@logflow/shared-types';

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

/**
 * Candidate field names per record field, tried in order (a preset or the defaults), plus the
 * fields a line must have for the mapping to apply at all.
 */
export interface JsonFieldCandidates {
  time: readonly string[];
  method: readonly string[];
  path: readonly string[];
  status: readonly string[];
  bytes: readonly string[];
  latency: readonly (readonly [string, LatencyUnit])[];
  client: readonly string[];
  userAgent: readonly string[];
  host?: readonly string[];
  /** Every one of these must be present, or the line is not of this mapping. */
  required?: readonly string[];
}

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
      let value = get(o);
      // A header kept as a list of values (Caddy): its first value.
      if (Array.isArray(value)) value = value[0];
      // Objects are skipped: `url` may be an ECS object whose `url.path` comes later.
      if (value !== undefined && value !== null && value !== '' && typeof value !== 'object') return value;
    }
    return undefined;
  };
}

/** The defaults with the fields a `JsonFieldMapping` names replaced. */
export function candidatesOf(mapping: JsonFieldMapping = {}): JsonFieldCandidates {
  const d = DEFAULT_JSON_FIELDS;
  const one = (explicit: string | undefined, defaults: readonly string[]) =>
    explicit === undefined ? defaults : [explicit];
  return {
    time: one(mapping.time, d.time),
    method: one(mapping.method, d.method),
    path: one(mapping.path, d.path),
    status: one(mapping.status, d.status),
    bytes: one(mapping.bytes, d.bytes),
    latency: mapping.latency === undefined ? d.latency : [[mapping.latency, mapping.latencyUnit ?? 'ms']],
    client: one(mapping.client, d.client),
    userAgent: one(mapping.userAgent, d.userAgent),
  };
}

export class JsonLinesParser implements LineParser {
  reason = '';
  /** Record fields the last parsed line filled. */
  matched = 0;
  readonly declared = 8;
  private readonly time: Getter;
  private readonly method: Getter;
  private readonly path: Getter;
  private readonly status: Getter;
  private readonly bytes: Getter;
  private readonly client: Getter;
  private readonly userAgent: Getter;
  private readonly host: Getter | null;
  private readonly latency: [Getter, number][];
  private readonly required: Getter[];
  private readonly requiredNames: readonly string[];

  constructor(
    fields: JsonFieldCandidates = candidatesOf(),
    readonly format: LogFormat = 'jsonl',
  ) {
    const pick = (names: readonly string[]) => firstOf(names.map(getterOf));
    this.time = pick(fields.time);
    this.method = pick(fields.method);
    this.path = pick(fields.path);
    this.status = pick(fields.status);
    this.bytes = pick(fields.bytes);
    this.client = pick(fields.client);
    this.userAgent = pick(fields.userAgent);
    this.host = fields.host ? pick(fields.host) : null;
    this.latency = fields.latency.map(([name, unit]) => [firstOf([getterOf(name)]), MS_PER_UNIT[unit]]);
    this.requiredNames = fields.required ?? [];
    this.required = this.requiredNames.map(getterOf);
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
    for (let k = 0; k < this.required.length; k++) {
      if (this.required[k]!(o) === undefined)
        return this.fail(`JSON object has no "${this.requiredNames[k]}"`);
    }
    let matched = 0;
    const status = this.status(o);
    const target = this.path(o);
    if (status === undefined && target === undefined)
      return this.fail('JSON object has no status or path field');
    let statusCode = 0;
    if (status !== undefined) {
      statusCode = plainNumber(status);
      if (!(statusCode >= 0 && statusCode < 1000 && Number.isInteger(statusCode)))
        return this.fail('invalid status');
      matched++;
    }
    const timeValue = this.time(o);
    const time = timeValue === undefined ? NaN : toEpochMs(timeValue);
    if (timeValue !== undefined) {
      if (time !== time) return this.fail('invalid time');
      matched++;
    }
    const bytesValue = this.bytes(o);
    let bytes = 0;
    if (bytesValue !== undefined) {
      bytes = plainNumber(bytesValue);
      if (!(bytes >= 0 && Number.isSafeInteger(bytes))) return this.fail('invalid bytes');
      matched++;
    }
    let latencyMs = NaN;
    for (const [get, msPerUnit] of this.latency) {
      const latencyValue = get(o);
      if (latencyValue === undefined) continue;
      const latency = plainNumber(latencyValue);
      if (!(latency >= 0)) return this.fail('invalid latency');
      latencyMs = latency * msPerUnit;
      matched++;
      break;
    }
    r.status = statusCode;
    r.timestampMs = time;
    r.method = '';
    r.path = '';
    if (typeof target === 'string') {
      matched++;
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
      matched++;
      const upper = method.toUpperCase();
      r.method = methodOf(upper, 0, upper.length);
    }
    r.bytes = bytes;
    r.latencyMs = latencyMs;
    const client = this.client(o);
    r.client = typeof client === 'string' ? clientOf(client, 0, client.length, false) : '';
    if (r.client !== '') matched++;
    const agent = this.userAgent(o);
    r.userAgent = typeof agent === 'string' && agent !== '-' ? agent : '';
    if (r.userAgent !== '') matched++;
    const host = this.host?.(o);
    r.host = typeof host === 'string' && host !== '-' ? host : '';
    this.matched = matched;
    return true;
  }
}

/**
 * A finite number, or a string of a plain decimal (`200`, `0.25`); NaN otherwise, including
 * `-`, `Infinity`, `0x1F4`, `1e3` as text, and JSON numbers that overflow (`1e400`).
 */
export function plainNumber(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (typeof value === 'string' && /^\d{1,15}(\.\d{1,15})?$/.test(value)) return Number(value);
  return NaN;
}

/**
 * Epoch ms from an ISO-8601 string, a common-log time (`10/Oct/2000:13:55:36 -0700`), or a
 * number (or plain decimal string) of epoch seconds (below 1e11) or milliseconds; NaN otherwise.
 */
export function toEpochMs(value: unknown): number {
  if (typeof value === 'number') {
    if (!(Number.isFinite(value) && value >= 0)) return NaN;
    return Math.floor(value < 1e11 ? value * 1000 : value);
  }
  if (typeof value !== 'string') return NaN;
  const iso = parseIsoTime(value, 0, value.length);
  if (iso === iso) return iso;
  if (value.length === 26) {
    const clf = parseClfTime(value, 0);
    if (clf === clf) return clf;
  }
  // Date.parse is not used: it rolls 30 February into March.
  if (/^\d{1,15}(\.\d{1,9})?$/.test(value)) return toEpochMs(Number(value));
  return NaN;
}
