/** The service as a mount of the local-aws endpoint (`startLocalAws({ stepFunctions: mountStepFunctions() })`). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createIntegrations, type LambdaRegistry } from '@logflow/asl-runtime';
import type { Clock } from '@logflow/shared-types';
import { handleRequest } from './http.js';
import { StepFunctionsService, type ServiceIntegrations } from './service.js';

export interface MountOptions {
  /** Local Lambda handlers for Task states (`arn:aws:states:::lambda:invoke` and Lambda ARNs). */
  lambdas?: LambdaRegistry;
  /** Use these instead of the AWS SDK integrations pointed at the endpoint. */
  integrations?: ServiceIntegrations;
  noWait?: boolean;
  now?: Clock;
  accountId?: string;
  /** Called with the service once it is open (tests, the console). */
  onOpen?: (service: StepFunctionsService) => void;
}

/** What local-aws's `stepFunctions` option takes (its `MountContext`, structurally). */
export interface MountContext {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  dir?: string;
}

export function mountStepFunctions(options: MountOptions = {}) {
  return async (context: MountContext) => {
    // Task states and Distributed Map readers and writers reach S3, DynamoDB, ... on the same endpoint.
    const own = options.integrations
      ? undefined
      : createIntegrations({
          ...(options.lambdas ? { lambdas: options.lambdas } : {}),
          clientConfig: {
            endpoint: context.endpoint,
            region: context.region,
            credentials: context.credentials,
            forcePathStyle: true,
          },
        });
    const service = await StepFunctionsService.open({
      ...(context.dir !== undefined ? { dir: context.dir } : {}),
      region: context.region,
      ...(options.accountId ? { accountId: options.accountId } : {}),
      integrations: options.integrations ?? {
        taskInvoker: own!.taskInvoker,
        itemReader: own!.itemReader,
        resultWriter: own!.streamingResultWriter,
      },
      ...(options.noWait !== undefined ? { noWait: options.noWait } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    options.onOpen?.(service);
    return {
      handle: (req: IncomingMessage, res: ServerResponse) => void handleRequest(service, req, res),
      close: async () => {
        await service.close();
        await own?.destroy();
      },
    };
  };
}
