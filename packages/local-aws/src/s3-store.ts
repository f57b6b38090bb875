/**
 * Object stores for s3rver. s3rver's own FilesystemStore lists keys in directory-walk order,
 * which differs from S3's UTF-8 binary key order (`a-b` vs `a/b`), and has no in-memory mode.
 * `SortedFilesystemStore` keeps s3rver's on-disk layout but lists in key order;
 * `MemoryObjectStore` keeps everything in memory for tests.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  FilesystemStore,
  S3BucketModel,
  S3Error,
  S3ObjectModel,
  type ListObjectsOptions,
  type ListObjectsResult,
  type S3rverObject,
  type S3rverStore,
} from './s3-vendor.js';
import { stateFolderError } from './state-errors.js';
import { systemClock, type Clock } from '@logflow/shared-types';

const OBJECT_SUFFIX = '._S3rver_object';

/**
 * Key segments stored under their own name on disk are at most this many UTF-8 bytes: a file
 * name holds 255, and s3rver appends `._S3rver_metadata.json` (and uploads `.partial-...`).
 */
const MAX_PLAIN_SEGMENT_BYTES = 200;
/** Names of hashed segments start with this; a key segment that does is hashed too. */
const HASHED_PREFIX = '~h~';
/** The file beside a hashed name that holds the segment it stands for. */
const SEGMENT_SUFFIX = '._S3rver_segment';

/** One `/`-separated segment of a key and the name it has on disk. */
export interface DiskSegment {
  segment: string;
  name: string;
  hashed: boolean;
}

/**
 * The on-disk names of a key's segments. A segment is its own file or folder name when the
 * filesystem can hold it; one that is too long, empty (`a//b`), `.` or `..`, or holds a NUL
 * byte or s3rver's markers, is stored as `~h~<sha256>` with the segment written beside it.
 */
export function diskSegments(key: string): DiskSegment[] {
  const segments = key.split('/');
  return segments.map((segment, i) => {
    const last = i === segments.length - 1;
    const plain =
      Buffer.byteLength(segment, 'utf8') <= MAX_PLAIN_SEGMENT_BYTES &&
      (segment !== '' || last) &&
      segment !== '.' &&
      segment !== '..' &&
      !segment.includes('\u0000') &&
      !segment.includes('._S3rver_') &&
      !segment.startsWith(HASHED_PREFIX);
    return plain
      ? { segment, name: segment, hashed: false }
      : { segment, name: HASHED_PREFIX + createHash('sha256').update(segment).digest('hex'), hashed: true };
  });
}

/** Bytes per disk read of a downloaded object: one system call per MiB, not per 64 KiB. */
const IO_CHUNK_BYTES = 1 << 20;

/** The store's methods that write the state folder. */
const STATE_WRITES = [
  'putObject',
  'copyObject',
  'deleteObject',
  'putBucket',
  'deleteBucket',
  'putMetadata',
  'initiateUpload',
  'putPart',
  'putObjectMultipart',
  'putSubresource',
  'deleteSubresource',
] as const;

/** Result of a listing page, plus the token a following page starts after. */
export interface KeyOrderedListing extends ListObjectsResult {
  /** The last key or common prefix in this page; the next page starts after it. */
  lastEntry?: string;
}

/** Compares keys as S3 orders them: by their UTF-8 bytes. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Picks one page out of a sorted key list with S3's rules: keys after `startAfter` under
 * `prefix`, keys sharing a `delimiter`-terminated prefix rolled up into one common prefix, and
 * keys and common prefixes together counting towards `maxKeys`.
 */
export function pageOfKeys(
  sortedKeys: readonly string[],
  options: ListObjectsOptions,
): { keys: string[]; commonPrefixes: string[]; isTruncated: boolean; lastEntry?: string } {
  const { prefix = '', delimiter = '', startAfter = '', maxKeys = 1000 } = options;
  const keys: string[] = [];
  const commonPrefixes: string[] = [];
  let lastEntry: string | undefined;
  let isTruncated = false;
  for (const key of sortedKeys) {
    if (!key.startsWith(prefix)) continue;
    if (startAfter && compareKeys(key, startAfter) <= 0) continue;
    let entry = key;
    let isPrefix = false;
    if (delimiter) {
      const idx = key.indexOf(delimiter, prefix.length);
      if (idx !== -1) {
        entry = key.slice(0, idx + delimiter.length);
        isPrefix = true;
      }
    }
    if (isPrefix && entry === lastEntry) continue;
    // a common prefix the previous page ended with: its keys were rolled up there
    if (isPrefix && startAfter === entry) continue;
    if (keys.length + commonPrefixes.length >= maxKeys) {
      isTruncated = true;
      break;
    }
    if (isPrefix) commonPrefixes.push(entry);
    else keys.push(entry);
    lastEntry = entry;
  }
  return lastEntry === undefined
    ? { keys, commonPrefixes, isTruncated }
    : { keys, commonPrefixes, isTruncated, lastEntry };
}

/** One listing page of a store that can list its keys in order, with each object's metadata. */
async function listInKeyOrder(
  store: Pick<S3rverStore, 'getMetadata'> & { keysUnder(bucket: string, prefix: string): Promise<string[]> },
  bucket: string,
  options: ListObjectsOptions,
): Promise<KeyOrderedListing> {
  const page = pageOfKeys(await store.keysUnder(bucket, options.prefix ?? ''), options);
  const objects = await Promise.all(
    page.keys.map(async (key) => new S3ObjectModel(bucket, key, null, await store.getMetadata(bucket, key))),
  );
  return { ...page, objects };
}

/**
 * s3rver's filesystem store, listing keys in S3 order and writing objects atomically: the body
 * goes to a temporary file that is renamed into place only once complete, so an upload cut off
 * (client gone, server stopped) never leaves a partial object behind.
 */
export class SortedFilesystemStore extends (FilesystemStore as new (directory: string) => S3rverStore) {
  constructor(private readonly root: string) {
    super(root);
    // a full disk or read-only folder is answered as such, naming the folder
    const self = this as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const name of STATE_WRITES) {
      const method = self[name]!;
      self[name] = async (...args: unknown[]) => {
        try {
          return await method.apply(this, args);
        } catch (error) {
          const failure = stateFolderError(error, root);
          throw failure ? new S3Error('InternalError', failure.message) : error;
        }
      };
    }
  }

  /** Where s3rver keeps `resource` of a key: its segments' disk names, the last one suffixed. */
  getResourcePath(bucket: string, key = '', resource: string): string {
    const segments = diskSegments(key);
    const last = segments.pop()!;
    return path.join(this.root, bucket, ...segments.map((s) => s.name), `${last.name}._S3rver_${resource}`);
  }

  private objectPath(bucket: string, key: string): string {
    return this.getResourcePath(bucket, key, 'object');
  }

  /** Writes the segment files of a key's hashed names, so listings can name the key. */
  private async recordSegments(bucket: string, key: string): Promise<void> {
    let dir = path.join(this.root, bucket);
    for (const segment of diskSegments(key)) {
      if (segment.hashed) {
        await mkdir(dir, { recursive: true });
        await writeFile(path.join(dir, segment.name + SEGMENT_SUFFIX), segment.segment);
      }
      dir = path.join(dir, segment.name);
    }
  }

  /** The key segment an entry name on disk stands for. */
  private async segmentOf(dir: string, name: string): Promise<string> {
    return name.startsWith(HASHED_PREFIX) ? readFile(path.join(dir, name + SEGMENT_SUFFIX), 'utf8') : name;
  }

  async putObject(object: S3rverObject): Promise<{ size: number; md5: string }> {
    const objectPath = this.objectPath(object.bucket, object.key);
    await mkdir(path.dirname(objectPath), { recursive: true });
    await this.recordSegments(object.bucket, object.key);
    const partial = `${objectPath}.partial-${randomBytes(6).toString('hex')}`;
    const md5 = createHash('md5');
    let size = 0;
    try {
      await pipeline(
        Buffer.isBuffer(object.content)
          ? Readable.from([object.content])
          : (object.content ?? Readable.from([])),
        new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            md5.update(chunk);
            size += chunk.length;
            callback(null, chunk);
          },
        }),
        createWriteStream(partial),
      );
      const digest = md5.digest('hex');
      await this.putMetadata(object.bucket, object.key, object.metadata, digest);
      await rename(partial, objectPath);
      return { size, md5: digest };
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  /** s3rver's getObject, reading the file a MiB at a time. */
  async getObject(
    bucket: string,
    key: string,
    options?: { start?: number; end?: number },
  ): Promise<S3rverObject | null> {
    let metadata: Record<string, string | number>;
    try {
      metadata = await this.getMetadata(bucket, key);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const lastByte = Math.max(0, Number(metadata['content-length']) - 1);
    const range = { start: options?.start ?? 0, end: Math.min(options?.end ?? Infinity, lastByte) };
    const ranged = options !== undefined && (options.start !== undefined || options.end !== undefined);
    let content: Readable | null = null;
    if (!(range.start < 0 || range.end < range.start)) {
      try {
        content = await new Promise<Readable>((resolve, reject) => {
          const stream = createReadStream(this.objectPath(bucket, key), {
            ...range,
            highWaterMark: IO_CHUNK_BYTES,
          });
          stream.on('error', reject).once('open', () => resolve(stream));
        });
      } catch (error) {
        // removed between reading its metadata and opening it
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    }
    const object = new S3ObjectModel(bucket, key, content, metadata);
    if (ranged) Object.assign(object, { range });
    return object;
  }

  override async copyObject(
    srcBucket: string,
    srcKey: string,
    destBucket: string,
    destKey: string,
    replacementMetadata?: Record<string, unknown>,
  ): Promise<Record<string, string | number>> {
    await this.recordSegments(destBucket, destKey);
    return super.copyObject(srcBucket, srcKey, destBucket, destKey, replacementMetadata);
  }

  /** Removes an object's files, then folders left empty and segment files no longer used. */
  override async deleteObject(bucket: string, key: string): Promise<void> {
    await Promise.all(
      ['object', 'object.md5', 'metadata.json'].map((resource) =>
        rm(this.getResourcePath(bucket, key, resource), { force: true }),
      ),
    );
    const folders = diskSegments(key);
    let child = folders.pop()!;
    for (;;) {
      const dir = path.join(this.root, bucket, ...folders.map((s) => s.name));
      if (child.hashed) await this.pruneSegment(dir, child.name);
      if (folders.length === 0) return;
      const entries = await readdir(dir).catch(() => undefined);
      if (entries === undefined || entries.length > 0) return;
      await rmdir(dir);
      child = folders.pop()!;
    }
  }

  /** Deletes the segment file of a hashed name that no object or folder uses any more. */
  private async pruneSegment(dir: string, name: string): Promise<void> {
    const used = await Promise.all(
      [name, name + OBJECT_SUFFIX].map((entry) =>
        stat(path.join(dir, entry)).then(
          () => true,
          () => false,
        ),
      ),
    );
    if (!used.some(Boolean)) await rm(path.join(dir, name + SEGMENT_SUFFIX), { force: true });
  }

  /**
   * Bucket configurations (CORS, website) as s3rver reads them on every request, kept once read:
   * no other process writes the state folder (it is locked), so only these methods change them.
   */
  private readonly bucketConfigs = new Map<string, Promise<unknown>>();

  override getSubresource(bucket: string, key: string | undefined, resourceType: string): Promise<unknown> {
    if (key !== undefined) return super.getSubresource(bucket, key, resourceType);
    const id = `${bucket}/${resourceType}`;
    let config = this.bucketConfigs.get(id);
    if (!config) {
      config = super.getSubresource(bucket, undefined, resourceType);
      config.catch(() => this.bucketConfigs.delete(id));
      this.bucketConfigs.set(id, config);
    }
    return config;
  }

  override async putSubresource(
    bucket: string,
    key: string | undefined,
    resource: { type: string },
  ): Promise<void> {
    this.bucketConfigs.delete(`${bucket}/${resource.type}`);
    await super.putSubresource(bucket, key, resource);
    this.bucketConfigs.delete(`${bucket}/${resource.type}`);
  }

  override async deleteSubresource(
    bucket: string,
    key: string | undefined,
    resourceType: string,
  ): Promise<void> {
    this.bucketConfigs.delete(`${bucket}/${resourceType}`);
    await super.deleteSubresource(bucket, key, resourceType);
    this.bucketConfigs.delete(`${bucket}/${resourceType}`);
  }

  override reset(): void {
    super.reset();
    this.bucketConfigs.clear();
  }

  override async deleteBucket(bucket: string): Promise<void> {
    await super.deleteBucket(bucket);
    for (const id of this.bucketConfigs.keys())
      if (id.startsWith(`${bucket}/`)) this.bucketConfigs.delete(id);
  }

  /** Every object key of a bucket under `prefix`, sorted. */
  async keysUnder(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const walk = async (dir: string, keyPrefix: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      });
      for (const entry of entries) {
        if (entry.isDirectory()) {
          if (entry.name.includes('._S3rver_')) continue;
          const sub = `${keyPrefix}${await this.segmentOf(dir, entry.name)}/`;
          if (sub.startsWith(prefix) || prefix.startsWith(sub)) await walk(path.join(dir, entry.name), sub);
        } else if (entry.name.endsWith(OBJECT_SUFFIX)) {
          const key = keyPrefix + (await this.segmentOf(dir, entry.name.slice(0, -OBJECT_SUFFIX.length)));
          if (key.startsWith(prefix)) keys.push(key);
        }
      }
    };
    await walk(path.join(this.root, bucket), '');
    return keys.sort(compareKeys);
  }

  override listObjects(bucket: string, options: ListObjectsOptions): Promise<KeyOrderedListing> {
    return listInKeyOrder(this, bucket, options);
  }
}

interface MemoryObject {
  body: Buffer;
  metadata: Record<string, unknown>;
  md5: string;
  lastModified: Date;
}

interface MemoryBucket {
  creationDate: Date;
  objects: Map<string, MemoryObject>;
  subresources: Map<string, unknown>;
  uploads: Map<string, { key: string; metadata: Record<string, unknown>; parts: Map<number, Buffer> }>;
}

async function collect(content: Readable | Buffer): Promise<Buffer> {
  if (Buffer.isBuffer(content)) return content;
  const chunks: Buffer[] = [];
  await pipeline(
    content,
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    }),
  );
  return Buffer.concat(chunks);
}

function md5Hex(body: Buffer): string {
  return createHash('md5').update(body).digest('hex');
}

/** An s3rver store that keeps buckets and objects in memory (nothing touches the disk). */
export class MemoryObjectStore implements S3rverStore {
  private readonly buckets = new Map<string, MemoryBucket>();

  /** `clock` stamps bucket creation and object modification times. */
  constructor(private readonly clock: Clock = systemClock) {}

  reset(): void {
    this.buckets.clear();
  }

  async listBuckets(): Promise<{ name: string; creationDate: Date }[]> {
    return [...this.buckets.entries()].map(([name, b]) => new S3BucketModel(name, b.creationDate));
  }

  async getBucket(bucket: string): Promise<{ name: string; creationDate: Date } | null> {
    const b = this.buckets.get(bucket);
    return b ? new S3BucketModel(bucket, b.creationDate) : null;
  }

  async putBucket(bucket: string): Promise<{ name: string; creationDate: Date } | null> {
    if (!this.buckets.has(bucket)) {
      this.buckets.set(bucket, {
        creationDate: this.clock(),
        objects: new Map(),
        subresources: new Map(),
        uploads: new Map(),
      });
    }
    return this.getBucket(bucket);
  }

  async deleteBucket(bucket: string): Promise<void> {
    this.buckets.delete(bucket);
  }

  async keysUnder(bucket: string, prefix: string): Promise<string[]> {
    const b = this.buckets.get(bucket);
    if (!b) return [];
    return [...b.objects.keys()].filter((k) => k.startsWith(prefix)).sort(compareKeys);
  }

  listObjects(bucket: string, options: ListObjectsOptions): Promise<KeyOrderedListing> {
    return listInKeyOrder(this, bucket, options);
  }

  async existsObject(bucket: string, key: string): Promise<boolean> {
    return this.buckets.get(bucket)?.objects.has(key) ?? false;
  }

  private entry(bucket: string, key: string): MemoryObject {
    const object = this.buckets.get(bucket)?.objects.get(key);
    if (!object) throw Object.assign(new Error(`no object ${bucket}/${key}`), { code: 'ENOENT' });
    return object;
  }

  async getMetadata(bucket: string, key: string): Promise<Record<string, string | number>> {
    const object = this.entry(bucket, key);
    return {
      ...(object.metadata as Record<string, string>),
      etag: JSON.stringify(object.md5),
      'last-modified': object.lastModified.toUTCString(),
      'content-length': object.body.length,
    };
  }

  async putMetadata(
    bucket: string,
    key: string,
    metadata: Record<string, unknown>,
    md5?: string,
  ): Promise<void> {
    const object = this.entry(bucket, key);
    object.metadata = storedMetadata(metadata);
    if (md5) object.md5 = md5;
  }

  async getObject(
    bucket: string,
    key: string,
    options?: { start?: number; end?: number },
  ): Promise<S3rverObject | null> {
    const stored = this.buckets.get(bucket)?.objects.get(key);
    if (!stored) return null;
    const metadata = await this.getMetadata(bucket, key);
    const lastByte = Math.max(0, stored.body.length - 1);
    const ranged = options !== undefined && (options.start !== undefined || options.end !== undefined);
    const range = { start: options?.start ?? 0, end: Math.min(options?.end ?? Infinity, lastByte) };
    const satisfiable = !(range.start < 0 || range.end < range.start);
    const content = satisfiable ? Readable.from([stored.body.subarray(range.start, range.end + 1)]) : null;
    const object = new S3ObjectModel(bucket, key, content, metadata);
    if (ranged) Object.assign(object, { range });
    return object;
  }

  async putObject(object: S3rverObject): Promise<{ size: number; md5: string }> {
    const b = this.buckets.get(object.bucket);
    if (!b) throw Object.assign(new Error(`no bucket ${object.bucket}`), { code: 'ENOENT' });
    const body = await collect(object.content ?? Buffer.alloc(0));
    const md5 = md5Hex(body);
    b.objects.set(object.key, {
      body,
      md5,
      metadata: storedMetadata(object.metadata),
      lastModified: this.clock(),
    });
    return { size: body.length, md5 };
  }

  async copyObject(
    srcBucket: string,
    srcKey: string,
    destBucket: string,
    destKey: string,
    replacementMetadata?: Record<string, unknown>,
  ): Promise<Record<string, string | number>> {
    const source = this.entry(srcBucket, srcKey);
    const dest = this.buckets.get(destBucket);
    if (!dest) throw Object.assign(new Error(`no bucket ${destBucket}`), { code: 'ENOENT' });
    dest.objects.set(destKey, {
      body: source.body,
      md5: source.md5,
      metadata: replacementMetadata ? storedMetadata(replacementMetadata) : { ...source.metadata },
      lastModified: this.clock(),
    });
    return this.getMetadata(destBucket, destKey);
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    this.buckets.get(bucket)?.objects.delete(key);
  }

  async initiateUpload(
    bucket: string,
    key: string,
    uploadId: string,
    metadata: Record<string, unknown>,
  ): Promise<void> {
    this.buckets.get(bucket)?.uploads.set(uploadId, { key, metadata, parts: new Map() });
  }

  async putPart(
    bucket: string,
    uploadId: string,
    partNumber: number | string,
    content: Readable,
  ): Promise<{ size: number; md5: string }> {
    const upload = this.buckets.get(bucket)?.uploads.get(uploadId);
    if (!upload) throw Object.assign(new Error(`no upload ${uploadId}`), { code: 'ENOENT' });
    const body = await collect(content);
    upload.parts.set(Number(partNumber), body);
    return { size: body.length, md5: md5Hex(body) };
  }

  async putObjectMultipart(
    bucket: string,
    uploadId: string,
    parts: { number: number | string }[],
  ): Promise<{ size: number; md5: string }> {
    const b = this.buckets.get(bucket);
    const upload = b?.uploads.get(uploadId);
    if (!b || !upload) throw Object.assign(new Error(`no upload ${uploadId}`), { code: 'ENOENT' });
    const ordered = [...parts].sort((x, y) => Number(x.number) - Number(y.number));
    const body = Buffer.concat(
      ordered.map((p) => {
        const part = upload.parts.get(Number(p.number));
        if (!part) {
          throw new S3Error(
            'InvalidPart',
            'One or more of the specified parts could not be found. The part might not have been uploaded.',
            { PartNumber: String(p.number), UploadId: uploadId },
          );
        }
        return part;
      }),
    );
    b.uploads.delete(uploadId);
    return this.putObject(new S3ObjectModel(bucket, upload.key, body, upload.metadata));
  }

  async getSubresource(bucket: string, key: string | undefined, resourceType: string): Promise<unknown> {
    return this.buckets.get(bucket)?.subresources.get(`${key ?? ''}\u0000${resourceType}`) ?? null;
  }

  async putSubresource(bucket: string, key: string | undefined, resource: { type: string }): Promise<void> {
    this.buckets.get(bucket)?.subresources.set(`${key ?? ''}\u0000${resource.type}`, resource);
  }

  async deleteSubresource(bucket: string, key: string | undefined, resourceType: string): Promise<void> {
    this.buckets.get(bucket)?.subresources.delete(`${key ?? ''}\u0000${resourceType}`);
  }
}

const ALLOWED_METADATA = new Set([
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'content-type',
  'expires',
  'x-amz-storage-class',
  'x-amz-website-redirect-location',
]);

function storedMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(metadata).filter(([k]) => ALLOWED_METADATA.has(k) || k.startsWith('x-amz-meta-')),
  );
}
