/**
 * The options that say how to read log files, shared by `analyze` and `run`: a preset, an nginx
 * or Apache format string, a JSON field mapping, and where the client address comes from.
 */
import { Option, type Command } from 'commander';
import {
  LOG_FORMATS,
  type FormatOptions,
  type JsonFieldMapping,
  type LogFormat,
} from '@logflow/shared-types';

/** Preset names (the two format-string names are set by --log-format / --apache-format). */
export const PRESET_NAMES = LOG_FORMATS.filter((f) => !f.endsWith('-format'));

export interface FormatCliOptions {
  format?: LogFormat;
  logFormat?: string;
  apacheFormat?: string;
  jsonFields?: string;
  clientFromForwardedFor?: boolean;
}

const JSON_FIELD_KEYS = [
  'time',
  'method',
  'path',
  'status',
  'bytes',
  'latency',
  'latencyUnit',
  'client',
  'userAgent',
];

export function addFormatOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--format <name>',
        'read every file with this preset instead of detecting (see `logflow formats`)',
      ).choices(PRESET_NAMES),
    )
    .option(
      '--log-format <string>',
      'an nginx log_format, e.g. \'$remote_addr [$time_local] "$request" $status $request_time\'',
    )
    .option('--apache-format <string>', 'an Apache LogFormat, e.g. \'%h %l %u %t "%r" %>s %b %D\'')
    .option(
      '--json-fields <mapping>',
      'JSON field names, as key=field pairs (time, method, path, status, bytes, latency, latencyUnit, client, userAgent), e.g. status=res.code,latency=timing.total,latencyUnit=us',
    )
    .option('--client-from-forwarded-for', 'count the first public X-Forwarded-For address as the client');
}

/** The `FormatOptions` the flags describe; throws a message naming the flag when one is invalid. */
export function formatOptionsOf(opts: FormatCliOptions): FormatOptions {
  const chosen = [opts.format, opts.logFormat, opts.apacheFormat].filter((v) => v !== undefined);
  if (chosen.length > 1) throw new Error('give only one of --format, --log-format and --apache-format');
  const out: FormatOptions = {};
  if (opts.format !== undefined) out.format = opts.format;
  if (opts.logFormat !== undefined) out.logFormat = opts.logFormat;
  if (opts.apacheFormat !== undefined) out.apacheFormat = opts.apacheFormat;
  if (opts.jsonFields !== undefined) out.jsonFields = parseJsonFields(opts.jsonFields);
  if (opts.clientFromForwardedFor) out.clientFromForwardedFor = true;
  return out;
}

function parseJsonFields(text: string): JsonFieldMapping {
  const mapping: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (eq <= 0 || value === '' || !JSON_FIELD_KEYS.includes(key)) {
      throw new Error(
        `--json-fields: expected key=field with key one of ${JSON_FIELD_KEYS.join(', ')}, got "${pair}"`,
      );
    }
    if (key === 'latencyUnit' && !['s', 'ms', 'us', 'ns'].includes(value))
      throw new Error(`--json-fields: latencyUnit must be s, ms, us or ns, got "${value}"`);
    mapping[key] = value;
  }
  return mapping as JsonFieldMapping;
}
