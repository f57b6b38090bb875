/**
 * The Distributed Map ResultWriter `arn:aws:states:::s3:putObject`: child execution results
 * grouped by status into `SUCCEEDED_<n>.json` / `FAILED_<n>.json` arrays under
 * `<Prefix>/<mapRunId>/`, then a `manifest.json` listing them, as Step Functions lays them out.
 */
import type {
  MapRunChildResult,
  ResultSink,
  ResultWriter,
  ResultWriterRequest,
  StreamingResultWriter,
} from '../integrations.js';
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
export function resultFileStatus(status: MapRunChildResult['Status']): 'SUCCEEDED' | 'FAILED' {
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
  /** Bytes buffered before a file continues as a multipart upload (at least 5 MiB for S3). Default 8 MiB. */
  partBytes?: number;
}

function failed(cause: string): StatesError {
  return new StatesError('States.ResultWriterFailed', cause);
}

/** Receives child results one at a time; `close` writes the manifest. */
export type S3ResultSink = ResultSink;

/** The streaming ResultWriter: `open` once per map run, then `write` each child result as it finishes. */
export type S3StreamingResultWriter = StreamingResultWriter;

type Send = (command: object) => Promise<Record<string, unknown>>;

interface S3Commands {
  PutObject: new (input: unknown) => object;
  CreateMultipartUpload: new (input: unknown) => object;
  UploadPart: new (input: unknown) => object;
  CompleteMultipartUpload: new (input: unknown) => object;
  AbortMultipartUpload: new (input: unknown) => object;
}

/**
 * One status's results files, written as results arrive: small files with one PutObject,
 * larger ones as multipart uploads, so memory stays within `partBytes` whatever the run size.
 */
class ResultFilesStream {
  readonly files: ResultFileRef[] = [];
  #count = 0;
  #size = 2;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #uploadId: string | undefined;
  #parts: { ETag: string; PartNumber: number }[] = [];

  constructor(
    private readonly send: Send,
    private readonly commands: S3Commands,
    private readonly bucket: string,
    private readonly keyBase: string,
    private readonly status: ResultFileStatus,
    private readonly maxFileBytes: number,
    private readonly partBytes: number,
  ) {}

  get #key(): string {
    return `${this.keyBase}${this.status}_${this.files.length}.json`;
  }

  async write(json: string): Promise<void> {
    const added = Buffer.byteLength(json) + (this.#count > 0 ? 1 : 0);
    if (this.#count > 0 && this.#size + added > this.maxFileBytes) await this.#finishFile();
    this.#append(this.#count === 0 ? `[${json}` : `,${json}`);
    this.#size += Buffer.byteLength(json) + (this.#count > 0 ? 1 : 0);
    this.#count++;
    if (this.#pendingBytes >= this.partBytes) await this.#uploadPart();
  }

  async close(): Promise<ResultFileRef[]> {
    if (this.#count > 0) await this.#finishFile();
    return this.files;
  }

  /** Best-effort cleanup of an unfinished multipart upload after a failure. */
  async abort(): Promise<void> {
    if (!this.#uploadId) return;
    const uploadId = this.#uploadId;
    this.#uploadId = undefined;
    await this.send(
      new this.commands.AbortMultipartUpload({ Bucket: this.bucket, Key: this.#key, UploadId: uploadId }),
    ).catch(() => undefined);
  }

  #append(text: string): void {
    const chunk = Buffer.from(text);
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
  }

  #takePending(): Buffer {
    const body = Buffer.concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    return body;
  }

  async #uploadPart(): Promise<void> {
    const key = this.#key;
    if (!this.#uploadId) {
      const created = await this.send(
        new this.commands.CreateMultipartUpload({
          Bucket: this.bucket,
          Key: key,
          ContentType: 'application/json',
        }),
      );
      this.#uploadId = created.UploadId as string;
    }
    const PartNumber = this.#parts.length + 1;
    const uploaded = await this.send(
      new this.commands.UploadPart({
        Bucket: this.bucket,
        Key: key,
        UploadId: this.#uploadId,
        PartNumber,
        Body: this.#takePending(),
      }),
    );
    this.#parts.push({ ETag: uploaded.ETag as string, PartNumber });
  }

  async #finishFile(): Promise<void> {
    this.#append(']');
    const key = this.#key;
    if (this.#uploadId) {
      await this.#uploadPart();
      await this.send(
        new this.commands.CompleteMultipartUpload({
          Bucket: this.bucket,
          Key: key,
          UploadId: this.#uploadId,
          MultipartUpload: { Parts: this.#parts },
        }),
      );
    } else {
      const body = this.#takePending();
      await this.send(
        new this.commands.PutObject({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: 'application/json',
        }),
      );
    }
    this.files.push({ Key: key, Size: this.#size });
    this.#uploadId = undefined;
    this.#parts = [];
    this.#count = 0;
    this.#size = 2;
  }
}

function checkRequest(request: Omit<ResultWriterRequest, 'results'>): {
  bucket: string;
  keyBase: string;
  region?: string;
} {
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
    throw failed(`ResultWriter Parameters.Bucket must be a non-empty string, got ${JSON.stringify(bucket)}`);
  }
  if (prefix !== undefined && typeof prefix !== 'string') {
    throw failed(`ResultWriter Parameters.Prefix must be a string, got ${JSON.stringify(prefix)}`);
  }
  try {
    return {
      bucket,
      keyBase: resultKeyBase(prefix, request.mapRunArn),
      ...(parsed.region ? { region: parsed.region } : {}),
    };
  } catch (error) {
    throw failed((error as Error).message);
  }
}

export function createS3StreamingResultWriter(
  clients: AwsClients,
  options: S3ResultWriterOptions = {},
): S3StreamingResultWriter {
  const maxFileBytes = options.maxFileBytes ?? RESULT_FILE_MAX_BYTES;
  const partBytes = options.partBytes ?? 8 * 1024 * 1024;
  return {
    async open(request) {
      const { bucket, keyBase, region } = checkRequest(request);
      const module = await loadSdkModule('s3');
      const commands: S3Commands = {
        PutObject: module.PutObjectCommand as S3Commands['PutObject'],
        CreateMultipartUpload: module.CreateMultipartUploadCommand as S3Commands['CreateMultipartUpload'],
        UploadPart: module.UploadPartCommand as S3Commands['UploadPart'],
        CompleteMultipartUpload:
          module.CompleteMultipartUploadCommand as S3Commands['CompleteMultipartUpload'],
        AbortMultipartUpload: module.AbortMultipartUploadCommand as S3Commands['AbortMultipartUpload'],
      };
      const client = await clients.client('s3', region);
      let current = '';
      const send: Send = async (command) => {
        const input = (command as { input?: { Key?: string } }).input;
        current = input?.Key ?? current;
        return (await client.send(command)) as Record<string, unknown>;
      };
      const streams = {
        SUCCEEDED: new ResultFilesStream(
          send,
          commands,
          bucket,
          keyBase,
          'SUCCEEDED',
          maxFileBytes,
          partBytes,
        ),
        FAILED: new ResultFilesStream(send, commands, bucket, keyBase, 'FAILED', maxFileBytes, partBytes),
      };
      // Writes run one at a time, in arrival order; the first failure fails every later call.
      let queue: Promise<unknown> = Promise.resolve();
      let failure: StatesError | undefined;
      const run = <T>(step: () => Promise<T>): Promise<T> => {
        const next = queue.then(async () => {
          if (failure) throw failure;
          try {
            return await step();
          } catch (error) {
            await Promise.all([streams.SUCCEEDED.abort(), streams.FAILED.abort()]);
            const mapped = error instanceof StatesError ? undefined : toStatesError('S3', error);
            failure = mapped
              ? failed(`writing s3://${bucket}/${current} failed: ${mapped.error}: ${mapped.cause ?? ''}`)
              : (error as StatesError);
            throw failure;
          }
        });
        queue = next.catch(() => undefined);
        return next;
      };
      return {
        write: (result) => run(() => streams[resultFileStatus(result.Status)].write(JSON.stringify(result))),
        close: () =>
          run(async () => {
            const files: Record<ResultFileStatus, ResultFileRef[]> = {
              FAILED: await streams.FAILED.close(),
              PENDING: [],
              SUCCEEDED: await streams.SUCCEEDED.close(),
            };
            const key = `${keyBase}manifest.json`;
            const manifest: ResultManifest = {
              DestinationBucket: bucket,
              MapRunArn: request.mapRunArn,
              ResultFiles: files,
            };
            await send(
              new commands.PutObject({
                Bucket: bucket,
                Key: key,
                Body: Buffer.from(JSON.stringify(manifest)),
                ContentType: 'application/json',
              }),
            );
            return { Bucket: bucket, Key: key };
          }),
      };
    },
  };
}

/** The ResultWriter for a whole result array: the streaming writer fed in order. */
export function createS3ResultWriter(clients: AwsClients, options: S3ResultWriterOptions = {}): ResultWriter {
  const streaming = createS3StreamingResultWriter(clients, options);
  return async (request: ResultWriterRequest) => {
    const { results, ...rest } = request;
    const sink = await streaming.open(rest);
    for (const result of results) await sink.write(result);
    return sink.close();
  };
}
