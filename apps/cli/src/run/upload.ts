/** Uploads a folder of log files under a prefix, streaming each file (never read whole). */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export interface LocalLogFile {
  path: string;
  /** Key relative to the prefix. */
  name: string;
  size: number;
}

/** Lists the regular files of `dir` (not recursive, hidden files skipped), sorted by name. */
export async function listLogFiles(dir: string): Promise<LocalLogFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: LocalLogFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || entry.name.startsWith('.') || /\.(md|txt\.md)$/i.test(entry.name)) continue;
    const path = join(dir, entry.name);
    files.push({ path, name: basename(path), size: (await stat(path)).size });
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function uploadLogFiles(
  s3: S3Client,
  bucket: string,
  prefix: string,
  files: LocalLogFile[],
  concurrency = 8,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length && !signal?.aborted) {
      const file = files[next++]!;
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `${prefix}${file.name}`,
          Body: createReadStream(file.path),
          ContentLength: file.size,
        }),
        signal ? { abortSignal: signal } : {},
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
}
