import { describe, expect, it } from 'vitest';
import { failedFilesFromResults, parseManifest } from './result-writer.js';

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

describe('failedFilesFromResults', () => {
  it('reads failures the workflow caught from SUCCEEDED children', () => {
    const text = JSON.stringify([
      child('SUCCEEDED', input('a.log'), { headline: { key: 'a.log', status: 'ANALYZED' } }),
      child('SUCCEEDED', input('b.log'), {
        key: 'b.log',
        status: 'FAILED',
        error: 'UnrecognizedLogFormatError',
        cause: 'no format',
      }),
      child('SUCCEEDED', input('c.log'), { status: 'FAILED', error: 'States.Timeout' }),
    ]);
    expect(failedFilesFromResults(text, 'SUCCEEDED', 's3://r/SUCCEEDED_0.json')).toEqual([
      { key: 'b.log', error: 'UnrecognizedLogFormatError', cause: 'no format' },
      { key: 'c.log', error: 'States.Timeout' },
    ]);
  });

  it('reads FAILED children, taking the key from the input', () => {
    const text = JSON.stringify([
      child('FAILED', input('logs/d.log'), undefined, { Error: 'Lambda.ServiceException', Cause: 'boom' }),
      child('TIMED_OUT', input('logs/e.log')),
    ]);
    expect(failedFilesFromResults(text, 'FAILED', 's3://r/FAILED_0.json')).toEqual([
      { key: 'logs/d.log', error: 'Lambda.ServiceException', cause: 'boom' },
      { key: 'logs/e.log', error: 'States.TIMED_OUT' },
    ]);
  });

  it('reports children never run as not processed', () => {
    const text = JSON.stringify([{ Input: JSON.stringify(input('f.log')), Status: 'PENDING' }]);
    expect(failedFilesFromResults(text, 'PENDING', 'p')).toEqual([
      { key: 'f.log', error: 'NotProcessed', cause: 'The map run ended before this file was processed.' },
    ]);
  });

  it('reads batched children: an array of outputs, or every item of a failed batch', () => {
    const batchInput = { Items: [input('g.log'), input('h.log')] };
    const text = JSON.stringify([
      child('SUCCEEDED', batchInput, [
        { key: 'g.log', status: 'ANALYZED' },
        { key: 'h.log', status: 'FAILED', error: 'LogObjectNotFoundError' },
      ]),
      child('FAILED', { Items: [input('i.log'), input('j.log')] }, undefined, { Error: 'States.Timeout' }),
    ]);
    expect(failedFilesFromResults(text, 'SUCCEEDED', 'x')).toEqual([
      { key: 'h.log', error: 'LogObjectNotFoundError' },
      { key: 'i.log', error: 'States.Timeout' },
      { key: 'j.log', error: 'States.Timeout' },
    ]);
  });

  it('names the file and field of bad input', () => {
    expect(() => failedFilesFromResults('{', 'SUCCEEDED', 's3://r/x.json')).toThrow(
      /s3:\/\/r\/x.json is not JSON/,
    );
    expect(() => failedFilesFromResults('{}', 'SUCCEEDED', 's3://r/x.json')).toThrow(/not a JSON array/);
    expect(() => failedFilesFromResults('[{"Output":"{"}]', 'SUCCEEDED', 's3://r/x.json')).toThrow(
      /s3:\/\/r\/x.json: result 0 field "Output" is not JSON/,
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
