import { describe, expect, it } from 'vitest';
import { TB, projectUsage, type Usage } from './index.js';

/** 10 objects of 20 KiB, measured. */
const sample: Usage = {
  logs: { bytes: 10 * 20 * 1024, files: 10 },
  stepFunctions: {
    standardTransitions: 13,
    expressExecutions: 10,
    expressBilledDurationMs: 1500,
    expressMemoryMb: 64,
  },
  lambda: [
    { name: 'analyzer', memoryMb: 1024, invocations: 10, billedDurationMs: 400 },
    { name: 'reporter', memoryMb: 1024, invocations: 1, billedDurationMs: 200 },
  ],
  s3: { get: 12, list: 1, put: 5, copy: 0, storedBytes: 10_000, storedMonths: 1 },
  dynamodb: { wru: 170, rru: 45 },
  cloudwatch: { putMetricDataRequests: 11, metrics: 20, metricHours: 1 },
};

describe('projectUsage', () => {
  it('scales per-object counts by objects and durations by bytes', () => {
    // 20 KiB objects again, 1,000× as many bytes: 10,000 objects
    const day = projectUsage(sample, { bytes: 1000 * sample.logs.bytes, objectBytes: 20 * 1024 });
    expect(day.logs).toEqual({ bytes: 1000 * sample.logs.bytes, files: 10_000 });
    expect(day.stepFunctions).toEqual({
      standardTransitions: 3 + 10_000,
      expressExecutions: 10_000,
      expressBilledDurationMs: 1_500_000,
      expressMemoryMb: 64,
    });
    expect(day.lambda).toEqual([
      { name: 'analyzer', memoryMb: 1024, invocations: 10_000, billedDurationMs: 400_000 },
      { name: 'reporter', memoryMb: 1024, invocations: 1, billedDurationMs: 200_000 },
    ]);
    expect(day.s3).toEqual({
      get: 12_000,
      list: 10,
      put: 5000,
      copy: 0,
      storedBytes: 10_000_000,
      storedMonths: 1,
    });
    expect(day.dynamodb).toEqual({ wru: 170_000, rru: 45_000 });
    expect(day.cloudwatch).toEqual({ putMetricDataRequests: 11_000, metrics: 20, metricHours: 1 });
  });

  it('keeps at least 100 ms per child when bigger objects are fewer', () => {
    // a TB in 1 GiB objects: 1,024 children; the bytes make 1500 ms × 2^40 / 204,800
    const day = projectUsage(sample, { bytes: TB, objectBytes: 2 ** 30 });
    expect(day.logs.files).toBe(1024);
    expect(day.stepFunctions.expressExecutions).toBe(1024);
    expect(day.stepFunctions.expressBilledDurationMs).toBeCloseTo((1500 * TB) / 204_800, 3);
    expect(day.lambda[0]?.billedDurationMs).toBeCloseTo((400 * TB) / 204_800, 3);
    expect(day.s3.list).toBe(2);
    expect(() =>
      projectUsage({ ...sample, logs: { bytes: 0, files: 0 } }, { bytes: TB, objectBytes: 1 }),
    ).toThrow(/without objects/);
  });
});

describe('projectUsage with a batch size', () => {
  it('scales per-child counts by the children the batches make', () => {
    // 10,000 objects in batches of 50: 200 children (the sample had one child per object)
    const day = projectUsage(sample, {
      bytes: 1000 * sample.logs.bytes,
      objectBytes: 20 * 1024,
      objectsPerChild: 50,
    });
    expect(day.stepFunctions.expressExecutions).toBe(200);
    expect(day.stepFunctions.standardTransitions).toBe(3 + 200);
    expect(day.lambda[0]?.invocations).toBe(200);
    expect(day.cloudwatch.putMetricDataRequests).toBe(220);
    // a GET per object, and the results' reads and writes per child
    expect(day.s3.get).toBe(10_000 + 40);
    expect(day.s3.put).toBe(100);
    expect(day.stepFunctions.expressBilledDurationMs).toBe(1_500_000);
  });
});
