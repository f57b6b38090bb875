export type { LogRecord } from './record.js';
export { emptyRecord } from './record.js';
export { analyzeFile, analyzeStream, DEFAULT_OUT_OF_RANGE_MS, type AnalyzeOptions } from './analyze.js';
export { detectFormat, DETECTION_SAMPLE_LINES, type Detection, type DetectionCandidate } from './detect.js';
export {
  CorruptGzipError,
  LogFileReadError,
  UnknownFormatError,
  UnrecognizedLogFormatError,
  printableExcerpt,
  type FormatCandidate,
} from './errors.js';
export {
  compileFormatString,
  createParser,
  DEFAULT_JSON_FIELDS,
  formatStringParser,
  FormatStringError,
  PRESETS,
  presetNamed,
  type FormatDialect,
  type Preset,
  type PresetOptions,
  type JsonFieldMapping,
  type LatencyUnit,
  type LineParser,
  type ParserOptions,
} from './formats/index.js';
export { DEFAULT_MAX_LINE_BYTES } from './stream/lines.js';
export * from './summary-api.js';
