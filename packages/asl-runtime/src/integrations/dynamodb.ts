/**
 * The optimized DynamoDB integration (`arn:aws:states:::dynamodb:getItem|putItem|updateItem|
 * deleteItem`): attribute-value maps in and out, the HTTP metadata fields Step Functions adds
 * to the response, and errors named `DynamoDB.<Name>Exception`.
 */
import type { TaskContext, TaskInvoker } from '../integrations.js';
import type { AwsClients } from './aws-clients.js';
import { toStatesError, unsupportedResource } from './errors.js';
import { parseTaskResource } from './resource.js';
import { sendSdkCommand } from './sdk-call.js';

export const DYNAMODB_ACTIONS = ['getItem', 'putItem', 'updateItem', 'deleteItem'] as const;

export function isDynamoDbResource(resource: string): boolean {
  const parsed = parseTaskResource(resource);
  return parsed?.kind === 'states' && parsed.integration === 'dynamodb';
}

export function createDynamoDbInvoker(clients: AwsClients): TaskInvoker {
  return {
    async invoke(resource: string, args: unknown, context: TaskContext): Promise<unknown> {
      const parsed = parseTaskResource(resource);
      if (parsed?.kind !== 'states' || parsed.integration !== 'dynamodb') {
        throw unsupportedResource(resource, 'not a DynamoDB integration');
      }
      if (!(DYNAMODB_ACTIONS as readonly string[]).includes(parsed.action) || parsed.pattern) {
        throw unsupportedResource(
          resource,
          `the optimized DynamoDB integration supports ${DYNAMODB_ACTIONS.join(', ')} (request-response only); use arn:aws:states:::aws-sdk:dynamodb:${parsed.action} for other actions`,
        );
      }
      try {
        const { output, http } = await sendSdkCommand({
          clients,
          service: 'dynamodb',
          action: parsed.action,
          args,
          ...(parsed.region ? { region: parsed.region } : {}),
          signal: context.signal,
        });
        return { ...output, ...http };
      } catch (error) {
        if (context.signal.aborted) throw context.signal.reason;
        throw toStatesError('DynamoDB', error, { service: 'AmazonDynamoDBv2', format: 'optimized' });
      }
    },
  };
}
