/**
 * Conversion between the JSON a state passes and the values an AWS SDK v3 command takes and
 * returns, driven by the operation's Smithy schema: ISO-8601 strings become `Date` where the
 * API has a timestamp, and responses come back as plain JSON (timestamps as ISO-8601 strings,
 * blobs as text or base64, no `$metadata`).
 */
import { NormalizedSchema } from '@smithy/core/schema';

type Schema = Parameters<typeof NormalizedSchema.of>[0];

/** The schema attached to a schema-based SDK v3 command: `[9, namespace, name, traits, input, output]`. */
export function operationSchemas(
  command: unknown,
): { input: NormalizedSchema; output: NormalizedSchema } | undefined {
  const op = (command as { schema?: unknown }).schema;
  if (!Array.isArray(op) || op[0] !== 9) return undefined;
  return { input: NormalizedSchema.of(op[4] as Schema), output: NormalizedSchema.of(op[5] as Schema) };
}

/** Members whose blobs carry binary data as base64 in JSON (DynamoDB attribute values). */
function isBase64Blob(parent: NormalizedSchema | undefined, memberName: string | undefined): boolean {
  return parent?.getName() === 'AttributeValue' && (memberName === 'B' || memberName === 'BS');
}

/** Parses an ISO-8601 timestamp (or epoch seconds) for a timestamp member; `path` names it in errors. */
export function parseTimestamp(value: unknown, path: string): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000);
  if (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)
  ) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new TypeError(`${path}: expected an ISO-8601 timestamp, got ${JSON.stringify(value)}`);
}

/** Converts state JSON to SDK input values along `schema`; unknown members pass through unchanged. */
export function toSdkInput(
  schema: NormalizedSchema,
  value: unknown,
  path = '$',
  parent?: NormalizedSchema,
): unknown {
  if (value === null || value === undefined) return value;
  if (schema.isTimestampSchema()) return parseTimestamp(value, path);
  if (schema.isBlobSchema()) {
    if (typeof value !== 'string') return value;
    return isBase64Blob(parent, schema.getMemberName())
      ? Buffer.from(value, 'base64')
      : Buffer.from(value, 'utf8');
  }
  if (schema.isListSchema() && Array.isArray(value)) {
    const item = schema.getValueSchema();
    return value.map((v, i) => toSdkInput(item, v, `${path}[${i}]`, schema));
  }
  if (schema.isMapSchema() && isPlainObject(value)) {
    const item = schema.getValueSchema();
    return mapValues(value, (v, k) => toSdkInput(item, v, `${path}.${k}`, schema));
  }
  if (schema.isStructSchema() && isPlainObject(value)) {
    const members = schema.getMemberSchemas();
    return mapValues(value, (v, k) => {
      const member = members[k];
      return member ? toSdkInput(member, v, `${path}.${k}`, schema) : v;
    });
  }
  return value;
}

/** Converts an SDK response to the JSON Step Functions returns. Streams must be read first. */
export function fromSdkOutput(value: unknown, schema?: NormalizedSchema, parent?: NormalizedSchema): unknown {
  if (value === null || value === undefined) return value;
  if (value instanceof Date) return formatTimestamp(value);
  if (value instanceof Uint8Array) {
    const buffer = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return isBase64Blob(parent, schema?.getMemberName())
      ? buffer.toString('base64')
      : buffer.toString('utf8');
  }
  if (Array.isArray(value)) {
    const item = schema?.isListSchema() ? schema.getValueSchema() : undefined;
    return value.map((v) => fromSdkOutput(v, item, schema));
  }
  if (isPlainObject(value)) {
    const members = schema?.isStructSchema() ? schema.getMemberSchemas() : undefined;
    const item = schema?.isMapSchema() ? schema.getValueSchema() : undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$metadata' || v === undefined) continue;
      out[k] = fromSdkOutput(v, members?.[k] ?? item, schema);
    }
    return out;
  }
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/** ISO-8601 in UTC, without a fractional part when it is zero (`2026-11-22T10:00:00Z`). */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/** Reads streaming members (e.g. S3 `GetObject` `Body`) of a response into strings. */
export async function readStreamingMembers(
  output: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const out = { ...output };
  for (const [k, v] of Object.entries(out)) {
    if (v && typeof v === 'object' && 'transformToString' in v && typeof v.transformToString === 'function') {
      out[k] = await (v as { transformToString(): Promise<string> }).transformToString();
    }
  }
  return out;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function mapValues(
  obj: Record<string, unknown>,
  fn: (v: unknown, k: string) => unknown,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = fn(v, k);
  return out;
}
