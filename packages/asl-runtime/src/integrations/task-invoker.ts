/**
 * Routing Task resources to the integration that runs them, and one factory wiring every
 * integration (Lambda, optimized DynamoDB, AWS SDK, S3 ItemReader and ResultWriter) to a
 * shared set of AWS clients.
 */
import type { ItemReader, ResultWriter, TaskContext, TaskInvoker } from '../integrations.js';
import { AwsClients } from './aws-clients.js';
import type { AwsClientConfig } from './aws-clients.js';
import { createAwsSdkInvoker, isAwsSdkResource } from './aws-sdk.js';
import { createDynamoDbInvoker, isDynamoDbResource } from './dynamodb.js';
import { unsupportedResource } from './errors.js';
import { createS3ItemReader } from './item-reader.js';
import { createLambdaInvoker, isLambdaResource, LambdaRegistry } from './lambda.js';
import type { LambdaAccount } from './lambda.js';
import { parseTaskResource } from './resource.js';
import { createS3ResultWriter, createS3StreamingResultWriter } from './result-writer.js';
import type { S3ResultWriterOptions, S3StreamingResultWriter } from './result-writer.js';
import type { Clock } from '@logflow/shared-types';

/** Which resources an invoker serves: a prefix, a pattern or a predicate. */
export type ResourceMatcher = string | RegExp | ((resource: string) => boolean);

export interface TaskRoute {
  match: ResourceMatcher;
  invoker: TaskInvoker;
}

function matches(matcher: ResourceMatcher, resource: string): boolean {
  if (typeof matcher === 'string') return resource.startsWith(matcher);
  if (matcher instanceof RegExp) return matcher.test(resource);
  return matcher(resource);
}

/**
 * One invoker trying `routes` in order; the first whose matcher accepts the resource runs it.
 * A resource no route accepts fails with `States.Runtime` naming it.
 */
export function composeTaskInvokers(...routes: TaskRoute[]): TaskInvoker {
  return {
    invoke(resource: string, args: unknown, context: TaskContext): Promise<unknown> {
      const route = routes.find((r) => matches(r.match, resource));
      if (!route) {
        const why = parseTaskResource(resource)
          ? 'no integration for this service is available'
          : 'not a valid Task resource ARN';
        return Promise.reject(unsupportedResource(resource, why));
      }
      return route.invoker.invoke(resource, args, context);
    },
  };
}

export interface IntegrationsOptions {
  /** Local Lambda handlers. */
  lambdas?: LambdaRegistry;
  /** AWS client configuration on top of the SDK defaults (endpoint, region, credentials, ...). */
  clientConfig?: AwsClientConfig;
  /** Per-service client configuration, keyed by Step Functions service name. */
  serviceConfig?: Record<string, AwsClientConfig>;
  /** Use these clients instead of creating them (they are then not destroyed by `destroy`). */
  clients?: AwsClients;
  /** Region and account for Lambda ARNs. */
  account?: Partial<LambdaAccount>;
  /** Invoke real Lambda for functions not registered locally. */
  lambdaFallbackToAws?: boolean;
  /** Extra routes tried before the built-in ones (e.g. stubs in tests, other services). */
  routes?: TaskRoute[];
  resultWriter?: S3ResultWriterOptions;
  /** "Now" of local Lambda invocations (log stream names, response headers). */
  clock?: Clock;
}

export interface Integrations {
  taskInvoker: TaskInvoker;
  itemReader: ItemReader;
  resultWriter: ResultWriter;
  /** The same writer taking child results one at a time. */
  streamingResultWriter: S3StreamingResultWriter;
  clients: AwsClients;
  lambdas: LambdaRegistry;
  /** Closes the AWS clients this instance created. */
  destroy(): Promise<void>;
}

/** Every integration wired to one set of AWS clients. */
export function createIntegrations(options: IntegrationsOptions = {}): Integrations {
  const ownsClients = !options.clients;
  const clients =
    options.clients ??
    new AwsClients({
      ...(options.clientConfig ? { clientConfig: options.clientConfig } : {}),
      ...(options.serviceConfig ? { serviceConfig: options.serviceConfig } : {}),
    });
  const lambdas = options.lambdas ?? new LambdaRegistry();
  const taskInvoker = composeTaskInvokers(
    ...(options.routes ?? []),
    {
      match: isLambdaResource,
      invoker: createLambdaInvoker({
        registry: lambdas,
        clients,
        ...(options.account ? { account: options.account } : {}),
        ...(options.lambdaFallbackToAws ? { fallbackToAws: true } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
      }),
    },
    { match: isDynamoDbResource, invoker: createDynamoDbInvoker(clients) },
    { match: isAwsSdkResource, invoker: createAwsSdkInvoker(clients) },
  );
  return {
    taskInvoker,
    itemReader: createS3ItemReader(clients),
    resultWriter: createS3ResultWriter(clients, options.resultWriter),
    streamingResultWriter: createS3StreamingResultWriter(clients, options.resultWriter),
    clients,
    lambdas,
    destroy: () => (ownsClients ? clients.destroy() : Promise.resolve()),
  };
}

/** The Task invoker of `createIntegrations`, for callers that need only Tasks. */
export function createTaskInvoker(
  options: IntegrationsOptions = {},
): TaskInvoker & { destroy(): Promise<void> } {
  const integrations = createIntegrations(options);
  return {
    invoke: (resource, args, context) => integrations.taskInvoker.invoke(resource, args, context),
    destroy: () => integrations.destroy(),
  };
}
