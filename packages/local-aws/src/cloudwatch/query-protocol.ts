/**
 * CloudWatch's classic awsQuery protocol (`Action=PutMetricData&Version=2010-08-01&...` form
 * bodies, XML answers), still spoken by older SDKs and tools. Requests are turned into the JSON
 * input of the awsJson operations and their output back into the query XML shapes.
 */
import { xmlEscape } from '../http-util.js';
import type { CloudWatchError } from './errors.js';

const XMLNS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';

/** Leaf fields whose query strings carry numbers or booleans. */
const NUMERIC_FIELDS = new Set([
  'Value',
  'Values',
  'Counts',
  'SampleCount',
  'Sum',
  'Minimum',
  'Maximum',
  'Period',
  'StorageResolution',
  'MaxDatapoints',
]);
const BOOLEAN_FIELDS = new Set(['ReturnData', 'IncludeLinkedAccounts', 'StrictEntityValidation']);
/** Output fields holding epoch seconds that the query protocol writes as ISO-8601. */
const TIMESTAMP_FIELDS = new Set(['Timestamp', 'Timestamps']);

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * Unflattens query parameters: `MetricData.member.1.Dimensions.member.2.Name=x` becomes
 * `{ MetricData: [{ Dimensions: [, { Name: 'x' }] }] }`, with numbers and booleans typed by field.
 */
export function queryToInput(params: URLSearchParams): { action: string; input: Record<string, unknown> } {
  const action = params.get('Action') ?? '';
  const root: Record<string, Json> = {};
  for (const [name, raw] of params) {
    if (name === 'Action' || name === 'Version') continue;
    const path = name.split('.');
    let node: Record<string, Json> | Json[] = root;
    let field = '';
    for (let i = 0; i < path.length; i++) {
      const part = path[i]!;
      if (part === 'member' || part === 'entry') continue;
      const isLast = i === path.length - 1;
      const key: string | number = /^\d+$/.test(part) ? Number(part) - 1 : part;
      if (typeof key === 'string') field = key;
      if (isLast) {
        const numeric = NUMERIC_FIELDS.has(field) && !path.includes('Dimensions');
        const value: Json =
          numeric && raw !== '' && !Number.isNaN(Number(raw))
            ? Number(raw)
            : BOOLEAN_FIELDS.has(field)
              ? raw === 'true'
              : raw;
        (node as Record<string | number, Json>)[key] = value;
        break;
      }
      const nextIsIndex = path.slice(i + 1).find((p) => p !== 'member' && p !== 'entry');
      const container = (node as Record<string | number, Json>)[key];
      const child: Json =
        container !== undefined && container !== null && typeof container === 'object'
          ? container
          : nextIsIndex !== undefined && /^\d+$/.test(nextIsIndex)
            ? []
            : {};
      (node as Record<string | number, Json>)[key] = child;
      node = child as Record<string, Json> | Json[];
    }
  }
  return { action, input: compact(root) as Record<string, unknown> };
}

/** Drops the holes a 1-based, possibly sparse member list leaves. */
function compact(value: Json): Json {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compact);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compact(v)]));
  }
  return value;
}

function toXml(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    const members = value.map((v) => toXml('member', TIMESTAMP_FIELDS.has(name) ? isoOf(v) : v)).join('');
    return `<${name}>${members}</${name}>`;
  }
  if (typeof value === 'object') {
    if (name === 'ExtendedStatistics') {
      const entries = Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `<entry><key>${xmlEscape(k)}</key><value>${xmlEscape(String(v))}</value></entry>`)
        .join('');
      return `<${name}>${entries}</${name}>`;
    }
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => toXml(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  const text = TIMESTAMP_FIELDS.has(name) ? isoOf(value) : String(value);
  return `<${name}>${xmlEscape(text)}</${name}>`;
}

function isoOf(value: unknown): string {
  return typeof value === 'number' ? new Date(value * 1000).toISOString() : String(value);
}

export function queryResponse(action: string, output: unknown, requestId: string): string {
  const result =
    output && typeof output === 'object' && Object.keys(output).length > 0
      ? toXml(`${action}Result`, output)
      : '';
  return (
    `<${action}Response xmlns="${XMLNS}">${result}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function queryError(error: CloudWatchError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${error.status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
    `<Code>${error.code}</Code><Message>${xmlEscape(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
