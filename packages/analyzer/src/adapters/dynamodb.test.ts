import { describe, expect, it } from 'vitest';
import { SUMMARY_TABLE_KEYS } from '@logflow/shared-types';
import { emptyRecord } from '../record.js';
import { SummaryBuilder } from '../summary/builder.js';
import { SUMMARY_MAX_BYTES, embeddedSize, serializedSize } from '../summary/size.js';
import { worstCaseSummary } from '../summary/test-support/worst-case.js';
import {
  DYNAMO_ITEM_MAX_BYTES,
  dynamoItemSize,
  fromBatchSummaryItem,
  toBatchSummaryItem,
} from './dynamodb.js';

function smallSummary() {
  const b = new SummaryBuilder({
    file: { key: 'logs/2026/11/22/a.log', bucket: 'in', gzip: true },
    format: 'alb',
  });
  b.add({
    ...emptyRecord(),
    timestampMs: Date.UTC(2026, 10, 22, 1),
    status: 200,
    bytes: 10,
    client: '1.2.3.4',
  });
  return b.finish();
}

const detailOf = (summary: ReturnType<typeof smallSummary>) => ({
  key: summary.file.key,
  format: summary.format,
  requests: summary.requests,
  bytes: summary.bytes,
  malformed: summary.lines.malformed,
  errors5xx: summary.statusClass['5xx'],
});

describe('toBatchSummaryItem', () => {
  it('keys the record by day and batch id and stores the batch deterministically', () => {
    const summary = smallSummary();
    const batch = { core: summary, details: [detailOf(summary)] };
    const item = toBatchSummaryItem(batch, '2026-11-22', 'abc', { ttlDays: 30 });
    expect(item[SUMMARY_TABLE_KEYS.partitionKey]).toEqual({ S: 'DAY#2026-11-22' });
    expect(item[SUMMARY_TABLE_KEYS.sortKey]).toEqual({ S: 'BATCH#abc' });
    expect(item.requests).toEqual({ N: '1' });
    expect(item.files).toEqual({ N: '1' });
    expect(item[SUMMARY_TABLE_KEYS.ttlAttribute]).toEqual({
      N: String(Date.UTC(2026, 10, 23) / 1000 + 30 * 86_400),
    });
    expect(toBatchSummaryItem(batch, '2026-11-22', 'abc', { ttlDays: 30 })).toEqual(item);
    expect(fromBatchSummaryItem(item)).toEqual(batch);
  });

  it('rejects bad dates, TTLs, versions and shapes with the record named', () => {
    const summary = smallSummary();
    const batch = { core: summary, details: [detailOf(summary)] };
    expect(() => toBatchSummaryItem(batch, '22/11/2026', 'x')).toThrow(/invalid date "22\/11\/2026"/);
    expect(() => toBatchSummaryItem(batch, '2026-11-22', 'x', { ttlDays: 0 })).toThrow(/TTL/);
    const item = toBatchSummaryItem(batch, '2026-11-22', 'x');
    expect(() => fromBatchSummaryItem({ ...item, version: { N: '2' } })).toThrow(
      /DAY#2026-11-22 BATCH#x: unsupported summary version "2"/,
    );
    expect(() => fromBatchSummaryItem({ ...item, summary: { S: '{' } })).toThrow(/not JSON/);
    expect(() =>
      fromBatchSummaryItem({ ...item, summary: { S: JSON.stringify({ ...summary, topPaths: null }) } }),
    ).toThrow(/topPaths/);
    expect(() => fromBatchSummaryItem({ ...item, details: { S: '[{}]' } })).toThrow(/details/);
    try {
      fromBatchSummaryItem({});
      expect.unreachable();
    } catch (e) {
      expect((e as Error).name).toBe('InvalidSummaryItemError');
    }
  });

  it('stays within the DynamoDB item limit for a worst-case summary and a full batch of headlines', () => {
    const summary = worstCaseSummary();
    expect(embeddedSize(summary)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(serializedSize(summary)).toBeGreaterThan(64 * 1024); // really a worst case
    const details = Array.from({ length: 100 }, (_, i) => ({
      ...detailOf(smallSummary()),
      key: `${'k'.repeat(900)}${i}`,
    }));
    const item = toBatchSummaryItem({ core: summary, details }, '2026-11-22', 'x');
    expect(dynamoItemSize(item)).toBeLessThanOrEqual(DYNAMO_ITEM_MAX_BYTES);
    expect(fromBatchSummaryItem(item).core).toEqual(summary);
  });
});
