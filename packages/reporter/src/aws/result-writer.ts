/**
 * Reading a day's outcomes from the Distributed Map's ResultWriter output: a manifest listing
 * results files, each a JSON array of child-execution results, one per batch of objects. This
 * is the execution's own listing: only the batches named here are merged into the report.
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

/**
 * The object keys a child worked on, from its input: `{bucket, date, object: {Key}}` for one
 * file, or `{Items: [...]}` of those when the Map batches items.
 */
function keysOfInput(input: string | undefined): string[] {
  if (!input) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(input);
  } catch {
    return [];
  }
  const keyOf = (item: unknown): string | undefined => {
    if (!isObject(item)) return undefined;
    if (isObject(item.object)) return str(item.object.Key) ?? str(item.object.key);
    return str(item.Key) ?? str(item.key);
  };
  if (isObject(parsed) && Array.isArray(parsed.Items)) {
    return parsed.Items.map(keyOf).filter((k): k is string => k !== undefined);
  }
  const key = keyOf(parsed);
  return key === undefined ? [] : [key];
}

/** A FailedFileRecord (`{key, status: "FAILED", state, error, cause?}`) as FailedFile, or undefined. */
function failedRecord(value: unknown): FailedFile | undefined {
  if (!isObject(value) || value.status !== 'FAILED') return undefined;
  const key = str(value.key) ?? '(unknown object)';
  const cause = str(value.cause);
  const state = str(value.state);
  return {
    key,
    ...(state ? { state } : {}),
    error: str(value.error) ?? 'Unknown',
    ...(cause ? { cause } : {}),
  };
}

/** What the Map results say about the day: the batch summaries to merge and every failed file. */
export interface MapRunOutcomes {
  /** Sort keys of the batch summary records, one per batch that has one. */
  summaryKeys: string[];
  /** Objects the batches say they analysed (the summary records must hold as many). */
  analyzed: number;
  failed: FailedFile[];
}

/**
 * The outcomes recorded in one results file: each SUCCEEDED child's `BatchOutcome` (its summary
 * record and failures), children that failed outright (every object of their input), and
 * children never run (PENDING).
 */
export function outcomesFromResults(text: string, group: ResultGroup, where: string): MapRunOutcomes {
  const children = parseJson(text, where);
  if (!Array.isArray(children)) {
    throw new InvalidResultsError(`${where} is not a JSON array of child results`);
  }
  const out: MapRunOutcomes = { summaryKeys: [], analyzed: 0, failed: [] };
  children.forEach((raw, index) => {
    if (!isObject(raw)) throw new InvalidResultsError(`${where}: result ${index} is not an object`);
    const child = raw as ChildResult;
    const status = child.Status ?? group;
    const childFailed = group === 'FAILED' || ['FAILED', 'TIMED_OUT', 'ABORTED'].includes(status);
    if (!childFailed && group !== 'PENDING') {
      const field = `${where}: result ${index} field "Output"`;
      const output = parseJson(child.Output ?? 'null', field);
      if (!isObject(output) || !Array.isArray(output.failed) || typeof output.analyzed !== 'number') {
        throw new InvalidResultsError(`${field} is not a batch outcome {summaryKey, analyzed, failed}`);
      }
      const key = output.summaryKey;
      if (key !== null && typeof key !== 'string') {
        throw new InvalidResultsError(`${field}: "summaryKey" must be a string or null`);
      }
      if (typeof key === 'string') out.summaryKeys.push(key);
      out.analyzed += output.analyzed;
      for (const value of output.failed) {
        const record = failedRecord(value);
        if (record) out.failed.push(record);
      }
      return;
    }
    const keys = keysOfInput(child.Input);
    if (keys.length === 0) keys.push(child.ExecutionArn ?? `${where}#${index}`);
    for (const key of keys) {
      if (group === 'PENDING' && !childFailed) {
        out.failed.push({
          key,
          error: 'NotProcessed',
          cause: 'The map run ended before this file was processed.',
        });
      } else {
        const cause = child.Cause;
        out.failed.push({ key, error: child.Error ?? `States.${status}`, ...(cause ? { cause } : {}) });
      }
    }
  });
  return out;
}

async function getText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!response.Body) throw new InvalidResultsError(`s3://${bucket}/${key} has no body`);
  return response.Body.transformToString('utf-8');
}

/**
 * Every outcome recorded under a ResultWriter manifest. A results file that does not parse is
 * itself reported as a failure (keyed by its S3 URI), so the other files still make the report.
 */
export async function readMapRunOutcomes(
  s3: S3Client,
  location: { Bucket: string; Key: string },
): Promise<MapRunOutcomes> {
  const manifestUri = `s3://${location.Bucket}/${location.Key}`;
  const manifest = parseManifest(await getText(s3, location.Bucket, location.Key), manifestUri);
  const bucket = manifest.DestinationBucket || location.Bucket;
  const all: MapRunOutcomes = { summaryKeys: [], analyzed: 0, failed: [] };
  for (const group of ['SUCCEEDED', 'FAILED', 'PENDING'] as const) {
    for (const file of manifest.ResultFiles[group] ?? []) {
      const where = `s3://${bucket}/${file.Key}`;
      const text = await getText(s3, bucket, file.Key);
      try {
        const outcomes = outcomesFromResults(text, group, where);
        for (const key of outcomes.summaryKeys) all.summaryKeys.push(key);
        all.analyzed += outcomes.analyzed;
        for (const failed of outcomes.failed) all.failed.push(failed);
      } catch (error) {
        if (!(error instanceof InvalidResultsError)) throw error;
        all.failed.push({ key: where, error: error.name, cause: error.message });
      }
    }
  }
  return all;
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
