/**
 * `arn:aws:states:::aws-sdk:<service>:<action>`: any AWS API through its SDK v3 client, with
 * errors named `<Service>.<ErrorName>Exception` as Step Functions names them.
 */
import type { TaskContext, TaskInvoker } from '../integrations.js';
import type { AwsClients } from './aws-clients.js';
import { sdkErrorServiceName, toStatesError, unsupportedResource } from './errors.js';
import { parseTaskResource } from './resource.js';
import { sendSdkCommand } from './sdk-call.js';

export const AWS_SDK_RESOURCE_PREFIX = 'arn:aws:states:::aws-sdk:';

export function isAwsSdkResource(resource: string): boolean {
  const parsed = parseTaskResource(resource);
  return parsed?.kind === 'states' && parsed.integration === 'aws-sdk';
}

export function createAwsSdkInvoker(clients: AwsClients): TaskInvoker {
  return {
    async invoke(resource: string, args: unknown, context: TaskContext): Promise<unknown> {
      const parsed = parseTaskResource(resource);
      if (parsed?.kind !== 'states' || parsed.integration !== 'aws-sdk' || !parsed.service) {
        throw unsupportedResource(resource, 'not an AWS SDK integration');
      }
      if (parsed.pattern) {
        throw unsupportedResource(
          resource,
          `integration pattern ".${parsed.pattern}" is not supported for AWS SDK integrations`,
        );
      }
      const { service, action } = parsed;
      try {
        const { output } = await sendSdkCommand({
          clients,
          service,
          action,
          args,
          ...(parsed.region ? { region: parsed.region } : {}),
          signal: context.signal,
        });
        return output;
      } catch (error) {
        if (context.signal.aborted) throw context.signal.reason;
        throw toStatesError(sdkErrorServiceName(service), error);
      }
    },
  };
}
