import type { Context, Handler } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { StatesError } from '../integrations.js';
import type { TaskContext } from '../integrations.js';
import {
  createLambdaInvoker,
  LAMBDA_PAYLOAD_LIMIT_BYTES,
  lambdaErrorPayload,
  LambdaRegistry,
} from './lambda.js';
import type { LambdaContext } from './lambda.js';
import { statesError } from './test-support/states-error.js';

const INVOKE = 'arn:aws:states:::lambda:invoke';

function taskContext(signal = new AbortController().signal): TaskContext {
  return { signal, stateName: 'AnalyzeLogData' };
}

class UnrecognizedLogFormatError extends Error {
  override name = 'UnrecognizedLogFormatError';
}

describe('lambda:invoke', () => {
  const registry = new LambdaRegistry()
    .register('echo', async (event: { n: number }) => ({ doubled: event.n * 2 }))
    .register(
      'arn:aws:lambda:us-east-1:123456789012:function:ctx',
      (_event: unknown, context: LambdaContext) => ({
        name: context.functionName,
        arn: context.invokedFunctionArn,
        requestId: context.awsRequestId,
        remaining: context.getRemainingTimeInMillis(),
      }),
    )
    .register('nothing', async () => undefined)
    .register('fails', async () => {
      throw new UnrecognizedLogFormatError('no known format in logs/a.log');
    })
    .register('throws-string', () => {
      throw 'plain string';
    })
    .register('unnamed', async () => {
      throw Object.assign(new Error('boom'), { name: '' });
    })
    .register('callback', (_event: unknown, _context: LambdaContext, callback) => {
      setTimeout(() => callback(null, { via: 'callback' }), 1);
    })
    .register('huge', async () => 'x'.repeat(LAMBDA_PAYLOAD_LIMIT_BYTES))
    .register('cyclic', async () => {
      const value: Record<string, unknown> = {};
      value.self = value;
      return value;
    })
    .register('slow', () => new Promise((r) => setTimeout(r, 300)), { timeoutSeconds: 0.05 });
  const invoker = createLambdaInvoker({
    registry,
    account: { region: 'eu-west-1', accountId: '111122223333' },
  });

  it('returns the Lambda result envelope', async () => {
    const result = (await invoker.invoke(
      INVOKE,
      { FunctionName: 'echo', Payload: { n: 21 } },
      taskContext(),
    )) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual([
      'ExecutedVersion',
      'Payload',
      'SdkHttpMetadata',
      'SdkResponseMetadata',
      'StatusCode',
    ]);
    expect(result.ExecutedVersion).toBe('$LATEST');
    expect(result.Payload).toEqual({ doubled: 42 });
    expect(result.StatusCode).toBe(200);
    const http = result.SdkHttpMetadata as { HttpStatusCode: number; HttpHeaders: Record<string, string> };
    const requestId = (result.SdkResponseMetadata as { RequestId: string }).RequestId;
    expect(http.HttpStatusCode).toBe(200);
    expect(http.HttpHeaders['x-amzn-RequestId']).toBe(requestId);
    expect(http.HttpHeaders['Content-Length']).toBe(String('{"doubled":42}'.length));
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('resolves names, partial and full ARNs and qualifiers to the registered function', async () => {
    for (const name of [
      'ctx',
      'ctx:prod',
      '111122223333:function:ctx',
      'arn:aws:lambda:eu-west-1:111122223333:function:ctx:3',
    ]) {
      const result = (await invoker.invoke(INVOKE, { FunctionName: name, Payload: {} }, taskContext())) as {
        Payload: { name: string; arn: string; remaining: number };
        ExecutedVersion: string;
      };
      expect(result.Payload.name).toBe('ctx');
      expect(result.Payload.arn).toContain(':function:ctx');
      expect(result.Payload.remaining).toBeGreaterThan(0);
    }
    const versioned = (await invoker.invoke(
      INVOKE,
      { FunctionName: 'ctx', Qualifier: '3', Payload: {} },
      taskContext(),
    )) as {
      ExecutedVersion: string;
      Payload: { arn: string };
    };
    expect(versioned.ExecutedVersion).toBe('3');
    expect(versioned.Payload.arn).toBe('arn:aws:lambda:eu-west-1:111122223333:function:ctx:3');
  });

  it('returns null for a handler that returns nothing, and supports callbacks', async () => {
    expect(await invoker.invoke(INVOKE, { FunctionName: 'nothing' }, taskContext())).toMatchObject({
      Payload: null,
    });
    expect(await invoker.invoke(INVOKE, { FunctionName: 'callback' }, taskContext())).toMatchObject({
      Payload: { via: 'callback' },
    });
  });

  it('names a thrown error by its name with the runtime error payload as cause', async () => {
    const error = await statesError(
      invoker.invoke(INVOKE, { FunctionName: 'fails', Payload: {} }, taskContext()),
    );
    expect(error.error).toBe('UnrecognizedLogFormatError');
    const cause = JSON.parse(error.cause!) as { errorType: string; errorMessage: string; trace: string[] };
    expect(Object.keys(cause)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(cause.errorType).toBe('UnrecognizedLogFormatError');
    expect(cause.errorMessage).toBe('no known format in logs/a.log');
    expect(cause.trace[0]).toBe('UnrecognizedLogFormatError: no known format in logs/a.log');
  });

  it('names non-Error throws by their type and nameless errors Lambda.Unknown', async () => {
    const thrown = await statesError(
      invoker.invoke(INVOKE, { FunctionName: 'throws-string' }, taskContext()),
    );
    expect(thrown.error).toBe('string');
    expect(JSON.parse(thrown.cause!)).toEqual({
      errorType: 'string',
      errorMessage: 'plain string',
      trace: [],
    });
    const unnamed = await statesError(invoker.invoke(INVOKE, { FunctionName: 'unnamed' }, taskContext()));
    expect(unnamed.error).toBe('Lambda.Unknown');
    expect(unnamed.cause).toMatch(
      /^The cause could not be determined because Lambda did not return an error type/,
    );
  });

  it('fails unknown functions with Lambda.ResourceNotFoundException naming the ARN', async () => {
    const error = await statesError(invoker.invoke(INVOKE, { FunctionName: 'missing' }, taskContext()));
    expect(error.error).toBe('Lambda.ResourceNotFoundException');
    expect(error.cause).toMatch(
      /^Function not found: arn:aws:lambda:eu-west-1:111122223333:function:missing \(Service: AWSLambda; Status Code: 404/,
    );
  });

  it('enforces the 6 MB payload limits and the function timeout', async () => {
    const big = await statesError(
      invoker.invoke(
        INVOKE,
        { FunctionName: 'echo', Payload: { s: 'x'.repeat(LAMBDA_PAYLOAD_LIMIT_BYTES) } },
        taskContext(),
      ),
    );
    expect(big.error).toBe('Lambda.RequestEntityTooLargeException');
    const huge = await statesError(invoker.invoke(INVOKE, { FunctionName: 'huge' }, taskContext()));
    expect(huge.error).toBe('Function.ResponseSizeTooLarge');
    const slow = await statesError(invoker.invoke(INVOKE, { FunctionName: 'slow' }, taskContext()));
    expect(slow.error).toBe('Sandbox.Timedout');
    expect(JSON.parse(slow.cause!)).toMatchObject({
      errorMessage: expect.stringMatching(/Task timed out after 0\.05 seconds$/),
    });
  });

  it('fails results that cannot be serialized, and unknown invocation types before running', async () => {
    const cyclic = await statesError(invoker.invoke(INVOKE, { FunctionName: 'cyclic' }, taskContext()));
    expect(cyclic.error).toBe('Runtime.MarshalError');
    const type = await statesError(
      invoker.invoke(INVOKE, { FunctionName: 'fails', InvocationType: 'Later' }, taskContext()),
    );
    expect(type.error).toBe('Lambda.InvalidParameterValueException');
  });

  it('returns 202 with an empty payload for Event invocations', async () => {
    expect(
      await invoker.invoke(
        INVOKE,
        { FunctionName: 'echo', InvocationType: 'Event', Payload: { n: 1 } },
        taskContext(),
      ),
    ).toMatchObject({ StatusCode: 202, Payload: '' });
  });

  it('rejects with the abort reason when the Task is stopped', async () => {
    const controller = new AbortController();
    const pending = invoker.invoke(INVOKE, { FunctionName: 'slow' }, taskContext(controller.signal));
    const reason = new StatesError('States.Timeout', 'Task timed out');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('returns the bare payload for a function ARN resource', async () => {
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:echo';
    expect(await invoker.invoke(arn, { n: 2 }, taskContext())).toEqual({ doubled: 4 });
    const error = await statesError(
      invoker.invoke('arn:aws:lambda:us-east-1:123456789012:function:fails', {}, taskContext()),
    );
    expect(error.error).toBe('UnrecognizedLogFormatError');
  });

  it('rejects other Lambda resources and a missing FunctionName', async () => {
    expect((await statesError(invoker.invoke(`${INVOKE}.waitForTaskToken`, {}, taskContext()))).error).toBe(
      'States.Runtime',
    );
    const missing = await statesError(invoker.invoke(INVOKE, { Payload: {} }, taskContext()));
    expect(missing.error).toBe('States.Runtime');
    expect(missing.cause).toContain('AnalyzeLogData');
  });
});

describe('LambdaRegistry', () => {
  it('accepts handlers typed with @types/aws-lambda', () => {
    const handler: Handler<{ key: string }, { ok: boolean }> = async (
      event: { key: string },
      context: Context,
    ) => ({
      ok: event.key.length > 0 && context.functionName !== '',
    });
    const registry = new LambdaRegistry().register('typed', handler);
    expect(registry.resolve('arn:aws:lambda:us-east-1:123456789012:function:typed')?.functionName).toBe(
      'typed',
    );
    expect(() => registry.register('bad name', handler)).toThrow(
      /invalid Lambda function name or ARN "bad name"/,
    );
  });
});

describe('lambdaErrorPayload', () => {
  it('formats errors as the Node.js runtime does', () => {
    const error = new TypeError('bad');
    expect(lambdaErrorPayload(error)).toEqual({
      errorType: 'TypeError',
      errorMessage: 'bad',
      trace: error.stack!.split('\n'),
    });
    expect(lambdaErrorPayload(42)).toEqual({ errorType: 'number', errorMessage: '42', trace: [] });
  });
});
