/**
 * Lambda functions for local runs: a registry of in-process handlers invoked the way the Lambda
 * service invokes them (JSON round trip, context object, payload limits, error payloads), and
 * the two Task resources that call them: `arn:aws:states:::lambda:invoke` (the result envelope)
 * and a function ARN (the payload alone). Unregistered functions can fall back to real Lambda.
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '@logflow/shared-types';
import { StatesError } from '../integrations.js';
import type { TaskContext, TaskInvoker } from '../integrations.js';
import type { AwsClients } from './aws-clients.js';
import { toStatesError, unsupportedResource } from './errors.js';
import type { FunctionNameParts } from './resource.js';
import { parseFunctionName, parseTaskResource } from './resource.js';
import { sendSdkCommand } from './sdk-call.js';
import type { SdkHttpDetails } from './sdk-call.js';

/** Synchronous invocation payload limit of Lambda, request and response: 6 MB. */
export const LAMBDA_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

/** The context object handed to a handler; structurally the `Context` of `@types/aws-lambda`. */
export interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  getRemainingTimeInMillis(): number;
  /** Legacy completion methods, kept for handlers typed against `aws-lambda`. */
  done(error?: Error, result?: unknown): void;
  fail(error: Error | string): void;
  succeed(messageOrObject: unknown): void;
}

export type LambdaCallback = (error?: unknown, result?: unknown) => void;

/** A Lambda handler: async, sync, or callback style. `never` admits handlers of any event type. */
export type LambdaHandler = (event: never, context: LambdaContext, callback: LambdaCallback) => unknown;

export interface LambdaFunctionOptions {
  /** Function timeout; exceeding it fails the invocation as Lambda does. Default 900 s (not enforced below it). */
  timeoutSeconds?: number;
  memoryMB?: number;
}

export interface RegisteredFunction extends Required<LambdaFunctionOptions> {
  functionName: string;
  qualifier?: string;
  handler: LambdaHandler;
}

export interface LambdaAccount {
  region: string;
  accountId: string;
}

/** Local Lambda functions by name; names may be given as plain names, partial or full ARNs. */
export class LambdaRegistry {
  readonly #functions = new Map<string, RegisteredFunction>();

  register(functionNameOrArn: string, handler: LambdaHandler, options: LambdaFunctionOptions = {}): this {
    const parts = parseFunctionName(functionNameOrArn);
    if (!parts) throw new Error(`invalid Lambda function name or ARN "${functionNameOrArn}"`);
    this.#functions.set(registryKey(parts), {
      functionName: parts.functionName,
      ...(parts.qualifier ? { qualifier: parts.qualifier } : {}),
      handler,
      timeoutSeconds: options.timeoutSeconds ?? 900,
      memoryMB: options.memoryMB ?? 128,
    });
    return this;
  }

  /** The function a `FunctionName` designates: an exact qualifier match first, then the unqualified one. */
  resolve(functionNameOrArn: string): RegisteredFunction | undefined {
    const parts = parseFunctionName(functionNameOrArn);
    if (!parts) return undefined;
    return this.#functions.get(registryKey(parts)) ?? this.#functions.get(parts.functionName);
  }

  get names(): string[] {
    return [...this.#functions.keys()];
  }
}

function registryKey(parts: FunctionNameParts): string {
  return parts.qualifier ? `${parts.functionName}:${parts.qualifier}` : parts.functionName;
}

/** The error payload Lambda's Node.js runtime returns for a failed invocation. */
export interface LambdaErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** Formats a thrown value as the Node.js runtime does: `name`/`message`/stack lines, or `typeof` for non-errors. */
export function lambdaErrorPayload(error: unknown): LambdaErrorPayload {
  try {
    if (error instanceof Error) {
      return { errorType: error.name, errorMessage: error.message, trace: error.stack?.split('\n') ?? [] };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

/** The Step Functions error for a function error payload: its `errorType`, or `Lambda.Unknown` without one. */
export function functionErrorToStatesError(payloadText: string): StatesError {
  let errorType: unknown;
  try {
    errorType = (JSON.parse(payloadText) as { errorType?: unknown } | null)?.errorType;
  } catch {
    errorType = undefined;
  }
  if (typeof errorType === 'string' && errorType !== '') return new StatesError(errorType, payloadText);
  return new StatesError(
    'Lambda.Unknown',
    `The cause could not be determined because Lambda did not return an error type. Returned payload: ${payloadText}`,
  );
}

function lambdaServiceError(code: string, message: string, status: number, requestId: string): StatesError {
  return new StatesError(
    `Lambda.${code}`,
    `${message} (Service: AWSLambda; Status Code: ${status}; Error Code: ${code}; Request ID: ${requestId}; Proxy: null)`,
  );
}

/** What one invocation returned, before it is shaped for a resource. */
export interface LambdaInvocationResult {
  /** Response payload as text (JSON), `''` for asynchronous and dry-run invocations. */
  payload: string;
  statusCode: number;
  executedVersion: string;
  requestId: string;
  /** Set when the function failed: its error payload as Step Functions reports it. */
  functionError?: StatesError;
  http?: SdkHttpDetails;
  /** When a local function was invoked: the `Date` of its response headers. */
  invokedAt?: Date;
}

export interface LambdaInvokerOptions {
  registry?: LambdaRegistry;
  /** Region and account used to build function ARNs. Default: `AWS_REGION` or us-east-1, 123456789012. */
  account?: Partial<LambdaAccount>;
  /** Invoke real Lambda through `@aws-sdk/client-lambda` for functions not in the registry. */
  fallbackToAws?: boolean;
  /** Needed when `fallbackToAws` is set. */
  clients?: AwsClients;
  /** Dates log stream names and response headers (timeouts measure elapsed time). */
  clock?: Clock;
}

interface InvokeRequest {
  functionName: string;
  payload: unknown;
  invocationType?: string;
  qualifier?: string;
  signal: AbortSignal;
}

/** Invokes local handlers (and real Lambda when allowed), returning Lambda's view of the call. */
export class LambdaInvocations {
  readonly #registry: LambdaRegistry;
  readonly #account: LambdaAccount;
  readonly #options: LambdaInvokerOptions;
  readonly #clock: Clock;

  constructor(options: LambdaInvokerOptions = {}) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#registry = options.registry ?? new LambdaRegistry();
    this.#account = {
      region:
        options.account?.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
      accountId: options.account?.accountId ?? '123456789012',
    };
  }

  async invoke(request: InvokeRequest): Promise<LambdaInvocationResult> {
    const name = request.qualifier ? `${request.functionName}:${request.qualifier}` : request.functionName;
    const parts = parseFunctionName(name) ?? parseFunctionName(request.functionName);
    const requestId = randomUUID();
    if (!parts) {
      throw lambdaServiceError(
        'ValidationException',
        `1 validation error detected: Value '${request.functionName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
        400,
        requestId,
      );
    }
    const registered = this.#registry.resolve(name);
    if (!registered) {
      if (this.#options.fallbackToAws) return this.#invokeAws(request, parts);
      throw lambdaServiceError(
        'ResourceNotFoundException',
        `Function not found: ${this.functionArn(parts)}`,
        404,
        requestId,
      );
    }
    const body = request.payload === undefined ? '{}' : JSON.stringify(request.payload);
    if (Buffer.byteLength(body) > LAMBDA_PAYLOAD_LIMIT_BYTES) {
      throw lambdaServiceError(
        'RequestEntityTooLargeException',
        `Request must be smaller than ${LAMBDA_PAYLOAD_LIMIT_BYTES} bytes for the InvokeFunction operation`,
        413,
        requestId,
      );
    }
    const executedVersion = parts.qualifier && /^\d+$/.test(parts.qualifier) ? parts.qualifier : '$LATEST';
    const base = { executedVersion, requestId, invokedAt: this.#clock() };
    const type = request.invocationType ?? 'RequestResponse';
    if (type === 'DryRun') return { ...base, payload: '', statusCode: 204 };
    if (type !== 'RequestResponse' && type !== 'Event') {
      throw lambdaServiceError(
        'InvalidParameterValueException',
        `Unsupported InvocationType "${type}"`,
        400,
        requestId,
      );
    }
    const run = this.#run(registered, parts, JSON.parse(body) as unknown, requestId, request.signal);
    if (type === 'Event') {
      run.catch(() => undefined);
      return { ...base, payload: '', statusCode: 202 };
    }
    const outcome = await run;
    return outcome.ok
      ? { ...base, payload: outcome.payload, statusCode: 200 }
      : {
          ...base,
          payload: outcome.payload,
          statusCode: 200,
          functionError: functionErrorToStatesError(outcome.payload),
        };
  }

  functionArn(parts: FunctionNameParts): string {
    const region = parts.region ?? this.#account.region;
    const account = parts.accountId ?? this.#account.accountId;
    const arn = `arn:aws:lambda:${region}:${account}:function:${parts.functionName}`;
    return parts.qualifier ? `${arn}:${parts.qualifier}` : arn;
  }

  async #run(
    fn: RegisteredFunction,
    parts: FunctionNameParts,
    event: unknown,
    requestId: string,
    signal: AbortSignal,
  ): Promise<{ ok: boolean; payload: string }> {
    const deadline = Date.now() + fn.timeoutSeconds * 1000;
    let settle!: (value: { ok: boolean; value: unknown }) => void;
    const settled = new Promise<{ ok: boolean; value: unknown }>((resolve) => (settle = resolve));
    const succeed = (value: unknown) => settle({ ok: true, value });
    const fail = (error: unknown) => settle({ ok: false, value: lambdaErrorPayload(error) });
    const context: LambdaContext = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: fn.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: this.functionArn(parts),
      memoryLimitInMB: String(fn.memoryMB),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${fn.functionName}`,
      logStreamName: `${this.#clock().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${requestId.replaceAll('-', '')}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: (error, result) => (error ? fail(error) : succeed(result)),
      fail: (error) => fail(error),
      succeed: (value) => succeed(value),
    };
    const callback: LambdaCallback = (error, result) => (error ? fail(error) : succeed(result));
    try {
      const returned = fn.handler(event as never, context, callback);
      if (returned && typeof (returned as Promise<unknown>).then === 'function') {
        (returned as Promise<unknown>).then(succeed, fail);
      } else if (fn.handler.length < 3) {
        succeed(returned);
      }
    } catch (error) {
      fail(error);
    }
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const timedOut = new Promise<{ ok: boolean; value: unknown }>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            ok: false,
            value: {
              errorType: 'Sandbox.Timedout',
              errorMessage: `RequestId: ${requestId} Error: Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
            },
          }),
        fn.timeoutSeconds * 1000,
      );
    });
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    const raced = await Promise.race([settled, timedOut, aborted]).finally(() => {
      clearTimeout(timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
    });
    if (!raced.ok) return { ok: false, payload: JSON.stringify(raced.value) };
    let payload: string;
    try {
      payload = JSON.stringify(raced.value === undefined ? null : raced.value);
    } catch (error) {
      // What the Node.js runtime reports for a result it cannot serialize (e.g. a cycle).
      return {
        ok: false,
        payload: JSON.stringify({
          errorType: 'Runtime.MarshalError',
          errorMessage: `Unable to stringify response body: ${(error as Error).message}`,
          trace: [],
        }),
      };
    }
    if (Buffer.byteLength(payload) > LAMBDA_PAYLOAD_LIMIT_BYTES) {
      return {
        ok: false,
        payload: JSON.stringify({
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size exceeded maximum allowed payload size (${LAMBDA_PAYLOAD_LIMIT_BYTES} bytes).`,
        }),
      };
    }
    return { ok: true, payload };
  }

  async #invokeAws(request: InvokeRequest, parts: FunctionNameParts): Promise<LambdaInvocationResult> {
    const clients = this.#options.clients;
    if (!clients) throw new StatesError('States.Runtime', 'fallbackToAws needs AWS clients');
    try {
      const { output, http } = await sendSdkCommand({
        clients,
        service: 'lambda',
        action: 'invoke',
        args: {
          FunctionName: request.functionName,
          ...(request.qualifier ? { Qualifier: request.qualifier } : {}),
          ...(request.invocationType ? { InvocationType: request.invocationType } : {}),
          Payload: request.payload === undefined ? '{}' : JSON.stringify(request.payload),
        },
        ...(parts.region ? { region: parts.region } : {}),
        signal: request.signal,
      });
      const payload = typeof output.Payload === 'string' ? output.Payload : '';
      const result: LambdaInvocationResult = {
        payload,
        statusCode: typeof output.StatusCode === 'number' ? output.StatusCode : 200,
        executedVersion: typeof output.ExecutedVersion === 'string' ? output.ExecutedVersion : '$LATEST',
        requestId: http.SdkResponseMetadata.RequestId,
        http,
      };
      return output.FunctionError
        ? { ...result, functionError: functionErrorToStatesError(payload) }
        : result;
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      throw toStatesError('Lambda', error, { service: 'AWSLambda', format: 'optimized' });
    }
  }
}

function parsePayload(text: string): unknown {
  if (text === '') return '';
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The HTTP metadata of a local invocation, shaped like the real service's response headers. */
function localHttpDetails(
  result: LambdaInvocationResult,
  now = result.invokedAt ?? systemClock(),
): SdkHttpDetails {
  const headers: Record<string, string> = {
    Connection: 'keep-alive',
    'Content-Length': String(Buffer.byteLength(result.payload)),
    'Content-Type': 'application/json',
    Date: now.toUTCString(),
    'X-Amz-Executed-Version': result.executedVersion,
    'x-amzn-Remapped-Content-Length': '0',
    'x-amzn-RequestId': result.requestId,
    'X-Amzn-Trace-Id': `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${result.requestId.replaceAll('-', '').slice(0, 24)};Sampled=0`,
  };
  return {
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      HttpHeaders: headers,
      HttpStatusCode: result.statusCode,
    },
    SdkResponseMetadata: { RequestId: result.requestId },
  };
}

/** The output of `arn:aws:states:::lambda:invoke`. */
export interface LambdaInvokeEnvelope extends SdkHttpDetails {
  ExecutedVersion: string;
  Payload: unknown;
  StatusCode: number;
}

export function lambdaInvokeEnvelope(result: LambdaInvocationResult): LambdaInvokeEnvelope {
  const http = result.http ?? localHttpDetails(result);
  return {
    ExecutedVersion: result.executedVersion,
    Payload: parsePayload(result.payload),
    SdkHttpMetadata: http.SdkHttpMetadata,
    SdkResponseMetadata: http.SdkResponseMetadata,
    StatusCode: result.statusCode,
  };
}

export function isLambdaResource(resource: string): boolean {
  const parsed = parseTaskResource(resource);
  return parsed?.kind === 'lambda-function' || (parsed?.kind === 'states' && parsed.integration === 'lambda');
}

/**
 * The Task invoker for `arn:aws:states:::lambda:invoke` (Arguments `{FunctionName, Payload,
 * Qualifier?, InvocationType?}`) and for function ARNs as the resource.
 */
export function createLambdaInvoker(options: LambdaInvokerOptions = {}): TaskInvoker {
  const invocations = new LambdaInvocations(options);
  return {
    async invoke(resource: string, args: unknown, context: TaskContext): Promise<unknown> {
      const parsed = parseTaskResource(resource);
      if (parsed?.kind === 'lambda-function') {
        const result = await invocations.invoke({
          functionName: parsed.arn,
          payload: args,
          signal: context.signal,
        });
        if (result.functionError) throw result.functionError;
        return parsePayload(result.payload);
      }
      if (parsed?.kind !== 'states' || parsed.integration !== 'lambda') {
        throw unsupportedResource(resource, 'not a Lambda integration');
      }
      if (parsed.action !== 'invoke' || parsed.pattern) {
        throw unsupportedResource(
          resource,
          'only the request-response arn:aws:states:::lambda:invoke is supported for Lambda',
        );
      }
      const input = (args ?? {}) as Record<string, unknown>;
      const functionName = input.FunctionName;
      if (typeof functionName !== 'string' || functionName === '') {
        throw new StatesError(
          'States.Runtime',
          `${context.stateName}: lambda:invoke needs a string FunctionName argument`,
        );
      }
      const result = await invocations.invoke({
        functionName,
        payload: input.Payload,
        ...(typeof input.Qualifier === 'string' ? { qualifier: input.Qualifier } : {}),
        ...(typeof input.InvocationType === 'string' ? { invocationType: input.InvocationType } : {}),
        signal: context.signal,
      });
      if (result.functionError) throw result.functionError;
      return lambdaInvokeEnvelope(result);
    },
  };
}
