import { describe, expect, it } from 'vitest';
import { busyDay, emptyDay, onlyFailuresDay } from '../test-support/fixtures.js';
import { describeCause } from '../cause.js';
import { dayHealth, rebucketTimeline } from './view.js';

describe('rebucketTimeline', () => {
  it('keeps per-minute buckets for a short timeline', () => {
    const series = rebucketTimeline({
      start: '2026-11-22T10:00:00.000Z',
      bucketSeconds: 60,
      requests: [1, 2, 3],
      errors5xx: [0, 1, 0],
    });
    expect(series?.bucketSeconds).toBe(60);
    expect(series?.buckets.map((b) => b.requests)).toEqual([1, 2, 3]);
  });

  it('coarsens a day of minutes to epoch-aligned buckets and loses no request', () => {
    const day = busyDay();
    const series = rebucketTimeline(day.timeline!, 24);
    expect(series?.bucketSeconds).toBe(3600);
    expect(series?.buckets).toHaveLength(24);
    expect(series?.buckets[0]?.startMs).toBe(Date.parse('2026-11-22T00:00:00Z'));
    expect(series?.buckets.reduce((s, b) => s + b.requests, 0)).toBe(day.requests);
    expect(series?.buckets.reduce((s, b) => s + b.errors5xx, 0)).toBe(day.statusClass['5xx']);
  });

  it('aligns a timeline that starts mid-bucket', () => {
    const series = rebucketTimeline(
      { start: '2026-11-22T10:03:00.000Z', bucketSeconds: 60, requests: Array(600).fill(1), errors5xx: [] },
      48,
    );
    expect(series?.bucketSeconds).toBe(900);
    expect(new Date(series!.startMs).toISOString()).toBe('2026-11-22T10:00:00.000Z');
    expect(series?.buckets[0]?.requests).toBe(12);
    expect(series?.buckets.reduce((s, b) => s + b.requests, 0)).toBe(600);
  });

  it('returns null for an empty or invalid timeline', () => {
    expect(rebucketTimeline({ start: 'x', bucketSeconds: 60, requests: [1], errors5xx: [0] })).toBeNull();
    expect(
      rebucketTimeline({ start: '2026-11-22T00:00:00Z', bucketSeconds: 60, requests: [], errors5xx: [] }),
    ).toBeNull();
  });
});

describe('dayHealth', () => {
  it('flags failed files first', () => {
    expect(dayHealth(busyDay())).toEqual({ health: 'bad', reasons: ['1 file failed', '9 malformed lines'] });
  });

  it('calls an empty day a warning and a failing day bad', () => {
    expect(dayHealth(emptyDay()).health).toBe('warn');
    expect(dayHealth(onlyFailuresDay())).toEqual({ health: 'bad', reasons: ['2 files failed'] });
  });
});

describe('describeCause', () => {
  it('shows the message of a Lambda error', () => {
    const cause = JSON.stringify({
      errorType: 'E',
      errorMessage: 'a.log: unrecognised "x"',
      trace: ['at f'],
    });
    expect(describeCause(cause)).toBe('a.log: unrecognised "x"');
  });

  it('pulls the message out of a cause cut short', () => {
    expect(describeCause('{"errorType":"E","errorMessage":"bad \\"line\\" 1","trace":["at')).toBe(
      'bad "line" 1',
    );
  });

  it('leaves other causes as they are', () => {
    expect(describeCause('NoSuchKey')).toBe('NoSuchKey');
    expect(describeCause('{"other":1}')).toBe('{"other":1}');
    expect(describeCause(undefined)).toBe('');
  });
});
