import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TIMELINE_BUCKET_SECONDS,
  bucketWidthAtLeast,
  TimelineBuilder,
  coarsenTimeline,
  mergeTimelines,
} from './timeline.js';

const T0 = Date.UTC(2026, 10, 22);

describe('timeline', () => {
  it('has a common coarser width for any two ladder widths, so any timelines merge', () => {
    for (const a of TIMELINE_BUCKET_SECONDS) {
      for (const b of TIMELINE_BUCKET_SECONDS) {
        const w = bucketWidthAtLeast(Math.max(a, b), a, b);
        expect(w % a).toBe(0);
        expect(w % b).toBe(0);
        expect(w).toBeLessThanOrEqual(Math.max(a, b) * 5);
      }
    }
  });

  it('counts per minute, in any arrival order', () => {
    const t = new TimelineBuilder();
    t.add(T0 + 5 * 60_000, true);
    t.add(T0, false);
    t.add(T0 + 59_999, true);
    t.add(T0 - 1, false);
    expect(t.finish()).toEqual({
      start: new Date(T0 - 60_000).toISOString(),
      bucketSeconds: 60,
      requests: [1, 2, 0, 0, 0, 0, 1],
      errors5xx: [0, 1, 0, 0, 0, 0, 1],
    });
  });

  it('coarsens a long span to at most 1,440 buckets, keeping every count', () => {
    const t = new TimelineBuilder();
    let n = 0;
    for (let ms = 0; ms < 3 * 86_400_000; ms += 37_000) {
      t.add(T0 + ms, ms % 5 === 0);
      n++;
    }
    const tl = t.finish()!;
    expect(tl.bucketSeconds).toBe(300);
    expect(tl.requests.length).toBeLessThanOrEqual(1440);
    expect(tl.requests.reduce((a, b) => a + b, 0)).toBe(n);
  });

  it('stays bounded in memory for timestamps years apart', () => {
    const t = new TimelineBuilder();
    t.add(Date.UTC(1990, 0, 1), false);
    t.add(Date.UTC(2030, 0, 1), true);
    t.add(Date.UTC(2026, 0, 1), false);
    expect(t.requests.length).toBeLessThanOrEqual(1 << 16);
    const tl = t.finish()!;
    expect(tl.requests.reduce((a, b) => a + b, 0)).toBe(3);
    expect(tl.errors5xx.reduce((a, b) => a + b, 0)).toBe(1);
    expect(tl.requests.length).toBeLessThanOrEqual(1440);
  });

  it('merges at the coarsest width, aligned to it', () => {
    const fine = {
      start: new Date(T0 + 60_000).toISOString(),
      bucketSeconds: 60,
      requests: [1, 2, 3, 4, 5],
      errors5xx: [0, 1, 0, 0, 1],
    };
    const coarse = { start: new Date(T0).toISOString(), bucketSeconds: 300, requests: [10], errors5xx: [2] };
    expect(mergeTimelines([fine, null, coarse])).toEqual({
      start: new Date(T0).toISOString(),
      bucketSeconds: 300,
      requests: [20, 5],
      errors5xx: [3, 1],
    });
    expect(coarsenTimeline(fine, 2)).toEqual({
      start: new Date(T0).toISOString(),
      bucketSeconds: 300,
      requests: [10, 5],
      errors5xx: [1, 1],
    });
  });

  it('matches exact per-bucket counts for timestamps in any order and span (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 10 * 365 * 86_400_000 }), fc.boolean()), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.integer({ min: 2, max: 1440 }),
        (points, maxBuckets) => {
          const t = new TimelineBuilder(1024);
          for (const [ms, err] of points) t.add(T0 + ms, err);
          const tl = t.finish(maxBuckets)!;
          expect(tl.requests.length).toBeLessThanOrEqual(maxBuckets);
          const w = tl.bucketSeconds * 1000;
          const start = Date.parse(tl.start);
          expect(start % w).toBe(0);
          const req = new Array<number>(tl.requests.length).fill(0);
          const errs = new Array<number>(tl.requests.length).fill(0);
          for (const [ms, err] of points) {
            const i = Math.floor((T0 + ms - start) / w);
            req[i]!++;
            if (err) errs[i]!++;
          }
          expect(tl.requests).toEqual(req);
          expect(tl.errors5xx).toEqual(errs);
        },
      ),
      { numRuns: 300 },
    );
  });
});
