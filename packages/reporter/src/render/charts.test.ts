import { describe, expect, it } from 'vitest';
import { latencyChart, niceMax, statusClassChart, timelineChart } from './charts.js';
import { rebucketTimeline } from './view.js';

const ticks = (svg: string, group: RegExp): string[] =>
  [...(group.exec(svg)?.[1] ?? '').matchAll(/<text class="tick"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe('niceMax', () => {
  it('rounds up to a round number', () => {
    expect([0, 0.3, 1, 9, 11, 513, 1129, 90_001].map(niceMax)).toEqual([1, 1, 1, 10, 12, 600, 1200, 100_000]);
  });
});

describe('timelineChart', () => {
  const series = rebucketTimeline({
    start: '2026-11-22T08:00:00.000Z',
    bucketSeconds: 60,
    requests: [4, 3, 9, 0, 8],
    errors5xx: [0, 1, 2, 0, 0],
  })!;
  const svg = timelineChart(series);

  it('labels count axes in whole steps', () => {
    expect(ticks(svg, /<g class="grid"[^>]*>([\s\S]*?)<\/g>/)).toEqual([
      '0',
      '2',
      '4',
      '6',
      '8',
      '10',
      '0',
      '1',
      '2',
    ]);
  });

  it('draws one bar per non-empty bucket with its value, and one hover target per bucket', () => {
    const bars = [...svg.matchAll(/<g class="bars bars-requests">([\s\S]*?)<\/g>/g)][0]?.[1] ?? '';
    expect([...bars.matchAll(/data-value="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([4, 3, 9, 8]);
    expect(svg.match(/<title>08:0\d–08:0\d UTC: /g)).toHaveLength(5);
    expect(svg).toContain('<title>08:02–08:03 UTC: 9 requests, 2 5xx</title>');
  });

  it('is accessible', () => {
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="chart-timeline-title chart-timeline-desc"/);
    expect(svg).toContain('busiest 1 min starts 08:02 UTC with 9 requests.');
  });
});

describe('statusClassChart and latencyChart', () => {
  it('draw a row per class and per percentile', () => {
    const status = statusClassChart(
      [
        { statusClass: '2xx', count: 90 },
        { statusClass: '5xx', count: 10 },
      ],
      100,
    );
    expect(status).toContain('data-class="5xx" data-value="10"');
    expect(status).toContain('>10 · 10%</text>');
    const latency = latencyChart({
      count: 10,
      sum: 100,
      min: 1,
      max: 90,
      p50: 8,
      p90: 20,
      p95: 30,
      p99: 80,
      relativeAccuracy: 0.01,
      sketch: '',
    });
    expect([...latency.matchAll(/data-quantile="(p\d+)"/g)].map((m) => m[1])).toEqual([
      'p50',
      'p90',
      'p95',
      'p99',
    ]);
  });
});
