/** A measured day scaled to another day's size and shape of objects. */
import type { Usage } from './model.js';

export interface Projection {
  /** Bytes of logs in the projected day. */
  bytes: number;
  /** Size of each of its objects. */
  objectBytes: number;
}

/**
 * `usage` measured on a sample, projected to a day of `bytes` in objects of `objectBytes`:
 * what is paid per object (children, transitions, invocations, GETs, PUTs, items, PutMetricData
 * requests, the report's reads) scales with the number of objects, what is paid per byte (the
 * analyzer's and the children's durations, at least 100 ms a child) with the bytes, the
 * reporter's time with the objects it merges, listings by pages of 1,000; the parent's own
 * transitions and the day's distinct metrics stay as measured.
 */
export function projectUsage(usage: Usage, to: Projection): Usage {
  if (usage.logs.files === 0 || usage.logs.bytes === 0)
    throw new Error('cannot project a day without objects');
  const files = Math.round(to.bytes / to.objectBytes);
  const perFile = files / usage.logs.files;
  const perByte = to.bytes / usage.logs.bytes;
  const sf = usage.stepFunctions;
  const scaled = (n: number) => Math.round(n * perFile);
  return {
    logs: { bytes: to.bytes, files },
    stepFunctions: {
      standardTransitions: sf.standardTransitions - sf.expressExecutions + scaled(sf.expressExecutions),
      expressExecutions: scaled(sf.expressExecutions),
      expressBilledDurationMs: Math.max(
        sf.expressBilledDurationMs * perByte,
        scaled(sf.expressExecutions) * 100,
      ),
      expressMemoryMb: sf.expressMemoryMb,
    },
    lambda: usage.lambda.map((fn) => {
      // a function invoked once a day (the reporter) merges every object's summary
      const daily = fn.invocations === 1;
      return {
        ...fn,
        invocations: daily ? 1 : scaled(fn.invocations),
        billedDurationMs: fn.billedDurationMs * (daily ? perFile : perByte),
      };
    }),
    s3: {
      get: scaled(usage.s3.get),
      // ListObjectsV2 returns up to 1,000 keys a page
      list: usage.s3.list > 0 ? Math.ceil(files / 1000) : 0,
      put: scaled(usage.s3.put),
      copy: scaled(usage.s3.copy),
      storedBytes: usage.s3.storedBytes * perFile,
      storedMonths: usage.s3.storedMonths,
    },
    dynamodb: { wru: usage.dynamodb.wru * perFile, rru: usage.dynamodb.rru * perFile },
    cloudwatch: {
      putMetricDataRequests: scaled(usage.cloudwatch.putMetricDataRequests),
      metrics: usage.cloudwatch.metrics,
      metricHours: usage.cloudwatch.metricHours,
    },
  };
}
