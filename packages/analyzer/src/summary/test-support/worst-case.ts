import type { FileSummary } from '@logflow/shared-types';
import { emptyRecord } from '../../record.js';
import { rng } from '../../sketches/test-support/random.js';
import { SummaryBuilder } from '../builder.js';

/**
 * A summary built from hostile input: every path, client and user agent distinct and long,
 * every status code, many odd methods, latencies and sizes over the widest range, timestamps
 * spread over years, malformed lines of huge length.
 */
export function worstCaseSummary(records = 120_000): FileSummary {
  const random = rng(99);
  const b = new SummaryBuilder({
    file: { key: 'logs/hostile.log', bucket: 'b', gzip: false },
    format: 'jsonl',
  });
  const r = emptyRecord();
  // Quotes, backslashes and control characters grow twice under JSON escaping.
  const pad = '"\\\u0001x'.repeat(100);
  const t0 = Date.UTC(2020, 0, 1);
  for (let i = 0; i < records; i++) {
    r.timestampMs = t0 + Math.floor(random() * 5 * 365 * 86_400_000);
    r.method = `M${'é'.repeat(i % 30)}${i % 97}`;
    r.path = `/${i}/${pad}`;
    r.status = 100 + (i % 900);
    r.bytes = Math.floor(10 ** (random() * 16));
    r.latencyMs = 10 ** (random() * 400 - 200);
    r.client = `${i}:${pad.slice(0, 30)}`;
    r.userAgent = `agent ${i} ${pad}`;
    b.add(r);
    if (i % 1000 === 0) b.addMalformed(i, '"\u2028<script>'.repeat(100), 'reason '.repeat(100));
  }
  return b.finish();
}
