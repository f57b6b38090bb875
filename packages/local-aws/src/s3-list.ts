/**
 * ListObjects (V1 and V2) answered by the router itself: s3rver's continuation tokens need the
 * DES cipher (absent from Node's default OpenSSL 3 provider) and its pages do not follow S3's
 * key order. Tokens here are opaque base64url of the entry a page ended with.
 */
import { xmlEscape } from './http-util.js';
import type { KeyOrderedListing } from './s3-store.js';
import type { ListObjectsOptions, S3rverStore } from './s3-vendor.js';

export interface ListingStore extends S3rverStore {
  listObjects(bucket: string, options: ListObjectsOptions): Promise<KeyOrderedListing>;
}

export interface S3Response {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const OWNER = { id: '123456789000', displayName: 'logflow-local' };

export function s3Error(
  status: number,
  code: string,
  message: string,
  detail: Record<string, string> = {},
): S3Response {
  const extra = Object.entries(detail)
    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
    .join('');
  return {
    status,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${extra}</Error>`,
  };
}

export function encodeToken(entry: string): string {
  return Buffer.from(`1:${entry}`, 'utf8').toString('base64url');
}

export function decodeToken(token: string): string | undefined {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  return text.startsWith('1:') ? text.slice(2) : undefined;
}

/** Whether a request is a bucket listing this module answers (`GET /<bucket>` without subresource). */
export function isListObjects(method: string, pathname: string, query: URLSearchParams): boolean {
  if (method !== 'GET') return false;
  const parts = pathname.split('/').filter((p) => p !== '');
  if (parts.length !== 1 || pathname.replace(/\/+$/, '') !== `/${parts[0]}`) return false;
  const subresources = [...query.keys()].filter(
    (k) =>
      ![
        'list-type',
        'prefix',
        'delimiter',
        'max-keys',
        'continuation-token',
        'start-after',
        'fetch-owner',
        'encoding-type',
        'marker',
        'x-id',
      ].includes(k),
  );
  return subresources.length === 0;
}

export async function listObjects(
  store: ListingStore,
  bucket: string,
  query: URLSearchParams,
): Promise<S3Response> {
  if (!(await store.getBucket(bucket))) {
    return s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
  }
  const v2 = query.get('list-type') === '2';
  const maxKeysText = query.get('max-keys');
  let maxKeys = 1000;
  if (maxKeysText !== null) {
    if (!/^\d+$/.test(maxKeysText)) {
      return s3Error(400, 'InvalidArgument', 'Provided max-keys not an integer or within integer range', {
        ArgumentName: 'max-keys',
        ArgumentValue: maxKeysText,
      });
    }
    maxKeys = Math.min(1000, Number(maxKeysText));
  }
  const encodingType = query.get('encoding-type');
  if (encodingType !== null && encodingType !== 'url') {
    return s3Error(400, 'InvalidArgument', 'Invalid Encoding Method specified in Request', {
      ArgumentName: 'encoding-type',
      ArgumentValue: encodingType,
    });
  }
  const enc =
    encodingType === 'url' ? (s: string) => encodeURIComponent(s).replace(/%2F/g, '/') : (s: string) => s;
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  let startAfter: string;
  const token = query.get('continuation-token');
  if (v2) {
    if (query.has('marker')) {
      return s3Error(400, 'InvalidArgument', 'Marker unsupported with REST.GET.BUCKET in list-type=2', {
        ArgumentName: 'marker',
      });
    }
    if (token !== null) {
      const decoded = decodeToken(token);
      if (decoded === undefined) {
        return s3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect', {
          ArgumentName: 'continuation-token',
        });
      }
      startAfter = decoded;
    } else startAfter = query.get('start-after') ?? '';
  } else {
    startAfter = query.get('marker') ?? '';
  }

  const page: KeyOrderedListing =
    maxKeys === 0
      ? { objects: [], commonPrefixes: [], isTruncated: false }
      : await store.listObjects(bucket, { prefix, delimiter, startAfter, maxKeys });
  const fetchOwner = v2 ? query.get('fetch-owner') === 'true' : true;
  const tag = (name: string, value: string | number) => `<${name}>${xmlEscape(String(value))}</${name}>`;
  const parts: string[] = [tag('Name', bucket), tag('Prefix', enc(prefix))];
  if (v2) {
    if (token !== null) parts.push(tag('ContinuationToken', token));
    else if (query.has('start-after')) parts.push(tag('StartAfter', enc(startAfter)));
    if (page.isTruncated && page.lastEntry !== undefined) {
      parts.push(tag('NextContinuationToken', encodeToken(page.lastEntry)));
    }
    parts.push(tag('KeyCount', page.objects.length + page.commonPrefixes.length));
  } else {
    parts.push(tag('Marker', enc(startAfter)));
    if (page.isTruncated && delimiter && page.lastEntry !== undefined)
      parts.push(tag('NextMarker', enc(page.lastEntry)));
  }
  parts.push(tag('MaxKeys', maxKeysText ?? '1000'));
  if (delimiter) parts.push(tag('Delimiter', enc(delimiter)));
  if (encodingType) parts.push(tag('EncodingType', encodingType));
  parts.push(tag('IsTruncated', String(page.isTruncated)));
  for (const object of page.objects) {
    const owner = fetchOwner
      ? `<Owner>${tag('ID', OWNER.id)}${tag('DisplayName', OWNER.displayName)}</Owner>`
      : '';
    parts.push(
      `<Contents>${tag('Key', enc(object.key))}${tag('LastModified', object.lastModifiedDate.toISOString())}` +
        `${tag('ETag', String(object.metadata['etag']))}${tag('Size', object.size)}${owner}` +
        `${tag('StorageClass', object.metadata['x-amz-storage-class'] ?? 'STANDARD')}</Contents>`,
    );
  }
  for (const commonPrefix of page.commonPrefixes) {
    parts.push(`<CommonPrefixes>${tag('Prefix', enc(commonPrefix))}</CommonPrefixes>`);
  }
  return {
    status: 200,
    headers: { 'content-type': 'application/xml' },
    body:
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${parts.join('')}</ListBucketResult>`,
  };
}
