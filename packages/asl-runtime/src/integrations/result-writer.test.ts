import { describe, expect, it } from 'vitest';
import type { MapRunChildResult } from '../integrations.js';
import {
  buildManifest,
  mapRunId,
  planResultFiles,
  resultFileStatus,
  resultKeyBase,
} from './result-writer.js';

const MAP_RUN_ARN =
  'arn:aws:states:us-east-1:123456789012:mapRun:logflow-local-daily-logs/ProcessLogsUnderPrefix:6dbfba93-bcff-410b-9b5c-abf41ae9eddb';

function child(n: number, status: MapRunChildResult['Status']): MapRunChildResult {
  return {
    ExecutionArn: `arn:aws:states:us-east-1:123456789012:execution:x/ProcessLogsUnderPrefix:${n}`,
    Input: JSON.stringify({ n }),
    InputDetails: { Included: true },
    Name: String(n),
    ...(status === 'SUCCEEDED'
      ? { Output: JSON.stringify({ n }), OutputDetails: { Included: true } }
      : { Error: 'Boom', Cause: 'it broke' }),
    RedriveCount: 0,
    RedriveStatus: 'NOT_REDRIVABLE',
    StartDate: '2026-11-22T10:00:00.000Z',
    StopDate: '2026-11-22T10:00:01.000Z',
    Status: status,
    StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:x/ProcessLogsUnderPrefix',
  };
}

describe('result layout', () => {
  it('files results under <Prefix>/<mapRunId>/ with one slash', () => {
    expect(mapRunId(MAP_RUN_ARN)).toBe('6dbfba93-bcff-410b-9b5c-abf41ae9eddb');
    expect(resultKeyBase('results/2026-11-22', MAP_RUN_ARN)).toBe(
      'results/2026-11-22/6dbfba93-bcff-410b-9b5c-abf41ae9eddb/',
    );
    expect(resultKeyBase('results/2026-11-22/', MAP_RUN_ARN)).toBe(
      'results/2026-11-22/6dbfba93-bcff-410b-9b5c-abf41ae9eddb/',
    );
    expect(resultKeyBase(undefined, MAP_RUN_ARN)).toBe('6dbfba93-bcff-410b-9b5c-abf41ae9eddb/');
    expect(() => mapRunId('arn:aws:states:us-east-1:1:execution:x:y')).toThrow(/invalid MapRunArn/);
  });

  it('groups failed, timed-out and aborted children into FAILED files', () => {
    expect(resultFileStatus('SUCCEEDED')).toBe('SUCCEEDED');
    expect(resultFileStatus('TIMED_OUT')).toBe('FAILED');
    expect(resultFileStatus('ABORTED')).toBe('FAILED');
    const results = [child(0, 'SUCCEEDED'), child(1, 'FAILED'), child(2, 'SUCCEEDED'), child(3, 'TIMED_OUT')];
    const files = planResultFiles(results, 'p/id/');
    expect(files.map((f) => f.key)).toEqual(['p/id/SUCCEEDED_0.json', 'p/id/FAILED_0.json']);
    expect(JSON.parse(files[0]!.body)).toEqual([results[0], results[2]]);
    expect(JSON.parse(files[1]!.body)).toEqual([results[1], results[3]]);
  });

  it('starts a new file before one would exceed the size limit', () => {
    const results = Array.from({ length: 10 }, (_, n) => child(n, 'SUCCEEDED'));
    const one = Buffer.byteLength(JSON.stringify(results[0]));
    const files = planResultFiles(results, 'k/', one * 3 + 4);
    expect(files.map((f) => f.key)).toEqual([
      'k/SUCCEEDED_0.json',
      'k/SUCCEEDED_1.json',
      'k/SUCCEEDED_2.json',
      'k/SUCCEEDED_3.json',
    ]);
    for (const file of files) expect(Buffer.byteLength(file.body)).toBeLessThanOrEqual(one * 3 + 4);
    expect(files.flatMap((f) => JSON.parse(f.body) as unknown[])).toEqual(results);
  });

  it('writes no result files for no results, and a manifest listing sizes in bytes', () => {
    expect(planResultFiles([], 'k/')).toEqual([]);
    const files = planResultFiles([child(0, 'SUCCEEDED')], 'k/');
    expect(buildManifest('bucket', MAP_RUN_ARN, files)).toEqual({
      DestinationBucket: 'bucket',
      MapRunArn: MAP_RUN_ARN,
      ResultFiles: {
        FAILED: [],
        PENDING: [],
        SUCCEEDED: [{ Key: 'k/SUCCEEDED_0.json', Size: Buffer.byteLength(files[0]!.body) }],
      },
    });
  });
});
