/**
 * The AWS cost of a logflow day from measured usage: `computeBill(usage, { region })` gives an
 * itemised bill, the cost per TB of logs, the S3 GET floor and one Athena scan of the same bytes;
 * `GOALS` and `goalFor` say whether a shape of logs meets its cost goal; `formatBill` prints it;
 * `projectUsage` scales a measured sample to a day of another size.
 * Prices live in `prices.ts` with their sources and the day they were read.
 */
export {
  GB,
  GOALS,
  HOURS_PER_MONTH,
  TB,
  athenaScanCost,
  computeBill,
  goalFor,
  type Bill,
  type BillItem,
  type BillOptions,
  type Goal,
  type LambdaUsage,
  type Usage,
} from './model.js';
export { formatBill } from './format.js';
export { projectUsage, type Projection } from './project.js';
export { PRICES_READ_ON, PRICE_SOURCES, REGION_PRICES, regionPrices, type RegionPrices } from './prices.js';
