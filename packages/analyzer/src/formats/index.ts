import type { LogFormat } from '@logflow/shared-types';
import { presetNamed, type PresetOptions } from './presets.js';
import type { LineParser } from './types.js';

export type { LineParser } from './types.js';
export type { JsonFieldMapping, LatencyUnit } from './jsonl.js';
export { DEFAULT_JSON_FIELDS } from './jsonl.js';
export { PRESETS, presetNamed, formatStringParser, type Preset, type PresetOptions } from './presets.js';
export { compileFormatString, FormatStringError, type FormatDialect } from './format-string.js';

export type ParserOptions = PresetOptions;

/**
 * A fresh parser (parsers keep per-file state) for the preset `format`. The two format-string
 * names need their string: use `formatStringParser`.
 */
export function createParser(format: LogFormat, options: ParserOptions = {}): LineParser {
  const preset = presetNamed(format);
  if (preset === undefined)
    throw new Error(`format "${format}" needs its format string (formatStringParser)`);
  return preset.create(options);
}
