/**
 * One parsed request, the hand-off between a format parser and the summary builder.
 * Parsers fill a reused instance in place (no allocation per line on the hot path).
 */
export interface LogRecord {
  /** Request time in epoch milliseconds (UTC); NaN when the line has none. */
  timestampMs: number;
  /** HTTP method, upper case; '' when unknown. */
  method: string;
  /** Request path without the query string; '' when unknown. */
  path: string;
  /** HTTP status code; 0 when the line has none (e.g. `-`). */
  status: number;
  /** Response bytes sent; 0 for `-`. */
  bytes: number;
  /** Total request latency in milliseconds; NaN when the format has none. */
  latencyMs: number;
  /** Client address (IP, without port). */
  client: string;
  /** User agent; '' when absent. */
  userAgent: string;
  /** Virtual host or server name the request was for (`%v`, `$host`); '' when the format has none. */
  host: string;
}

export function emptyRecord(): LogRecord {
  return {
    timestampMs: NaN,
    method: '',
    path: '',
    status: 0,
    bytes: 0,
    latencyMs: NaN,
    client: '',
    userAgent: '',
    host: '',
  };
}
