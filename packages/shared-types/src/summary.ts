/**
 * The per-file summary produced by AnalyzeLogData and the mergeable core it shares with the
 * daily report. Every field is plain JSON so it can travel through Step Functions payloads,
 * DynamoDB items and S3 objects unchanged.
 */

/** Bumped whenever a field changes meaning; readers reject versions they do not know. */
export const FILE_SUMMARY_VERSION = 1 as const;

/**
 * Log formats the analyzer reads: its named presets, plus `nginx-format` and `apache-format` for
 * a file read with a format string the user gave.
 */
export const LOG_FORMATS = [
  'combined',
  'common',
  'nginx-timed',
  'nginx-main',
  'nginx-main-ext',
  'ingress-nginx',
  'apache-vhost-combined',
  'traefik-clf',
  'traefik-json',
  'caddy-json',
  'envoy',
  'envoy-json',
  'haproxy-http',
  'alb',
  'elb',
  'cloudfront',
  's3',
  'apigateway-json',
  'jsonl',
  'nginx-format',
  'apache-format',
] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

/**
 * Counts per status class. `other` counts statuses outside 100–599 and lines without one (`-`),
 * so the classes add up to `requests`; summaries written before it existed lack it.
 */
export type StatusClassCounts = Record<StatusClass, number> & { other?: number };

/** How a file's format was chosen. */
export interface FormatChoice {
  /** `given` when the caller named the format (preset, format string or JSON mapping). */
  by: 'given' | 'detected';
  /** Data lines of the detection sample (0 when given). */
  sampled: number;
  /** Share of the sampled data lines the chosen format parsed, 0–1 (1 when given). */
  confidence: number;
  /** The next best format of the detection and the share it parsed, when one parsed any line. */
  runnerUp?: { format: LogFormat; confidence: number };
}

/** Line accounting: `total = parsed + malformed + skipped`. */
export interface LineCounts {
  /** Every line read, including blank and comment lines. */
  total: number;
  /** Lines that parsed into a request. */
  parsed: number;
  /** Lines that did not parse; counted, sampled, never fatal. */
  malformed: number;
  /** Blank lines and format comments/headers (e.g. CloudFront `#Fields:`). */
  skipped: number;
}

/** A kept example of a line that did not parse. `text` is truncated; it is untrusted log data. */
export interface MalformedSample {
  /** 1-based line number in the (decompressed) file. */
  line: number;
  text: string;
  reason: string;
  /** The object the line came from; set when samples of several files are merged. */
  file?: string;
}

/**
 * A distribution kept as a mergeable quantile sketch (DDSketch, relative accuracy stated in
 * `relativeAccuracy`) with the headline quantiles precomputed for readers that cannot decode it.
 */
export interface DistributionSummary {
  count: number;
  sum: number;
  min: number;
  max: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  /** Relative accuracy guaranteed by the sketch, e.g. 0.01 for 1%. */
  relativeAccuracy: number;
  /** Serialized sketch (base64); decode and merge with the analyzer's sketch helpers. */
  sketch: string;
}

/** A mergeable cardinality estimate (HyperLogLog family). */
export interface CardinalitySummary {
  estimate: number;
  /** Standard relative error of the estimate, e.g. 0.008. */
  relativeStandardError: number;
  /** Serialized sketch (base64). */
  sketch: string;
}

/** One heavy hitter; the true count lies in `[count - error, count]`. */
export interface TopEntry {
  value: string;
  count: number;
  error: number;
}

/**
 * Mergeable heavy hitters (Space-Saving / Misra-Gries family). A value not listed occurred at
 * most min(smallest listed `count`, `total` minus the listed lower bounds) times.
 */
export interface TopK {
  /** Entries kept by the sketch, sorted by count descending, then value. Values over 256 characters are cut. */
  entries: TopEntry[];
  /** How many entries the sketch keeps; merges keep this many. */
  capacity: number;
  /** Number of items offered to the sketch (e.g. requests with a path). */
  total: number;
}

/**
 * Request and 5xx counts over time from the log's own timestamps. Bucket `i` covers
 * `[start + i*bucketSeconds, start + (i+1)*bucketSeconds)`. `bucketSeconds` is 60 unless the
 * file spans so long that the arrays would exceed their cap, in which case it is coarsened.
 */
export interface Timeline {
  /** ISO-8601 UTC start of bucket 0, aligned to `bucketSeconds`. */
  start: string;
  bucketSeconds: number;
  requests: number[];
  errors5xx: number[];
}

/** The fields that merge: a file summary and the daily report share them. */
export interface SummaryCore {
  lines: LineCounts;
  /** First few malformed lines, in file order (merge keeps a bounded number). */
  malformedSamples: MalformedSample[];
  requests: number;
  /** Response bytes sent, summed. */
  bytes: number;
  /** HTTP status code (as a string, e.g. "404") → count. Unparseable status is "-". */
  status: Record<string, number>;
  statusClass: StatusClassCounts;
  /** HTTP method → count. */
  methods: Record<string, number>;
  /** Request latency in milliseconds; null when the format carries none. */
  latencyMs: DistributionSummary | null;
  /** Response size in bytes. */
  responseBytes: DistributionSummary | null;
  uniqueClients: CardinalitySummary;
  topPaths: TopK;
  topClients: TopK;
  topUserAgents: TopK;
  /** First and last request timestamps (ISO-8601 UTC); null when no line had one. */
  timeRange: { first: string; last: string } | null;
  timeline: Timeline | null;
  /**
   * Requests dated far outside the file's time span (see the analyzer's README): counted in
   * every total, left out of `timeRange` and `timeline`. Absent in older summaries.
   */
  outOfRange?: number;
  /** Virtual hosts of the requests, for formats that log one (`%v`, `$host`). */
  topHosts?: TopK;
}

/** Identifies the analysed object. */
export interface FileRef {
  /** S3 key, or a local path for CLI runs. */
  key: string;
  bucket?: string;
  etag?: string;
  /** Size in bytes as stored (compressed size for gzip objects). */
  size?: number;
  /** Whether the object was gzip-compressed (detected from magic bytes). */
  gzip: boolean;
}

export interface FileSummary extends SummaryCore {
  version: typeof FILE_SUMMARY_VERSION;
  file: FileRef;
  format: LogFormat;
  /** How `format` was chosen; absent in older summaries. */
  formatChoice?: FormatChoice;
  /** Conditions that lost no data but deserve a look (e.g. bytes after the last gzip member). */
  warnings?: string[];
}
