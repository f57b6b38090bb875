export type { LogRecord } from './record.js';
export { emptyRecord } from './record.js';
export { analyzeFile, analyzeStream, type AnalyzeOptions } from './analyze.js';
export { detectFormat, DETECTION_SAMPLE_LINES, type Detection } from './detect.js';
export {
  CorruptGzipError,
  LogFileReadError,
  UnrecognizedLogFormatError,
  printableExcerpt,
} from './errors.js';
export {
  createParser,
  DEFAULT_JSON_FIELDS,
  type JsonFieldMapping,
  type LatencyUnit,
  type LineParser,
  type ParserOptions,
} from './formats/index.js';
export { DEFAULT_MAX_LINE_BYTES } from './stream/lines.js';
export * from './summary-api.js';
