import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonLog } from './json-log.js';
import { resumePoint } from './redrive-plan.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'json-log-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('JsonLog', () => {
  it('reads any page of a file without the rest, after a reopen too', async () => {
    const file = path.join(dir, 'a.jsonl');
    const log = await JsonLog.open(file);
    for (let i = 0; i < 2500; i++) log.append({ i, text: 'é'.repeat(i % 7) });
    expect(await log.read(1998, 2002)).toEqual(
      [1998, 1999, 2000, 2001].map((i) => ({ i, text: 'é'.repeat(i % 7) })),
    );
    await log.flush();
    const again = await JsonLog.open(file);
    expect(again.length).toBe(2500);
    expect(await again.read(2499, 3000)).toEqual([{ i: 2499, text: 'é'.repeat(2499 % 7) }]);
    let n = 0;
    for await (const _ of again.entries(700)) n++;
    expect(n).toBe(2500);
  });

  it('cuts off a torn last line so later appends stay readable', async () => {
    const file = path.join(dir, 'torn.jsonl');
    await appendFile(file, '{"a":1}\n{"a":');
    const log = await JsonLog.open(file);
    expect(log.length).toBe(1);
    log.append({ a: 2 });
    expect(await log.read(0, 10)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(await readFile(file, 'utf8')).toBe('{"a":1}\n{"a":2}\n');
  });
});

describe('JsonLog write failures', () => {
  it('are reported by flush and reads, not dropped', async () => {
    const blocker = path.join(dir, 'a-file');
    await appendFile(blocker, 'x');
    // A log "inside" a regular file cannot be written.
    const log = JsonLog.create(path.join(blocker, 'log.jsonl'));
    log.append({ a: 1 });
    await expect(log.flush()).rejects.toMatchObject({ code: expect.stringMatching(/ENOTDIR|EEXIST/) });
    await expect(log.read(0, 1)).rejects.toBeInstanceOf(Error);
  });
});

describe('resumePoint', () => {
  const ev = (id: number, type: string, details?: Record<string, unknown>) => ({
    id,
    type,
    previousEventId: id - 1,
    timestamp: 0,
    ...details,
  });
  async function* of(events: unknown[]) {
    yield* events;
  }

  it('finds the top-level state that did not exit, its input, the variables and its Map Run', async () => {
    const point = await resumePoint(
      of([
        ev(1, 'ExecutionStarted'),
        ev(2, 'PassStateEntered', { stateEnteredEventDetails: { name: 'A', input: '{}' } }),
        ev(3, 'PassStateExited', {
          stateExitedEventDetails: { name: 'A', output: '{}', assignedVariables: { x: '1' } },
        }),
        ev(4, 'ParallelStateEntered', { stateEnteredEventDetails: { name: 'P', input: '{"p":1}' } }),
        ev(5, 'ParallelStateStarted'),
        ev(6, 'PassStateEntered', { stateEnteredEventDetails: { name: 'Inner', input: '{}' } }),
        ev(7, 'PassStateExited', {
          stateExitedEventDetails: { name: 'Inner', assignedVariables: { inner: '2' } },
        }),
        ev(8, 'ParallelStateSucceeded'),
        ev(9, 'ParallelStateExited', { stateExitedEventDetails: { name: 'P', output: '[]' } }),
        ev(10, 'MapStateEntered', { stateEnteredEventDetails: { name: 'M', input: '{"items":[1]}' } }),
        ev(11, 'MapStateStarted'),
        ev(12, 'MapRunStarted', { mapRunStartedEventDetails: { mapRunArn: 'arn:run' } }),
        ev(13, 'MapRunFailed'),
        ev(14, 'MapStateFailed'),
        ev(15, 'ExecutionFailed'),
      ]),
    );
    expect(point).toEqual({
      state: { name: 'M', input: { items: [1] } },
      variables: { x: 1 },
      lastEventId: 15,
      mapRunArn: 'arn:run',
    });
  });

  it('resumes at the start when no state was entered', async () => {
    expect(await resumePoint(of([ev(1, 'ExecutionStarted'), ev(2, 'ExecutionFailed')]))).toEqual({
      variables: {},
      lastEventId: 2,
    });
  });
});
