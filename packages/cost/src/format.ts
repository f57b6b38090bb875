/** The bill as text for a terminal. */
import { goalFor, type Bill, type Usage } from './model.js';
import { PRICES_READ_ON } from './prices.js';

const dollars = (value: number): string =>
  value === 0 ? '$0' : value >= 0.01 ? `$${value.toFixed(2)}` : `$${value.toPrecision(3)}`;
const count = (value: number): string =>
  Number.isInteger(value) ? value.toLocaleString('en-US') : value.toPrecision(4);

/** Itemised bill, per TB, the Athena comparison and the goal of the logs' shape. */
export function formatBill(bill: Bill, usage: Usage): string {
  const lines: string[] = [];
  const { bytes, files } = usage.logs;
  lines.push(
    `AWS cost of the day in ${bill.region} (list prices read ${PRICES_READ_ON}; re-check them):` +
      ` ${count(files)} files, ${(bytes / 2 ** 20).toFixed(1)} MiB`,
  );
  const width = Math.max(...bill.items.map((i) => `${i.service} ${i.item}`.length), 10);
  for (const item of bill.items) {
    const label = `${item.service} ${item.item}`.padEnd(width);
    lines.push(
      `  ${label}  ${count(item.quantity).padStart(12)} ${item.unit.padEnd(12)} × ${dollars(item.unitPrice).padStart(10)}  = ${dollars(item.cost)}`,
    );
  }
  lines.push(`  ${'total'.padEnd(width)}  ${dollars(bill.total)} per day`);
  lines.push(`  per TB of logs      ${bill.perTb === null ? 'n/a' : dollars(bill.perTb)}`);
  lines.push(`  S3 GET floor        ${dollars(bill.s3GetFloor)} (one GET per object)`);
  lines.push(
    `  Athena, one scan    ${dollars(bill.athena.cost)}` +
      (bill.athena.perTb === null ? '' : ` (${dollars(bill.athena.perTb)} per TB)`),
  );
  const goal = goalFor(files > 0 ? bytes / files : 0);
  lines.push(`  goal for ${goal.shape}: ${goal.description}: ${goal.check(bill) ? 'PASS' : 'FAIL'}`);
  return lines.join('\n');
}
