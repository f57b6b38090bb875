import type { LogFormat } from '@logflow/shared-types';
import { AlbParser } from './alb.js';
import { ClfParser } from './clf.js';
import { CloudFrontParser } from './cloudfront.js';
import type { JsonFieldMapping } from './jsonl.js';
import { JsonLinesParser } from './jsonl.js';
import { S3Parser } from './s3.js';
import type { LineParser } from './types.js';

export type { LineParser } from './types.js';
export type { JsonFieldMapping, LatencyUnit } from './jsonl.js';
export { DEFAULT_JSON_FIELDS } from './jsonl.js';

export interface ParserOptions {
  jsonFields?: JsonFieldMapping;
}

/** A fresh parser (parsers keep per-file state) for `format`. */
export function createParser(format: LogFormat, options: ParserOptions = {}): LineParser {
  switch (format) {
    case 'combined':
    case 'common':
      return new ClfParser(format);
    case 'alb':
      return new AlbParser();
    case 'cloudfront':
      return new CloudFrontParser();
    case 's3':
      return new S3Parser();
    case 'jsonl':
      return new JsonLinesParser(options.jsonFields);
  }
}
