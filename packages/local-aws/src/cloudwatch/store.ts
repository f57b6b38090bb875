/**
 * Metric samples in memory, optionally appended to `<dir>/datapoints.jsonl` so they survive
 * restarts. Appends are whole lines written before the request is answered; a line cut short by
 * a crash is skipped on load.
 */
import { appendFile, readFile, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { stateFolderError } from '../state-errors.js';
import { metricId, type MetricIdentity, type MetricSample } from './model.js';

export class MetricStore {
  private readonly metrics = new Map<string, { identity: MetricIdentity; samples: MetricSample[] }>();
  private writes: Promise<void> = Promise.resolve();
  /** Bytes of the file written so far, so a failed append is cut off again. */
  private size = 0;

  private constructor(private readonly file: string | undefined) {}

  static async open(dir: string | undefined): Promise<MetricStore> {
    const store = new MetricStore(dir === undefined ? undefined : path.join(dir, 'datapoints.jsonl'));
    if (store.file !== undefined) {
      const text = await readFile(store.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return '';
        throw error;
      });
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        try {
          store.index(JSON.parse(line) as MetricSample);
        } catch {
          // a partial last line from an interrupted write
        }
      }
      store.size = (await stat(store.file).catch(() => ({ size: 0 }))).size;
    }
    return store;
  }

  private index(sample: MetricSample): void {
    const id = metricId(sample);
    let entry = this.metrics.get(id);
    if (!entry) {
      const dimensions = [...sample.dimensions].sort((a, b) =>
        a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0,
      );
      entry = {
        identity: { namespace: sample.namespace, metricName: sample.metricName, dimensions },
        samples: [],
      };
      this.metrics.set(id, entry);
    }
    entry.samples.push(sample);
  }

  /**
   * Stores samples; resolves once they are on disk. A failed write (a full disk) keeps none of
   * them, on disk or in memory, so the client's retry does not count them twice.
   */
  async add(samples: readonly MetricSample[]): Promise<void> {
    if (this.file !== undefined) {
      const file = this.file;
      const text = samples.map((s) => JSON.stringify(s)).join('\n') + '\n';
      this.writes = this.writes
        .catch(() => undefined)
        .then(async () => {
          try {
            await appendFile(file, text);
            this.size += Buffer.byteLength(text);
          } catch (error) {
            await truncate(file, this.size).catch(() => undefined);
            throw stateFolderError(error, path.dirname(file)) ?? error;
          }
        });
      await this.writes;
    }
    for (const s of samples) this.index(s);
  }

  /** Samples of one metric (exact dimension set) with `start <= t < end`. */
  samples(identity: MetricIdentity, start: number, end: number, unit?: string): MetricSample[] {
    const entry = this.metrics.get(metricId(identity));
    if (!entry) return [];
    return entry.samples.filter((s) => s.t >= start && s.t < end && (unit === undefined || s.unit === unit));
  }

  /** Every metric identity, ordered by namespace, name and dimensions. */
  identities(): MetricIdentity[] {
    return [...this.metrics.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, e]) => e.identity);
  }

  async flush(): Promise<void> {
    await this.writes.catch(() => undefined);
  }
}
