import { describe, expect, it } from 'vitest';
import { outcomesFromResults, parseManifest } from './result-writer.js';

const child = (status: string, input: unknown, output?: unknown, extra: Record<string, string> = {}) => ({
  ExecutionArn: `arn:aws:states:us-east-1:123456789012:execution:m/run:${Math.random()}`,
  Input: JSON.stringify(input),
  ...(output === undefined ? {} : { Output: JSON.stringify(output) }),
  Status: status,
  ...extra,
});

const input = (key: string) => ({
  bucket: 'in',
  date: '2026-11-22',
  object: { Key: key, Size: 10, Etag: '"x"' },
});

const batch = (...keys: string[]) => ({ Items: keys.map(input) });

describe('outcomesFromResults', () => {
  it('reads the batch outcomes of SUCCEEDED children: summary records to merge and caught failures', () => {
    const text = JSON.stringify([
      child('SUCCEEDED', batch('a.log', 'b.log'), { summaryKey: 'BATCH#1', analyzed: 2, failed: [] }),
      child('SUCCEEDED', batch('c.log', 'd.log'), {
        summaryKey: 'BATCH#2',
        analyzed: 1,
        failed: [
          {
            key: 'd.log',
            status: 'FAILED',
            state: 'AnalyzeLogData',
            error: 'UnrecognizedLogFormatError',
            cause: 'no format',
          },
        ],
      }),
      child('SUCCEEDED', batch('e.log'), {
        summaryKey: null,
        analyzed: 0,
        failed: [
          { key: 'e.log', status: 'FAILED', state: 'StoreSummary', error: 'DynamoDB.ValidationException' },
        ],
      }),
    ]);
    expect(outcomesFromResults(text, 'SUCCEEDED', 's3://r/SUCCEEDED_0.json')).toEqual({
      summaryKeys: ['BATCH#1', 'BATCH#2'],
      analyzed: 3,
      failed: [
        { key: 'd.log', state: 'AnalyzeLogData', error: 'UnrecognizedLogFormatError', cause: 'no format' },
        { key: 'e.log', state: 'StoreSummary', error: 'DynamoDB.ValidationException' },
      ],
    });
  });

  it('fails every object of a FAILED child, taking the keys from its input', () => {
    const text = JSON.stringify([
      child('FAILED', batch('logs/d.log', 'logs/e.log'), undefined, {
        Error: 'Lambda.ServiceException',
        Cause: 'boom',
      }),
      child('TIMED_OUT', batch('logs/f.log')),
    ]);
    expect(outcomesFromResults(text, 'FAILED', 's3://r/FAILED_0.json').failed).toEqual([
      { key: 'logs/d.log', error: 'Lambda.ServiceException', cause: 'boom' },
      { key: 'logs/e.log', error: 'Lambda.ServiceException', cause: 'boom' },
      { key: 'logs/f.log', error: 'States.TIMED_OUT' },
    ]);
  });

  it('reports children never run as not processed', () => {
    const text = JSON.stringify([{ Input: JSON.stringify(batch('f.log')), Status: 'PENDING' }]);
    expect(outcomesFromResults(text, 'PENDING', 'p').failed).toEqual([
      { key: 'f.log', error: 'NotProcessed', cause: 'The map run ended before this file was processed.' },
    ]);
  });

  it('names the file and field of bad input', () => {
    expect(() => outcomesFromResults('{', 'SUCCEEDED', 's3://r/x.json')).toThrow(
      /s3:\/\/r\/x.json is not JSON/,
    );
    expect(() => outcomesFromResults('{}', 'SUCCEEDED', 's3://r/x.json')).toThrow(/not a JSON array/);
    expect(() => outcomesFromResults('[{"Output":"{"}]', 'SUCCEEDED', 's3://r/x.json')).toThrow(
      /s3:\/\/r\/x.json: result 0 field "Output" is not JSON/,
    );
    expect(() => outcomesFromResults('[{"Output":"{\\"headline\\":{}}"}]', 'SUCCEEDED', 'x')).toThrow(
      /is not a batch outcome/,
    );
  });
});

describe('parseManifest', () => {
  it('accepts the ResultWriter manifest', () => {
    const m = parseManifest(
      JSON.stringify({
        DestinationBucket: 'r',
        MapRunArn: 'arn',
        ResultFiles: {
          FAILED: [],
          PENDING: [],
          SUCCEEDED: [{ Key: 'results/x/SUCCEEDED_0.json', Size: 10 }],
        },
      }),
      'm',
    );
    expect(m.ResultFiles.SUCCEEDED?.[0]?.Key).toBe('results/x/SUCCEEDED_0.json');
  });

  it('rejects a manifest without result files', () => {
    expect(() => parseManifest('{"DestinationBucket":"r"}', 's3://r/m.json')).toThrow(
      /s3:\/\/r\/m.json: field "ResultFiles" missing/,
    );
    expect(() => parseManifest('{"ResultFiles":{"FAILED":[1]}}', 'm')).toThrow(/ResultFiles.FAILED/);
  });
});
