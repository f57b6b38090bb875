/**
 * An opt-in count of the requests the endpoint serves, by service and operation, with what AWS
 * bills beyond the request: DynamoDB capacity units (from the sizes of the items written and
 * read) and CloudWatch's distinct metrics. It sees each request after its signature was verified,
 * as the service does; it never changes a request or an answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { Clock } from '@logflow/shared-types';
import type { ServiceName } from './router.js';

/** What the endpoint served since it started (or since the counter was created). */
export interface RequestCounts {
  /** Requests by service and operation, e.g. `{ s3: { GetObject: 6 }, dynamodb: { PutItem: 5 } }`. */
  requests: Record<string, Record<string, number>>;
  /** Bytes of object bodies PutObject sent (their `content-length`). */
  s3PutBytes: number;
  /** DynamoDB write request units: 1 per KB of each item written (an UpdateItem counts 1). */
  dynamodbWru: number;
  /** DynamoDB read request units: per 4 KB of items returned per request, half when eventually consistent. */
  dynamodbRru: number;
  /** Distinct metrics (namespace, name and dimensions) PutMetricData published. */
  metrics: number;
  /** Distinct clock hours in which PutMetricData was called (custom metrics are prorated by the hour). */
  metricHours: number;
}

type DynamoValue = Record<string, unknown>;

/** The size DynamoDB bills for an attribute value (its documented rules for item size). */
function valueSize(value: DynamoValue): number {
  const [type, v] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(String(v));
    case 'N':
      return Math.ceil(String(v).replace(/^[-+]?0*|\.|e.*$/gi, '').length / 2) + 1;
    case 'B':
      return Buffer.byteLength(String(v), 'base64');
    case 'SS':
    case 'NS':
    case 'BS':
      return (v as string[]).reduce((sum, e) => sum + valueSize({ [type.slice(0, 1)]: e }), 0);
    case 'L':
      return 3 + (v as DynamoValue[]).reduce((sum, e) => sum + 1 + valueSize(e), 0);
    case 'M':
      return 3 + itemSize(v as Record<string, DynamoValue>) + Object.keys(v as object).length;
    default:
      return 1;
  }
}

/** Bytes of an item as DynamoDB bills it: attribute names and values. */
export function itemSize(item: Record<string, DynamoValue>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

const writeUnits = (item: Record<string, DynamoValue> | undefined): number =>
  item ? Math.max(1, Math.ceil(itemSize(item) / 1024)) : 1;

/** The S3 operation of a path-style REST request. */
function s3Operation(req: IncomingMessage): string {
  const url = new URL(req.url ?? '/', 'http://local');
  const [, bucket = '', ...key] = url.pathname.split('/');
  const onObject = key.join('/') !== '';
  const method = req.method ?? 'GET';
  const q = url.searchParams;
  if (method === 'GET' && !onObject) {
    if (bucket === '') return 'ListBuckets';
    if (q.has('uploads')) return 'ListMultipartUploads';
    if (
      [...q.keys()].every((k) =>
        [
          'list-type',
          'prefix',
          'delimiter',
          'max-keys',
          'continuation-token',
          'start-after',
          'marker',
          'encoding-type',
          'fetch-owner',
        ].includes(k),
      )
    ) {
      return q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    }
    return `GetBucket:${[...q.keys()].join(',')}`;
  }
  if (method === 'GET') return q.has('uploadId') ? 'ListParts' : 'GetObject';
  if (method === 'HEAD') return onObject ? 'HeadObject' : 'HeadBucket';
  if (method === 'PUT' && onObject) {
    if (q.has('partNumber')) return 'UploadPart';
    return req.headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject';
  }
  if (method === 'PUT')
    return [...q.keys()].length === 0 ? 'CreateBucket' : `PutBucket:${[...q.keys()].join(',')}`;
  if (method === 'POST')
    return q.has('uploads')
      ? 'CreateMultipartUpload'
      : q.has('uploadId')
        ? 'CompleteMultipartUpload'
        : q.has('delete')
          ? 'DeleteObjects'
          : 'PostObject';
  if (method === 'DELETE') return onObject ? 'DeleteObject' : 'DeleteBucket';
  return method;
}

/** The operation of an awsJson request (`x-amz-target: Prefix.Operation`) or a query-protocol form. */
function rpcOperation(req: IncomingMessage, body: Buffer | undefined): string {
  const target = String(req.headers['x-amz-target'] ?? '');
  if (target) return target.slice(target.lastIndexOf('.') + 1);
  const cbor = /\/operation\/([A-Za-z]+)$/.exec(req.url ?? '');
  if (cbor) return cbor[1]!;
  return new URLSearchParams(body?.toString('utf8') ?? '').get('Action') ?? 'Unknown';
}

/** Metric identities of a PutMetricData body (JSON, gzip or not; query-protocol forms). */
function metricIdentities(req: IncomingMessage, body: Buffer): string[] {
  const encoding = String(req.headers['content-encoding'] ?? '').toLowerCase();
  const text = (encoding.includes('gzip') ? gunzipSync(body) : body).toString('utf8');
  if (req.headers['x-amz-target']) {
    const input = JSON.parse(text) as {
      Namespace?: string;
      MetricData?: { MetricName?: string; Dimensions?: { Name?: string; Value?: string }[] }[];
    };
    return (input.MetricData ?? []).map((m) =>
      JSON.stringify([
        input.Namespace,
        m.MetricName,
        (m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).sort(),
      ]),
    );
  }
  const form = new URLSearchParams(text);
  const metrics = new Map<string, { name?: string; dims: string[] }>();
  for (const [key, value] of form) {
    const m = /^MetricData\.member\.(\d+)\.(MetricName|Dimensions\.member\.(\d+)\.(Name|Value))$/.exec(key);
    if (!m) continue;
    const metric = metrics.get(m[1]!) ?? { dims: [] };
    metrics.set(m[1]!, metric);
    if (m[2] === 'MetricName') metric.name = value;
    else metric.dims.push(`${m[3]}.${m[4]}=${value}`);
  }
  return [...metrics.values()].map((m) => JSON.stringify([form.get('Namespace'), m.name, m.dims.sort()]));
}

/** Calls `onBody` with the whole answer once it is sent, without touching what is sent. */
function tapAnswer(res: ServerResponse, onBody: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  const keep = (chunk: unknown) => {
    if (typeof chunk === 'string' || chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((chunk: unknown, ...rest: unknown[]) => (
    keep(chunk),
    write(chunk, ...rest)
  )) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk);
    try {
      onBody(Buffer.concat(chunks));
    } catch {
      // an answer the counter cannot read is still sent as it is
    }
    return end(chunk, ...rest);
  }) as typeof res.end;
}

const DYNAMODB_READS = new Set(['GetItem', 'Query', 'Scan']);

export class RequestCounter {
  private readonly requests: Record<string, Record<string, number>> = {};
  private readonly metricSet = new Set<string>();
  private readonly hours = new Set<number>();
  private s3PutBytes = 0;
  private wru = 0;
  private rru = 0;

  constructor(private readonly clock: Clock) {}

  /** Counts one request on its way to `service`; `body` is the request body of buffered services. */
  observe(service: ServiceName, req: IncomingMessage, body?: Buffer, res?: ServerResponse): void {
    const operation = service === 's3' ? s3Operation(req) : rpcOperation(req, body);
    const byOperation = (this.requests[service] ??= {});
    byOperation[operation] = (byOperation[operation] ?? 0) + 1;
    try {
      if (service === 's3' && operation === 'PutObject') {
        this.s3PutBytes += Number(
          req.headers['x-amz-decoded-content-length'] ?? req.headers['content-length'] ?? 0,
        );
      } else if (service === 'dynamodb' && body) {
        this.dynamodb(operation, body, res);
      } else if (service === 'cloudwatch' && operation === 'PutMetricData' && body) {
        for (const id of metricIdentities(req, body)) this.metricSet.add(id);
        this.hours.add(Math.floor(this.clock().getTime() / 3_600_000));
      }
    } catch {
      // a body the counter cannot read is the service's to refuse; the request is still counted
    }
  }

  private dynamodb(operation: string, body: Buffer, res: ServerResponse | undefined): void {
    const input = JSON.parse(body.toString('utf8')) as {
      Item?: Record<string, DynamoValue>;
      ConsistentRead?: boolean;
      RequestItems?: Record<string, unknown>;
    };
    if (operation === 'PutItem') this.wru += writeUnits(input.Item);
    else if (operation === 'UpdateItem' || operation === 'DeleteItem') this.wru += 1;
    else if (operation === 'BatchWriteItem') {
      for (const requests of Object.values(input.RequestItems ?? {}) as {
        PutRequest?: { Item: Record<string, DynamoValue> };
      }[][]) {
        for (const r of requests) this.wru += writeUnits(r.PutRequest?.Item);
      }
    } else if (operation === 'BatchGetItem' && res) {
      // billed per item read, as GetItem, with each table's consistency
      const consistent = (table: string) =>
        (input.RequestItems?.[table] as { ConsistentRead?: boolean } | undefined)?.ConsistentRead === true;
      tapAnswer(res, (answer) => {
        if (res.statusCode !== 200) return;
        const output = JSON.parse(answer.toString('utf8')) as {
          Responses?: Record<string, Record<string, DynamoValue>[]>;
        };
        for (const [table, items] of Object.entries(output.Responses ?? {})) {
          for (const item of items)
            this.rru += Math.ceil(itemSize(item) / 4096) * (consistent(table) ? 1 : 0.5);
        }
      });
    } else if (DYNAMODB_READS.has(operation) && res) {
      const factor = input.ConsistentRead ? 1 : 0.5;
      tapAnswer(res, (answer) => {
        if (res.statusCode !== 200) return;
        const output = JSON.parse(answer.toString('utf8')) as {
          Item?: Record<string, DynamoValue>;
          Items?: Record<string, DynamoValue>[];
        };
        const items = output.Items ?? (output.Item ? [output.Item] : []);
        const bytes = items.reduce((sum, item) => sum + itemSize(item), 0);
        this.rru += Math.max(1, Math.ceil(bytes / 4096)) * factor;
      });
    }
  }

  /** The counts so far (a copy). */
  snapshot(): RequestCounts {
    return {
      requests: Object.fromEntries(Object.entries(this.requests).map(([s, ops]) => [s, { ...ops }])),
      s3PutBytes: this.s3PutBytes,
      dynamodbWru: this.wru,
      dynamodbRru: this.rru,
      metrics: this.metricSet.size,
      metricHours: this.hours.size,
    };
  }
}
