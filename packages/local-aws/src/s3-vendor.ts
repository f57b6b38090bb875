/**
 * Typed access to s3rver, which ships no type declarations. Loaded through `createRequire` so
 * packages that compile this source need no ambient module declarations.
 */
import { createRequire, Module } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

const require = createRequire(import.meta.url);

export interface S3rverObject {
  bucket: string;
  key: string;
  content: Readable | Buffer | null;
  metadata: Record<string, string>;
  readonly size: number;
  readonly lastModifiedDate: Date;
}

export interface ListObjectsOptions {
  delimiter?: string;
  startAfter?: string;
  prefix?: string;
  maxKeys?: number;
}

export interface ListObjectsResult {
  objects: S3rverObject[];
  commonPrefixes: string[];
  isTruncated: boolean;
}

/** The storage interface s3rver's controllers call (its FilesystemStore's methods). */
export interface S3rverStore {
  rootDirectory?: string;
  reset(): void;
  listBuckets(): Promise<{ name: string; creationDate: Date }[]>;
  getBucket(bucket: string): Promise<{ name: string; creationDate: Date } | null>;
  putBucket(bucket: string): Promise<{ name: string; creationDate: Date } | null>;
  deleteBucket(bucket: string): Promise<void>;
  listObjects(bucket: string, options: ListObjectsOptions): Promise<ListObjectsResult>;
  existsObject(bucket: string, key: string): Promise<boolean>;
  getMetadata(bucket: string, key: string): Promise<Record<string, string | number>>;
  putMetadata(bucket: string, key: string, metadata: Record<string, unknown>, md5?: string): Promise<void>;
  copyObject(
    srcBucket: string,
    srcKey: string,
    destBucket: string,
    destKey: string,
    replacementMetadata?: Record<string, unknown>,
  ): Promise<Record<string, string | number>>;
  deleteObject(bucket: string, key: string): Promise<void>;
  /** A bucket's (key undefined) or object's configuration document, e.g. `cors`, `website`. */
  getSubresource(bucket: string, key: string | undefined, resourceType: string): Promise<unknown>;
  putSubresource(bucket: string, key: string | undefined, resource: { type: string }): Promise<void>;
  deleteSubresource(bucket: string, key: string | undefined, resourceType: string): Promise<void>;
}

/** The part of s3rver's winston logger its code calls. */
export interface S3rverLogger {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  exceptions: { unhandle(): void };
  close(): void;
}

export interface S3rverInstance {
  store: S3rverStore;
  logger: S3rverLogger;
  context: { store: S3rverStore; logger: S3rverLogger };
  /** Koa's request handler. */
  callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

export interface S3rverOptions {
  silent: boolean;
  directory: string;
  vhostBuckets: boolean;
  resetOnClose: boolean;
  configureBuckets: unknown[];
}

type S3rverConstructor = new (options: Partial<S3rverOptions>) => S3rverInstance;

interface KoaContext {
  query: Record<string, string | string[]>;
  headers: Record<string, unknown>;
  state: { website?: unknown; account?: unknown };
}

/**
 * s3rver's authentication middleware, replaced before s3rver loads: the endpoint's front has
 * verified the SigV4 signature already (s3rver checks only SigV2 and reads the wall clock). What
 * stays is its other job: `x-amz-*` query parameters of presigned URLs count as headers.
 */
function verifiedRequests() {
  const account = (require('s3rver/lib/models/account') as { DUMMY_ACCOUNT: unknown }).DUMMY_ACCOUNT;
  return async function authentication(ctx: KoaContext, next: () => Promise<void>): Promise<void> {
    if (!ctx.state.website) {
      for (const [key, value] of Object.entries(ctx.query)) {
        const name = key.toLowerCase();
        if (name.startsWith('x-amz-')) ctx.headers[name] = value;
      }
      ctx.state.account = account;
    }
    return next();
  };
}

const authenticationPath = require.resolve('s3rver/lib/middleware/authentication');
const replaced = new Module(authenticationPath);
replaced.filename = authenticationPath;
replaced.loaded = true;
replaced.exports = verifiedRequests;
require.cache[authenticationPath] = replaced;

export const S3rver = require('s3rver') as S3rverConstructor;

export const FilesystemStore = require('s3rver/lib/stores/filesystem') as new (
  directory: string,
) => S3rverStore;

export const S3ObjectModel = require('s3rver/lib/models/object') as new (
  bucket: string,
  key: string,
  content: Readable | Buffer | null,
  metadata: Record<string, unknown>,
) => S3rverObject;

export const S3BucketModel = require('s3rver/lib/models/bucket') as new (
  name: string,
  creationDate: Date,
) => { name: string; creationDate: Date };

/** s3rver's error type; its controllers turn it into S3's XML error answer. */
export const S3Error = require('s3rver/lib/models/error') as new (
  code: string,
  message: string,
  detail?: Record<string, string>,
) => Error;
