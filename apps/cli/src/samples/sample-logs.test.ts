import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeStream } from '@logflow/analyzer';
import { fixedClock } from '@logflow/shared-types';
import { Readable } from 'node:stream';
import { resolveRunLogs } from '../commands/run.js';
import { EXAMPLE_LOGS_DATE, sampleLogFiles, writeSampleLogs } from './sample-logs.js';

const EXAMPLES = fileURLToPath(new URL('../../../../examples/logs/', import.meta.url));
const text = (content: string | Buffer, name: string): string =>
  name.endsWith('.gz') ? gunzipSync(content).toString('utf8') : Buffer.from(content).toString('utf8');

async function summaries(day: string) {
  const out = [];
  for (const file of sampleLogFiles(day).filter((f) => !f.name.endsWith('.txt'))) {
    out.push(await analyzeStream(Readable.from([Buffer.from(file.content)]), { file: { key: file.name } }));
  }
  return out;
}

describe('sample logs', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('are the copy kept in examples/logs for its day', async () => {
    const files = sampleLogFiles(EXAMPLE_LOGS_DATE);
    expect((await readdir(EXAMPLES)).sort()).toEqual(files.map((f) => f.name).sort());
    for (const file of files) {
      expect(text(await readFile(join(EXAMPLES, file.name)), file.name)).toBe(text(file.content, file.name));
    }
  });

  it('lie inside the day they are generated for, leap days and year ends too', async () => {
    for (const day of ['2024-02-29', '2027-12-31', '2031-01-01']) {
      for (const summary of await summaries(day)) {
        expect(summary.timeRange?.first.slice(0, 10)).toBe(day);
        expect(summary.timeRange?.last.slice(0, 10)).toBe(day);
      }
      expect(sampleLogFiles(day).map((f) => f.name)).toContain(`cloudfront-E2EXAMPLE.${day}.log`);
    }
  });

  it('are deterministic apart from the date', async () => {
    expect(sampleLogFiles('2027-03-01')).toEqual(sampleLogFiles('2027-03-01'));
    const strip = (s: Awaited<ReturnType<typeof summaries>>[number]) => ({
      format: s.format,
      requests: s.requests,
      bytes: s.bytes,
      statusClass: s.statusClass,
      malformed: s.lines.malformed,
    });
    expect((await summaries('2027-03-01')).map(strip)).toEqual((await summaries('2026-11-22')).map(strip));
  });

  it('refuse a day that does not exist', () => {
    expect(() => sampleLogFiles('2027-02-30')).toThrow(/not a day/);
  });

  it('are what logflow run processes by default: yesterday of the clock, in the state folder', async () => {
    const state = await mkdtemp(join(tmpdir(), 'logflow-samples-'));
    dirs.push(state);
    const run = await resolveRunLogs(undefined, { state }, fixedClock('2028-03-01T00:30:00Z'));
    expect(run).toEqual({ logDir: join(state, 'samples', '2028-02-29'), date: '2028-02-29', samples: true });
    expect((await readdir(run.logDir)).sort()).toEqual(
      sampleLogFiles('2028-02-29')
        .map((f) => f.name)
        .sort(),
    );
    // a folder given is used as it is, with no date unless one is asked for
    expect(await resolveRunLogs('/some/logs', { state }, fixedClock(0))).toEqual({
      logDir: '/some/logs',
      samples: false,
    });
    const written = await writeSampleLogs(join(state, 'again'), '2028-02-29');
    expect(written).toHaveLength(6);
  });
});
