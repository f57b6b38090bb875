import { describe, expect, it } from 'vitest';
import {
  GB,
  TB,
  athenaScanCost,
  computeBill,
  formatBill,
  goalFor,
  regionPrices,
  type Usage,
} from './index.js';

/** A day of 1,000 objects totalling 1 TB (the figures below are worked out by hand). */
function usage(overrides: Partial<Usage> = {}): Usage {
  return {
    logs: { bytes: TB, files: 1000 },
    stepFunctions: {
      standardTransitions: 1003,
      expressExecutions: 1000,
      expressBilledDurationMs: 200_000,
      expressMemoryMb: 64,
    },
    lambda: [
      { name: 'analyzer', memoryMb: 1024, invocations: 1000, billedDurationMs: 5_000_000 },
      { name: 'reporter', memoryMb: 1024, invocations: 1, billedDurationMs: 2000 },
    ],
    s3: { get: 1001, list: 1, put: 6, copy: 0, storedBytes: 0, storedMonths: 1 },
    dynamodb: { wru: 2000, rru: 100 },
    cloudwatch: { putMetricDataRequests: 1000, metrics: 50, metricHours: 1 },
    ...overrides,
  };
}

describe('computeBill', () => {
  it('itemises a day at us-east-1 prices', () => {
    const bill = computeBill(usage());
    const cost = Object.fromEntries(bill.items.map((i) => [`${i.service} ${i.item}`, i.cost]));
    expect(cost['Step Functions standard state transitions']).toBeCloseTo(0.025075, 9);
    expect(cost['Step Functions express executions']).toBeCloseTo(0.001, 9);
    // 200 s × 64 MB = 12.5 GB-s at $0.00001667
    expect(cost['Step Functions express duration (64 MB)']).toBeCloseTo(0.000208375, 9);
    expect(cost['Lambda analyzer requests']).toBeCloseTo(0.0002, 9);
    // 5,000 s × 1 GB at $0.0000133334
    expect(cost['Lambda analyzer compute (1024 MB, arm64)']).toBeCloseTo(0.066667, 9);
    expect(cost['S3 GET requests']).toBeCloseTo(0.0004004, 9);
    expect(cost['S3 LIST requests']).toBeCloseTo(0.000005, 9);
    expect(cost['S3 PUT requests']).toBeCloseTo(0.00003, 9);
    expect(cost['S3 COPY requests']).toBeUndefined();
    expect(cost['DynamoDB write request units']).toBeCloseTo(0.00125, 9);
    expect(cost['DynamoDB read request units']).toBeCloseTo(0.0000125, 9);
    expect(cost['CloudWatch PutMetricData requests']).toBeCloseTo(0.01, 9);
    // 50 metrics for 1 hour of a 730-hour month at $0.30
    expect(cost['CloudWatch custom metrics']).toBeCloseTo(15 / 730, 9);
    expect(bill.total).toBeCloseTo(0.125423087, 8);
    expect(bill.perTb).toBeCloseTo(0.125423087, 8);
    expect(bill.s3GetFloor).toBeCloseTo(0.0004, 9);
    expect(bill.athena.cost).toBe(5);
  });

  it('bills Express memory in 64 MB steps and stored results by the GB-month', () => {
    const base = usage();
    const bill = computeBill({
      ...base,
      stepFunctions: { ...base.stepFunctions, expressMemoryMb: 100 },
      s3: { ...base.s3, storedBytes: 2 * GB, storedMonths: 3 },
    });
    const express = bill.items.find((i) => i.item.startsWith('express duration'));
    expect(express?.item).toBe('express duration (128 MB)');
    expect(express?.quantity).toBeCloseTo(25, 9);
    const stored = bill.items.find((i) => i.item === 'storage of results and reports');
    expect(stored?.cost).toBeCloseTo(6 * 0.023, 9);
  });

  it('uses the prices of the region asked for', () => {
    const frankfurt = computeBill(usage(), { region: 'eu-central-1' });
    expect(frankfurt.region).toBe('eu-central-1');
    expect(frankfurt.s3GetFloor).toBeCloseTo(1000 * 0.00000043, 12);
    expect(() => computeBill(usage(), { region: 'mars-1' })).toThrow(
      /no prices for region "mars-1".*us-east-1/,
    );
  });

  it('gives no per-TB figure for a day without bytes', () => {
    const bill = computeBill(usage({ logs: { bytes: 0, files: 0 } }));
    expect(bill.perTb).toBeNull();
    expect(bill.athena.perTb).toBeNull();
  });
});

describe('athenaScanCost', () => {
  it('charges $5 per TB with a 10 MB minimum per query', () => {
    const prices = regionPrices('us-east-1').athena;
    expect(athenaScanCost(TB, prices)).toBe(5);
    expect(athenaScanCost(2 ** 20, prices)).toBeCloseTo((5 * 10) / 2 ** 20, 12);
  });
});

describe('goals', () => {
  it('picks the goal of the nearest shape', () => {
    expect(goalFor(900 * 2 ** 20).shape).toBe('1 GB files');
    expect(goalFor(4 * 2 ** 20).shape).toBe('5 MB files');
    expect(goalFor(30 * 1024).shape).toBe('20 KB files');
  });

  it('measures 20 KB files against the S3 GET floor', () => {
    const small: Usage = {
      ...usage(),
      logs: { bytes: 1000 * 20 * 1024, files: 1000 },
      stepFunctions: {
        standardTransitions: 0,
        expressExecutions: 0,
        expressBilledDurationMs: 0,
        expressMemoryMb: 64,
      },
      lambda: [],
      s3: { get: 1000, list: 0, put: 0, copy: 0, storedBytes: 0, storedMonths: 1 },
      dynamodb: { wru: 0, rru: 0 },
      cloudwatch: { putMetricDataRequests: 0, metrics: 0, metricHours: 0 },
    };
    const goal = goalFor(20 * 1024);
    expect(goal.check(computeBill(small))).toBe(true);
    // one PutMetricData per file costs 25 GETs each: far above the floor
    expect(
      goal.check(computeBill({ ...small, cloudwatch: { ...small.cloudwatch, putMetricDataRequests: 1000 } })),
    ).toBe(false);
  });

  it('prints the bill with the goal verdict', () => {
    const text = formatBill(computeBill(usage()), usage());
    expect(text).toMatch(/total\s+\$0\.13 per day/);
    expect(text).toMatch(/Athena, one scan\s+\$5\.00/);
    expect(text).toContain('goal for 1 GB files: ≤ $0.30 per TB: PASS');
  });
});
