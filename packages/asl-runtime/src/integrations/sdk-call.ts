/**
 * Sending one AWS SDK v3 command built from state JSON: the command is looked up by action
 * name, its input converted along the operation schema, the HTTP response metadata captured
 * (the optimized integrations return it) and the output turned back into plain JSON.
 */
import { StatesError } from '../integrations.js';
import type { AwsClients, SdkModule } from './aws-clients.js';
import { loadSdkModule } from './aws-clients.js';
import { pascalCase } from './resource.js';
import {
  fromSdkOutput,
  isPlainObject,
  operationSchemas,
  readStreamingMembers,
  toSdkInput,
} from './sdk-values.js';

/** `SdkHttpMetadata` / `SdkResponseMetadata` as Step Functions' optimized integrations return them. */
export interface SdkHttpDetails {
  SdkHttpMetadata: {
    AllHttpHeaders: Record<string, string[]>;
    HttpHeaders: Record<string, string>;
    HttpStatusCode: number;
  };
  SdkResponseMetadata: { RequestId: string };
}

export interface SdkCallResult {
  output: Record<string, unknown>;
  http: SdkHttpDetails;
}

interface MiddlewareStack {
  add(middleware: unknown, options: { step: string; name: string }): void;
}

type CommandConstructor = new (input: unknown) => { middlewareStack: MiddlewareStack };

function commandConstructor(module: SdkModule, service: string, action: string): CommandConstructor {
  const name = `${pascalCase(action)}Command`;
  const Command = module[name];
  if (typeof Command !== 'function') {
    throw new StatesError(
      'States.Runtime',
      `AWS SDK service "${service}" has no action "${action}" (no ${name})`,
    );
  }
  return Command as CommandConstructor;
}

export interface SdkCallOptions {
  clients: AwsClients;
  service: string;
  action: string;
  args: unknown;
  region?: string;
  signal?: AbortSignal;
}

/**
 * Sends `action` of `service` with `args` (PascalCase members as in the API reference).
 * Throws the SDK's error unchanged so callers can name it their way; input that does not
 * fit the schema throws `States.Runtime`.
 */
export async function sendSdkCommand(options: SdkCallOptions): Promise<SdkCallResult> {
  const { clients, service, action, args, region, signal } = options;
  const module = await loadSdkModule(service);
  const Command = commandConstructor(module, service, action);
  if (args !== undefined && args !== null && !isPlainObject(args)) {
    throw new StatesError('States.Runtime', `Arguments of ${service}:${action} must be a JSON object`);
  }
  const probe = new Command({});
  const schemas = operationSchemas(probe);
  let input: unknown;
  try {
    input = schemas ? toSdkInput(schemas.input, args ?? {}) : (args ?? {});
  } catch (error) {
    throw new StatesError(
      'States.Runtime',
      `Invalid arguments for ${service}:${action}: ${(error as Error).message}`,
    );
  }
  const command = new Command(input);
  const http: SdkHttpDetails = {
    SdkHttpMetadata: { AllHttpHeaders: {}, HttpHeaders: {}, HttpStatusCode: 0 },
    SdkResponseMetadata: { RequestId: '' },
  };
  command.middlewareStack.add(
    (
      next: (a: unknown) => Promise<{ response?: { statusCode?: number; headers?: Record<string, string> } }>,
    ) =>
      async (a: unknown) => {
        const result = await next(a);
        const response = result.response;
        if (response) {
          http.SdkHttpMetadata.HttpStatusCode = response.statusCode ?? 0;
          for (const [name, value] of Object.entries(response.headers ?? {})) {
            http.SdkHttpMetadata.HttpHeaders[name] = value;
            http.SdkHttpMetadata.AllHttpHeaders[name] = [value];
          }
        }
        return result;
      },
    { step: 'deserialize', name: 'logflowCaptureHttpMetadata' },
  );
  const client = await clients.client(service, region);
  const raw = (await client.send(command, signal ? { abortSignal: signal } : undefined)) as Record<
    string,
    unknown
  >;
  const metadata = raw.$metadata as { requestId?: string; httpStatusCode?: number } | undefined;
  http.SdkResponseMetadata.RequestId = metadata?.requestId ?? '';
  if (!http.SdkHttpMetadata.HttpStatusCode)
    http.SdkHttpMetadata.HttpStatusCode = metadata?.httpStatusCode ?? 200;
  const read = await readStreamingMembers(raw);
  const output = fromSdkOutput(read, schemas?.output) as Record<string, unknown>;
  return { output, http };
}
