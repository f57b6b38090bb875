/**
 * Reading which files failed from the Distributed Map's ResultWriter output: a manifest listing
 * results files, each a JSON array of child-execution results.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { FailedFile } from '@logflow/shared-types';
import { RESULT_PREFIXES } from '@logflow/shared-types';

export interface ResultWriterManifest {
  DestinationBucket: string;
  MapRunArn?: string;
  ResultFiles: Partial<Record<'FAILED' | 'PENDING' | 'SUCCEEDED', { Key: string; Size?: number }[]>>;
}

/** One child execution as the ResultWriter records it. `Input`/`Output` are JSON strings. */
export interface ChildResult {
  ExecutionArn?: string;
  Input?: string;
  Output?: string;
  Status?: string;
  Error?: string;
  Cause?: string;
}

export type ResultGroup = 'FAILED' | 'PENDING' | 'SUCCEEDED';

export class InvalidResultsError extends Error {
  override readonly name = 'InvalidResultsError';
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidResultsError(`${where} is not JSON (${(error as Error).message})`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function parseManifest(text: string, where: string): ResultWriterManifest {
  const manifest = parseJson(text, where);
  if (!isObject(manifest) || !isObject(manifest.ResultFiles)) {
    throw new InvalidResultsError(`${where}: field "ResultFiles" missing`);
  }
  for (const group of ['FAILED', 'PENDING', 'SUCCEEDED'] as const) {
    const files = manifest.ResultFiles[group];
    if (files === undefined) continue;
    if (!Array.isArray(files) || files.some((f) => !isObject(f) || typeof f.Key !== 'string')) {
      throw new InvalidResultsError(`${where}: field "ResultFiles.${group}" is not a list of {Key}`);
    }
  }
  return manifest as unknown as ResultWriterManifest;
}

/** The object key a child worked on, from its input (`{bucket, date, object: {Key}}`) or output. */
function keyOfChild(child: ChildResult, output: Record<string, unknown> | undefined): string | undefined {
  const fromOutput = output && str(output.key);
  if (fromOutput) return fromOutput;
  if (!child.Input) return undefined;
  let input: unknown;
  try {
    input = JSON.parse(child.Input);
  } catch {
    return undefined;
  }
  if (!isObject(input)) return undefined;
  if (isObject(input.object)) return str(input.object.Key) ?? str(input.object.key);
  return str(input.Key) ?? str(input.key);
}

/**
 * The failed files recorded in one results file: children whose output the workflow's Catch
 * marked `status: "FAILED"`, children that failed outright, and children never run (PENDING).
 */
export function failedFilesFromResults(text: string, group: ResultGroup, where: string): FailedFile[] {
  const children = parseJson(text, where);
  if (!Array.isArray(children))
    throw new InvalidResultsError(`${where} is not a JSON array of child results`);
  const failed: FailedFile[] = [];
  children.forEach((raw, index) => {
    if (!isObject(raw)) throw new InvalidResultsError(`${where}: result ${index} is not an object`);
    const child = raw as ChildResult;
    let output: Record<string, unknown> | undefined;
    if (child.Output) {
      const parsed = parseJson(child.Output, `${where}: result ${index} field "Output"`);
      output = isObject(parsed) ? parsed : undefined;
    }
    const key = keyOfChild(child, output) ?? child.ExecutionArn ?? `${where}#${index}`;
    const status = child.Status ?? group;
    if (output?.status === 'FAILED') {
      const cause = str(output.cause);
      failed.push({ key, error: str(output.error) ?? 'Unknown', ...(cause ? { cause } : {}) });
    } else if (group === 'FAILED' || status === 'FAILED' || status === 'TIMED_OUT' || status === 'ABORTED') {
      const cause = child.Cause;
      failed.push({ key, error: child.Error ?? `States.${status}`, ...(cause ? { cause } : {}) });
    } else if (group === 'PENDING') {
      failed.push({ key, error: 'NotProcessed', cause: 'The map run ended before this file was processed.' });
    }
  });
  return failed;
}

async function getText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!response.Body) throw new InvalidResultsError(`s3://${bucket}/${key} has no body`);
  return response.Body.transformToString('utf-8');
}

/** Every failed file recorded under a ResultWriter manifest. */
export async function readFailedFiles(
  s3: S3Client,
  location: { Bucket: string; Key: string },
): Promise<FailedFile[]> {
  const manifestUri = `s3://${location.Bucket}/${location.Key}`;
  const manifest = parseManifest(await getText(s3, location.Bucket, location.Key), manifestUri);
  const bucket = manifest.DestinationBucket || location.Bucket;
  const failed: FailedFile[] = [];
  for (const group of ['SUCCEEDED', 'FAILED', 'PENDING'] as const) {
    for (const file of manifest.ResultFiles[group] ?? []) {
      const text = await getText(s3, bucket, file.Key);
      failed.push(...failedFilesFromResults(text, group, `s3://${bucket}/${file.Key}`));
    }
  }
  return failed;
}

/** The newest ResultWriter manifest written for `date`, if any: `results/<date>/<mapRunId>/manifest.json`. */
export async function findLatestManifest(
  s3: S3Client,
  bucket: string,
  date: string,
): Promise<{ Bucket: string; Key: string } | undefined> {
  const prefix = `${RESULT_PREFIXES.results}${date}/`;
  let newest: { key: string; modified: number } | undefined;
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      if (!object.Key?.endsWith('/manifest.json')) continue;
      const modified = object.LastModified?.getTime() ?? 0;
      if (
        !newest ||
        modified > newest.modified ||
        (modified === newest.modified && object.Key > newest.key)
      ) {
        newest = { key: object.Key, modified };
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return newest ? { Bucket: bucket, Key: newest.key } : undefined;
}
