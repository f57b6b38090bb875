// Public API of the summary side of the analyzer: builder, sketches, merge, adapters.
export {
  SummaryBuilder,
  MALFORMED_SAMPLE_LIMIT,
  MALFORMED_TEXT_LIMIT,
  TOP_CAPACITY,
} from './summary/builder.js';
export {
  fitSummary,
  serializedSize,
  embeddedSize,
  SUMMARY_MAX_BYTES,
  SUMMARY_TARGET_BYTES,
} from './summary/size.js';
export { HeavyHitters, mergeTopK, absentBound } from './sketches/heavy-hitters.js';
export { HyperLogLog, HLL_PRECISION } from './sketches/hyperloglog.js';
export { QuantileSketch, RELATIVE_ACCURACY, mergeDistributions } from './sketches/quantile.js';
export {
  TimelineBuilder,
  mergeTimelines,
  coarsenTimeline,
  rebucketTimeline,
  TIMELINE_BUCKET_SECONDS,
  TIMELINE_MAX_BUCKETS,
} from './sketches/timeline.js';
export { mergeSummaries, emptySummaryCore, MERGED_MALFORMED_SAMPLE_LIMIT } from './merge/merge.js';
export {
  toMetricData,
  isTimestampAccepted,
  CLOUDWATCH_TIMESTAMP_WINDOW,
  toMetricDataJson,
  toMetricDatumJson,
  batchMetricData,
  datumQuerySize,
  defaultDimensionSets,
  METRIC_NAMES,
  PUT_METRIC_DATA_LIMITS,
  type MetricDataOptions,
} from './adapters/cloudwatch.js';
export {
  toBatchSummaryItem,
  fromBatchSummaryItem,
  summaryExpiresAt,
  type BatchSummary,
  dynamoItemSize,
  InvalidSummaryItemError,
  DEFAULT_SUMMARY_TTL_DAYS,
  DYNAMO_ITEM_MAX_BYTES,
  type SummaryItemOptions,
} from './adapters/dynamodb.js';
export {
  analyzeBatch,
  analyzeLogBody,
  fileRefOf,
  readHandlerConfig,
  validateEvent,
  versionSetId,
  FAILED_CAUSE_MAX_CHARS,
  RESULT_MAX_BYTES,
  type AnalyzeBatchOptions,
  type AnalyzeHandlerConfig,
  type OpenObject,
} from './lambda/analyze-event.js';
export {
  LogObjectNotFoundError,
  LogObjectReadError,
  InvalidAnalyzeEventError,
  HandlerConfigError,
} from './lambda/errors.js';
