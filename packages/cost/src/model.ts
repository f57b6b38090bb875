/** From measured usage counts to an itemised bill: pure arithmetic over a region's prices. */
import { regionPrices, type RegionPrices } from './prices.js';

/** GB and TB as AWS bills them. */
export const GB = 2 ** 30;
export const TB = 2 ** 40;
/** Hours in a billing month. */
export const HOURS_PER_MONTH = 730;

/** One Lambda function's measured use. */
export interface LambdaUsage {
  /** The function's name (or role, e.g. `analyzer`). */
  name: string;
  /** The function's configured memory. */
  memoryMb: number;
  invocations: number;
  /** Sum over invocations of each invocation's duration rounded up to 1 ms. */
  billedDurationMs: number;
  /** What one invocation serves: a Distributed Map child (a batch) or the whole day (the report). */
  invokedPer?: 'child' | 'day';
}

/** What a day's run used, as counted while it ran. */
export interface Usage {
  /** Bytes of logs the day analysed, and in how many objects. */
  logs: { bytes: number; files: number };
  stepFunctions: {
    /** State transitions of Standard executions, each Distributed Map child started included. */
    standardTransitions: number;
    /** Express executions started (Distributed Map children of an EXPRESS processor). */
    expressExecutions: number;
    /** Sum over Express executions of duration rounded up to 100 ms. */
    expressBilledDurationMs: number;
    /** Memory billed per Express execution, a multiple of 64 MB. */
    expressMemoryMb: number;
  };
  lambda: LambdaUsage[];
  s3: {
    /** GetObject, HeadObject and other read requests. */
    get: number;
    /** ListObjects(V2) requests. */
    list: number;
    /** PutObject requests (the Map's ResultWriter objects and the report included). */
    put: number;
    /** CopyObject requests. */
    copy: number;
    /** Bytes the workflow leaves stored (results, reports), and for how many months. */
    storedBytes: number;
    storedMonths: number;
  };
  dynamodb: { wru: number; rru: number };
  cloudwatch: {
    putMetricDataRequests: number;
    /** Distinct metrics (name and dimension set) published. */
    metrics: number;
    /** Hours in which they were published (metrics are prorated by the hour). */
    metricHours: number;
  };
}

/** One line of a bill. */
export interface BillItem {
  service: 'Step Functions' | 'Lambda' | 'S3' | 'DynamoDB' | 'CloudWatch';
  item: string;
  quantity: number;
  unit: string;
  /** Dollars per unit. */
  unitPrice: number;
  /** Dollars. */
  cost: number;
}

export interface Bill {
  region: string;
  items: BillItem[];
  /** Dollars for the day. */
  total: number;
  /** Dollars per TB of logs (TB = 2^40 bytes); null when no bytes were analysed. */
  perTb: number | null;
  /** What S3 GETs of the day's objects alone cost (one per object): what no design avoids. */
  s3GetFloor: number;
  /** One Athena query scanning the same bytes. */
  athena: { cost: number; perTb: number | null };
}

export interface BillOptions {
  /** Region whose prices apply; default `us-east-1`. */
  region?: string;
  /** Prices to use instead of the region's (tests, what-ifs). */
  prices?: RegionPrices;
}

/** What one Athena query scanning `bytes` costs: $/TB scanned, at least the per-query minimum. */
export function athenaScanCost(bytes: number, prices: RegionPrices['athena']): number {
  return (Math.max(bytes, prices.minimumBytesPerQuery) / TB) * prices.tbScanned;
}

/** The itemised bill of `usage`. */
export function computeBill(usage: Usage, options: BillOptions = {}): Bill {
  const region = options.region ?? 'us-east-1';
  const p = options.prices ?? regionPrices(region);
  const items: BillItem[] = [];
  const add = (
    service: BillItem['service'],
    item: string,
    quantity: number,
    unit: string,
    unitPrice: number,
  ) => {
    if (quantity > 0) items.push({ service, item, quantity, unit, unitPrice, cost: quantity * unitPrice });
  };
  const sf = usage.stepFunctions;
  add(
    'Step Functions',
    'standard state transitions',
    sf.standardTransitions,
    'transition',
    p.stepFunctions.standardTransition,
  );
  add(
    'Step Functions',
    'express executions',
    sf.expressExecutions,
    'execution',
    p.stepFunctions.expressRequest,
  );
  const expressMemoryGb = Math.ceil(sf.expressMemoryMb / 64) * (64 / 1024);
  add(
    'Step Functions',
    `express duration (${Math.ceil(sf.expressMemoryMb / 64) * 64} MB)`,
    (sf.expressBilledDurationMs / 1000) * expressMemoryGb,
    'GB-second',
    p.stepFunctions.expressGbSecond,
  );
  for (const fn of usage.lambda) {
    add('Lambda', `${fn.name} requests`, fn.invocations, 'request', p.lambda.request);
    add(
      'Lambda',
      `${fn.name} compute (${fn.memoryMb} MB, arm64)`,
      (fn.billedDurationMs / 1000) * (fn.memoryMb / 1024),
      'GB-second',
      p.lambda.armGbSecond,
    );
  }
  add('S3', 'GET requests', usage.s3.get, 'request', p.s3.get);
  add('S3', 'LIST requests', usage.s3.list, 'request', p.s3.putCopyPostList);
  add('S3', 'PUT requests', usage.s3.put, 'request', p.s3.putCopyPostList);
  add('S3', 'COPY requests', usage.s3.copy, 'request', p.s3.putCopyPostList);
  add(
    'S3',
    'storage of results and reports',
    (usage.s3.storedBytes / GB) * usage.s3.storedMonths,
    'GB-month',
    p.s3.gbMonth,
  );
  add('DynamoDB', 'write request units', usage.dynamodb.wru, 'WRU', p.dynamodb.wru);
  add('DynamoDB', 'read request units', usage.dynamodb.rru, 'RRU', p.dynamodb.rru);
  add(
    'CloudWatch',
    'PutMetricData requests',
    usage.cloudwatch.putMetricDataRequests,
    'request',
    p.cloudwatch.apiRequest,
  );
  add(
    'CloudWatch',
    'custom metrics',
    (usage.cloudwatch.metrics * usage.cloudwatch.metricHours) / HOURS_PER_MONTH,
    'metric-month',
    p.cloudwatch.metricMonth,
  );
  const total = items.reduce((sum, item) => sum + item.cost, 0);
  const bytes = usage.logs.bytes;
  const perTbOf = (dollars: number): number | null => (bytes > 0 ? dollars / (bytes / TB) : null);
  const athena = athenaScanCost(bytes, p.athena);
  return {
    region,
    items,
    total,
    perTb: perTbOf(total),
    s3GetFloor: usage.logs.files * p.s3.get,
    athena: { cost: athena, perTb: perTbOf(athena) },
  };
}

/** A cost goal for one shape of log files. */
export interface Goal {
  shape: '1 GB files' | '5 MB files' | '20 KB files';
  /** Typical object size of the shape. */
  fileBytes: number;
  description: string;
  /** Whether the bill meets the goal. */
  check(bill: Bill): boolean;
}

export const GOALS: readonly Goal[] = [
  {
    shape: '1 GB files',
    fileBytes: GB,
    description: '≤ $0.30 per TB',
    check: (bill) => bill.perTb !== null && bill.perTb <= 0.3,
  },
  {
    shape: '5 MB files',
    fileBytes: 5 * 2 ** 20,
    description: '≤ $1 per TB',
    check: (bill) => bill.perTb !== null && bill.perTb <= 1,
  },
  {
    shape: '20 KB files',
    fileBytes: 20 * 1024,
    description: 'within 1.5× of the S3 GET floor',
    check: (bill) => bill.total <= 1.5 * bill.s3GetFloor,
  },
];

/** The goal of the shape nearest (on a log scale) to a mean object size. */
export function goalFor(meanFileBytes: number): Goal {
  const distance = (goal: Goal) => Math.abs(Math.log(Math.max(1, meanFileBytes)) - Math.log(goal.fileBytes));
  return GOALS.reduce((best, goal) => (distance(goal) < distance(best) ? goal : best));
}
