/** awsJson1_0 on the wire: `POST /`, `x-amz-target: AWSStepFunctions.<Action>`, JSON in and out. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SfnError } from './errors.js';
import type { StepFunctionsService } from './service.js';

const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** Definitions may be 1 MB; inputs 256 KiB. */
const BODY_LIMIT = 2 * 1024 * 1024;
const TARGET_PREFIX = 'AWSStepFunctions.';

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': String(Buffer.byteLength(text)),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: SfnError): void {
  // `__type` carries AWS's namespace; SDKs and the CLI read the name after `#`.
  send(
    res,
    error.status,
    { __type: `com.amazonaws.swf.service.v2.model#${error.code}`, message: error.message },
    { 'x-amzn-errortype': error.code },
  );
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= BODY_LIMIT) chunks.push(c);
    });
    req.on('end', () => resolve(size > BODY_LIMIT ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Answers one HTTP request with the service. */
export async function handleRequest(
  service: StepFunctionsService,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX))
      throw new SfnError(
        'UnknownOperationException',
        `Unknown operation: ${target || `${req.method} ${req.url}`}`,
      );
    const body = await readBody(req);
    if (body === undefined)
      throw new SfnError('ValidationException', `Request body over ${BODY_LIMIT} bytes`, 413);
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch (e) {
      throw new SfnError('SerializationException', `The request body is not JSON: ${(e as Error).message}`);
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input))
      throw new SfnError('SerializationException', 'The request body must be a JSON object');
    send(res, 200, await service.call(target.slice(TARGET_PREFIX.length), input as Record<string, unknown>));
  } catch (e) {
    if (e instanceof SfnError) return sendError(res, e);
    send(res, 500, { __type: 'InternalFailure', message: e instanceof Error ? e.message : String(e) });
  }
}
