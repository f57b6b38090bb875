/** A measured day scaled to another day's size and shape of objects. */
import type { Usage } from './model.js';

export interface Projection {
  /** Bytes of logs in the projected day. */
  bytes: number;
  /** Size of each of its objects. */
  objectBytes: number;
  /**
   * Objects one Distributed Map child handles (the ItemBatcher's batch size); default the
   * sample's own ratio. A small sample's batches are smaller than the day's.
   */
  objectsPerChild?: number;
}

/**
 * `usage` measured on a sample, projected to a day of `bytes` in objects of `objectBytes`:
 * what is paid per child (children, their transitions, the analyzer's invocations,
 * PutMetricData requests, result objects and their reads) scales with the number of children,
 * what is paid per object (GETs, DynamoDB units) with the number of objects, what is paid per byte
 * (the analyzer's and the children's durations, at least 100 ms a child) with the bytes, the
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
  const children =
    to.objectsPerChild === undefined ? scaled(sf.expressExecutions) : Math.ceil(files / to.objectsPerChild);
  const perChild = sf.expressExecutions > 0 ? children / sf.expressExecutions : perFile;
  const perChildScaled = (n: number) => Math.round(n * perChild);
  return {
    logs: { bytes: to.bytes, files },
    stepFunctions: {
      standardTransitions: sf.standardTransitions - sf.expressExecutions + children,
      expressExecutions: children,
      expressBilledDurationMs: Math.max(sf.expressBilledDurationMs * perByte, children * 100),
      expressMemoryMb: sf.expressMemoryMb,
    },
    lambda: usage.lambda.map((fn) => {
      // a function invoked once a day (the reporter) merges every object's summary
      const daily = fn.invokedPer ? fn.invokedPer === 'day' : fn.invocations === 1;
      return {
        ...fn,
        invocations: daily ? 1 : perChildScaled(fn.invocations),
        billedDurationMs: fn.billedDurationMs * (daily ? perFile : perByte),
      };
    }),
    s3: {
      // one GET per object; the report's reads of the results follow the children
      get: files + perChildScaled(Math.max(0, usage.s3.get - usage.logs.files)),
      // ListObjectsV2 returns up to 1,000 keys a page
      list: usage.s3.list > 0 ? Math.ceil(files / 1000) : 0,
      // the ResultWriter's objects and the report follow the children
      put: perChildScaled(usage.s3.put),
      copy: scaled(usage.s3.copy),
      storedBytes: usage.s3.storedBytes * perFile,
      storedMonths: usage.s3.storedMonths,
    },
    dynamodb: { wru: usage.dynamodb.wru * perFile, rru: usage.dynamodb.rru * perFile },
    cloudwatch: {
      putMetricDataRequests: perChildScaled(usage.cloudwatch.putMetricDataRequests),
      metrics: usage.cloudwatch.metrics,
      metricHours: usage.cloudwatch.metricHours,
    },
  };
}
