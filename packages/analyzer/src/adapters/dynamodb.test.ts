import { describe, expect, it } from 'vitest';
import { SUMMARY_TABLE_KEYS } from '@logflow/shared-types';
import { emptyRecord } from '../record.js';
import { SummaryBuilder } from '../summary/builder.js';
import { SUMMARY_MAX_BYTES, embeddedSize, serializedSize } from '../summary/size.js';
import { worstCaseSummary } from '../summary/test-support/worst-case.js';
import { DYNAMO_ITEM_MAX_BYTES, dynamoItemSize, fromSummaryItem, toSummaryItem } from './dynamodb.js';

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

describe('toSummaryItem', () => {
  it('keys the item by day and object and stores the summary deterministically', () => {
    const summary = smallSummary();
    const item = toSummaryItem(summary, '2026-11-22', { bucket: 'in', ttlDays: 30 });
    expect(item[SUMMARY_TABLE_KEYS.partitionKey]).toEqual({ S: 'DAY#2026-11-22' });
    expect(item[SUMMARY_TABLE_KEYS.sortKey]).toEqual({ S: 'FILE#s3://in/logs/2026/11/22/a.log' });
    expect(item.requests).toEqual({ N: '1' });
    expect(item.format).toEqual({ S: 'alb' });
    expect(item[SUMMARY_TABLE_KEYS.ttlAttribute]).toEqual({
      N: String(Date.UTC(2026, 10, 23) / 1000 + 30 * 86_400),
    });
    expect(toSummaryItem(summary, '2026-11-22', { bucket: 'in', ttlDays: 30 })).toEqual(item);
    expect(fromSummaryItem(item)).toEqual(summary);
  });

  it('rejects bad dates, TTLs, versions and shapes with the item named', () => {
    const summary = smallSummary();
    expect(() => toSummaryItem(summary, '22/11/2026', { bucket: 'in' })).toThrow(
      /invalid date "22\/11\/2026"/,
    );
    expect(() => toSummaryItem(summary, '2026-11-22', { bucket: 'in', ttlDays: 0 })).toThrow(/TTL/);
    const item = toSummaryItem(summary, '2026-11-22', { bucket: 'in' });
    const v2 = { ...item, summary: { S: JSON.stringify({ ...summary, version: 2 }) } };
    expect(() => fromSummaryItem(v2)).toThrow(
      /DAY#2026-11-22 FILE#s3:\/\/in\/logs\/2026\/11\/22\/a.log: unsupported summary version 2/,
    );
    expect(() => fromSummaryItem({ ...item, summary: { S: '{' } })).toThrow(/not JSON/);
    expect(() =>
      fromSummaryItem({ ...item, summary: { S: JSON.stringify({ ...summary, topPaths: null }) } }),
    ).toThrow(/topPaths/);
    try {
      fromSummaryItem({});
      expect.unreachable();
    } catch (e) {
      expect((e as Error).name).toBe('InvalidSummaryItemError');
    }
  });

  it('stays within the summary cap and the DynamoDB item limit for a worst-case summary', () => {
    const summary = worstCaseSummary();
    const size = serializedSize(summary);
    expect(embeddedSize(summary)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(size).toBeGreaterThan(64 * 1024); // really a worst case: shrinking had to go past the target
    const item = toSummaryItem(summary, '2026-11-22', { bucket: 'in' });
    expect(dynamoItemSize(item)).toBeLessThanOrEqual(DYNAMO_ITEM_MAX_BYTES);
    expect(fromSummaryItem(item)).toEqual(summary);
    expect(summary.malformedSamples.every((s) => s.text.length <= 200)).toBe(true);
    expect(summary.topPaths.entries.every((e) => e.value.length <= 256)).toBe(true);
  });
});
