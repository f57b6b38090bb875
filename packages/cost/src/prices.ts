/**
 * AWS list prices the cost model uses, per region, in US dollars, on-demand, without free tiers,
 * taxes or discounts.
 *
 * PRICES CHANGE: re-check every figure against the pages in `PRICE_SOURCES` before relying on a
 * bill, and update `PRICES_READ_ON` when you do. The us-east-1 figures were read from those
 * pages; the other regions' figures come from the same pages' regional tables and are the least
 * certain (DynamoDB's on-demand prices were halved in November 2024; regional S3 request prices
 * differ slightly).
 *
 * Units follow AWS's billing: GB = 2^30 bytes, TB = 2^40 bytes, a month = 730 hours.
 */

/** The day the figures below were read. */
export const PRICES_READ_ON = '2026-12-08';

/** Where each service's figures come from. */
export const PRICE_SOURCES = {
  stepFunctions: 'https://aws.amazon.com/step-functions/pricing/',
  stepFunctionsDistributedMap:
    'https://docs.aws.amazon.com/step-functions/latest/dg/concepts-transitions.html',
  lambda: 'https://aws.amazon.com/lambda/pricing/',
  s3: 'https://aws.amazon.com/s3/pricing/',
  dynamodb: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  cloudwatch: 'https://aws.amazon.com/cloudwatch/pricing/',
  athena: 'https://aws.amazon.com/athena/pricing/',
} as const;

/** One region's prices. */
export interface RegionPrices {
  stepFunctions: {
    /** Standard workflows, per state transition (a Distributed Map child started counts as one). */
    standardTransition: number;
    /** Express workflows, per execution started. */
    expressRequest: number;
    /** Express workflows, per GB-second (first 1,000 GB-hours a month); duration billed in 100 ms, memory in 64 MB. */
    expressGbSecond: number;
  };
  lambda: {
    /** Per invocation. */
    request: number;
    /** Per GB-second of arm64 (the deployed architecture), first 7.5 billion GB-seconds a month. */
    armGbSecond: number;
  };
  s3: {
    /** S3 Standard, per GET (and HEAD, SELECT and other reads). */
    get: number;
    /** Per PUT, COPY, POST or LIST. */
    putCopyPostList: number;
    /** Per GB-month stored (first 50 TB). */
    gbMonth: number;
  };
  dynamodb: {
    /** On-demand, per write request unit (1 KB written). */
    wru: number;
    /** On-demand, per read request unit (4 KB strongly consistent, 8 KB eventually consistent). */
    rru: number;
  };
  cloudwatch: {
    /** Per custom metric-month (first 10,000 metrics), prorated by the hour. */
    metricMonth: number;
    /** Per PutMetricData (and other API) request. */
    apiRequest: number;
  };
  athena: {
    /** Per TB scanned. */
    tbScanned: number;
    /** Bytes every query is billed at least. */
    minimumBytesPerQuery: number;
  };
}

const MB = 1024 * 1024;
const perMillion = (dollars: number): number => dollars / 1e6;
const perThousand = (dollars: number): number => dollars / 1e3;

const US_EAST_1: RegionPrices = {
  stepFunctions: {
    standardTransition: perThousand(0.025),
    expressRequest: perMillion(1.0),
    expressGbSecond: 0.00001667,
  },
  lambda: { request: perMillion(0.2), armGbSecond: 0.0000133334 },
  s3: { get: perThousand(0.0004), putCopyPostList: perThousand(0.005), gbMonth: 0.023 },
  dynamodb: { wru: perMillion(0.625), rru: perMillion(0.125) },
  cloudwatch: { metricMonth: 0.3, apiRequest: perThousand(0.01) },
  athena: { tbScanned: 5, minimumBytesPerQuery: 10 * MB },
};

/** Prices by region code. */
export const REGION_PRICES: Readonly<Record<string, RegionPrices>> = {
  'us-east-1': US_EAST_1,
  'us-west-2': US_EAST_1,
  'eu-west-1': {
    ...US_EAST_1,
    dynamodb: { wru: perMillion(0.7068), rru: perMillion(0.1415) },
  },
  'eu-central-1': {
    ...US_EAST_1,
    s3: { get: perThousand(0.00043), putCopyPostList: perThousand(0.0054), gbMonth: 0.0245 },
    dynamodb: { wru: perMillion(0.7625), rru: perMillion(0.1525) },
  },
  'ap-northeast-1': {
    ...US_EAST_1,
    s3: { get: perThousand(0.00037), putCopyPostList: perThousand(0.0047), gbMonth: 0.025 },
    dynamodb: { wru: perMillion(0.7135), rru: perMillion(0.1427) },
  },
};

/** The prices of `region`; throws naming the known regions when it has none. */
export function regionPrices(region: string): RegionPrices {
  const prices = REGION_PRICES[region];
  if (!prices) {
    throw new Error(
      `no prices for region "${region}"; known regions: ${Object.keys(REGION_PRICES).join(', ')}`,
    );
  }
  return prices;
}
