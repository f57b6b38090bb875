/**
 * The Distributed Map ResultWriter `arn:aws:states:::s3:putObject`: child execution results
 * grouped by status into `SUCCEEDED_<n>.json` / `FAILED_<n>.json` arrays under
 * `<Prefix>/<mapRunId>/`, then a `manifest.json` listing them, as Step Functions lays them out.
 */
import type { MapRunChildResult, ResultWriter, ResultWriterRequest } from '../integrations.js';
import { StatesError } from '../integrations.js';
import type { AwsClients } from './aws-clients.js';
import { loadSdkModule } from './aws-clients.js';
import { toStatesError } from './errors.js';
import { parseTaskResource } from './resource.js';

/** Step Functions starts a new results file before one would exceed 5 GB. */
export const RESULT_FILE_MAX_BYTES = 5 * 1024 ** 3;

export type ResultFileStatus = 'FAILED' | 'PENDING' | 'SUCCEEDED';

export interface ResultFileRef {
  Key: string;
  Size: number;
}

/** The `manifest.json` a ResultWriter writes. */
export interface ResultManifest {
  DestinationBucket: string;
  MapRunArn: string;
  ResultFiles: Record<ResultFileStatus, ResultFileRef[]>;
}

export interface PlannedResultFile {
  status: ResultFileStatus;
  key: string;
  body: string;
}

/** `FAILED` holds failed, timed-out and aborted children; `PENDING` those never run. */
export function resultFileStatus(status: MapRunChildResult['Status']): ResultFileStatus {
  return status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED';
}

/** The id a map run's results are filed under: the last `:` segment of its ARN. */
export function mapRunId(mapRunArn: string): string {
  const id = mapRunArn.slice(mapRunArn.lastIndexOf(':') + 1);
  if (!id || !mapRunArn.includes(':mapRun:')) throw new Error(`invalid MapRunArn "${mapRunArn}"`);
  return id;
}

/** `<Prefix>/<mapRunId>/`, with one slash between prefix and id whether or not the prefix ends in one. */
export function resultKeyBase(prefix: string | undefined, mapRunArn: string): string {
  const trimmed = (prefix ?? '').replace(/\/+$/, '');
  return trimmed ? `${trimmed}/${mapRunId(mapRunArn)}/` : `${mapRunId(mapRunArn)}/`;
}

/**
 * Splits results into the files Step Functions writes: one JSON array per status and file
 * index, each file at most `maxFileBytes` (a single larger result still gets a file of its own).
 */
export function planResultFiles(
  results: MapRunChildResult[],
  keyBase: string,
  maxFileBytes = RESULT_FILE_MAX_BYTES,
): PlannedResultFile[] {
  const files: PlannedResultFile[] = [];
  for (const status of ['SUCCEEDED', 'FAILED'] as const) {
    let parts: string[] = [];
    let size = 2;
    const flush = () => {
      if (parts.length === 0) return;
      const index = files.filter((f) => f.status === status).length;
      files.push({ status, key: `${keyBase}${status}_${index}.json`, body: `[${parts.join(',')}]` });
      parts = [];
      size = 2;
    };
    for (const result of results) {
      if (resultFileStatus(result.Status) !== status) continue;
      const json = JSON.stringify(result);
      const added = Buffer.byteLength(json) + (parts.length > 0 ? 1 : 0);
      if (parts.length > 0 && size + added > maxFileBytes) flush();
      size += Buffer.byteLength(json) + (parts.length > 0 ? 1 : 0);
      parts.push(json);
    }
    flush();
  }
  return files;
}

export function buildManifest(bucket: string, mapRunArn: string, files: PlannedResultFile[]): ResultManifest {
  const refs = (status: ResultFileStatus) =>
    files.filter((f) => f.status === status).map((f) => ({ Key: f.key, Size: Buffer.byteLength(f.body) }));
  return {
    DestinationBucket: bucket,
    MapRunArn: mapRunArn,
    ResultFiles: { FAILED: refs('FAILED'), PENDING: refs('PENDING'), SUCCEEDED: refs('SUCCEEDED') },
  };
}

export interface S3ResultWriterOptions {
  /** Largest results file before a new one starts. Default 5 GB, as Step Functions. */
  maxFileBytes?: number;
}

function failed(cause: string): StatesError {
  return new StatesError('States.ResultWriterFailed', cause);
}

export function createS3ResultWriter(clients: AwsClients, options: S3ResultWriterOptions = {}): ResultWriter {
  return async (request: ResultWriterRequest) => {
    const parsed = parseTaskResource(request.resource);
    if (
      parsed?.kind !== 'states' ||
      parsed.integration !== 's3' ||
      parsed.action !== 'putObject' ||
      parsed.pattern
    ) {
      throw failed(
        `ResultWriter resource "${request.resource}" is not supported; use arn:aws:states:::s3:putObject`,
      );
    }
    const { Bucket: bucket, Prefix: prefix } = request.args ?? ({} as ResultWriterRequest['args']);
    if (typeof bucket !== 'string' || bucket === '') {
      throw failed(
        `ResultWriter Parameters.Bucket must be a non-empty string, got ${JSON.stringify(bucket)}`,
      );
    }
    if (prefix !== undefined && typeof prefix !== 'string') {
      throw failed(`ResultWriter Parameters.Prefix must be a string, got ${JSON.stringify(prefix)}`);
    }
    let keyBase: string;
    try {
      keyBase = resultKeyBase(prefix, request.mapRunArn);
    } catch (error) {
      throw failed((error as Error).message);
    }
    const files = planResultFiles(request.results, keyBase, options.maxFileBytes);
    const manifestKey = `${keyBase}manifest.json`;
    const module = await loadSdkModule('s3');
    const PutObjectCommand = module.PutObjectCommand as new (input: unknown) => object;
    const client = await clients.client('s3', parsed.region);
    const put = async (key: string, body: string) => {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: Buffer.from(body),
            ContentType: 'application/json',
          }),
        );
      } catch (error) {
        const mapped = toStatesError('S3', error);
        throw failed(`writing s3://${bucket}/${key} failed: ${mapped.error}: ${mapped.cause ?? ''}`);
      }
    };
    // Result files first, so a manifest never points at a missing file.
    for (const file of files) await put(file.key, file.body);
    await put(manifestKey, JSON.stringify(buildManifest(bucket, request.mapRunArn, files)));
    return { Bucket: bucket, Key: manifestKey };
  };
}
