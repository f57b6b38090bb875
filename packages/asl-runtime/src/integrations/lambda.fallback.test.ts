/**
 * `fallbackToAws`: functions not registered locally go to the Lambda Invoke API through
 * @aws-sdk/client-lambda. A minimal HTTP endpoint speaking that API stands in for the service.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatesError } from '../integrations.js';
import type { TaskContext } from '../integrations.js';
import { AwsClients } from './aws-clients.js';
import { createLambdaInvoker, LambdaRegistry } from './lambda.js';

let server: Server;
let clients: AwsClients;
const requests: { path: string; body: string; qualifier: string | null }[] = [];
const context = (): TaskContext => ({ signal: new AbortController().signal, stateName: 'Remote' });

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      requests.push({ path: url.pathname, body, qualifier: url.searchParams.get('Qualifier') });
      const functionName = decodeURIComponent(
        /\/functions\/([^/]+)\/invocations$/.exec(url.pathname)?.[1] ?? '',
      );
      const name = functionName.split(':function:').pop()!.split(':')[0]!;
      const headers = { 'content-type': 'application/json', 'x-amzn-requestid': 'remote-request-1' };
      if (name === 'remote-ok') {
        res.writeHead(200, { ...headers, 'x-amz-executed-version': '7' });
        res.end(JSON.stringify({ echoed: JSON.parse(body) as unknown }));
      } else if (name === 'remote-fails') {
        res.writeHead(200, {
          ...headers,
          'x-amz-function-error': 'Unhandled',
          'x-amz-executed-version': '$LATEST',
        });
        res.end(JSON.stringify({ errorType: 'RemoteError', errorMessage: 'it broke', trace: [] }));
      } else {
        res.writeHead(404, { ...headers, 'x-amzn-errortype': 'ResourceNotFoundException' });
        res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  clients = new AwsClients({
    clientConfig: {
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    },
  });
});

afterAll(async () => {
  await clients?.destroy();
  await new Promise((resolve) => server?.close(resolve));
});

describe('Lambda fallback to the Invoke API', () => {
  const invoker = () =>
    createLambdaInvoker({
      registry: new LambdaRegistry().register('local', async () => 'local result'),
      clients,
      fallbackToAws: true,
    });

  it('prefers local handlers and sends the rest to Lambda, returning its envelope', async () => {
    expect(
      await invoker().invoke('arn:aws:states:::lambda:invoke', { FunctionName: 'local' }, context()),
    ).toMatchObject({ Payload: 'local result' });
    expect(requests).toHaveLength(0);
    const result = await invoker().invoke(
      'arn:aws:states:::lambda:invoke',
      { FunctionName: 'remote-ok', Qualifier: '7', Payload: { n: 1 } },
      context(),
    );
    expect(result).toMatchObject({
      ExecutedVersion: '7',
      Payload: { echoed: { n: 1 } },
      StatusCode: 200,
      SdkResponseMetadata: { RequestId: 'remote-request-1' },
    });
    expect(requests.at(-1)).toEqual({
      path: '/2015-03-31/functions/remote-ok/invocations',
      body: '{"n":1}',
      qualifier: '7',
    });
  });

  it('reports function errors by errorType and service errors as Lambda.<Name>Exception', async () => {
    const failed = await invoker()
      .invoke('arn:aws:lambda:us-east-1:123456789012:function:remote-fails', {}, context())
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(StatesError);
    expect((failed as StatesError).error).toBe('RemoteError');
    expect(JSON.parse((failed as StatesError).cause!)).toEqual({
      errorType: 'RemoteError',
      errorMessage: 'it broke',
      trace: [],
    });
    const missing = await invoker()
      .invoke('arn:aws:states:::lambda:invoke', { FunctionName: 'remote-missing' }, context())
      .catch((e: unknown) => e);
    expect((missing as StatesError).error).toBe('Lambda.ResourceNotFoundException');
    expect((missing as StatesError).cause).toMatch(
      /^Function not found: remote-missing \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: remote-request-1; Proxy: null\)$/,
    );
  });
});
