/** Writing and reading the report objects in the result bucket. */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DailyReportKeys, DailySummary } from '@logflow/shared-types';
import { dailyReportKeys } from '@logflow/shared-types';
import { renderHtml } from '../render/html.js';
import { renderJson } from '../render/json.js';
import { renderMarkdown } from '../render/markdown.js';

export const REPORT_CONTENT_TYPES: Record<keyof DailyReportKeys, string> = {
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

export const REPORT_FORMATS = ['json', 'md', 'html'] as const;

/** The three renderings of a report, keyed like `DailyReportKeys`. */
export function renderReport(daily: DailySummary): Record<keyof DailyReportKeys, string> {
  return { json: renderJson(daily), md: renderMarkdown(daily), html: renderHtml(daily) };
}

/** Writes `reports/<date>/summary.{json,md,html}`; the same summary always gives the same objects. */
export async function writeReport(
  s3: S3Client,
  bucket: string,
  daily: DailySummary,
): Promise<DailyReportKeys> {
  const keys = dailyReportKeys(daily.date);
  const bodies = renderReport(daily);
  await Promise.all(
    REPORT_FORMATS.map((format) =>
      s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: keys[format],
          Body: bodies[format],
          ContentType: REPORT_CONTENT_TYPES[format],
          CacheControl: 'no-cache',
        }),
      ),
    ),
  );
  return keys;
}

/** Reads one report object back as text. */
export async function readReportObject(s3: S3Client, bucket: string, key: string): Promise<string> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!response.Body) throw new Error(`s3://${bucket}/${key} has no body`);
  return response.Body.transformToString('utf-8');
}
