/**
 * Creates the buckets and the summary table a run needs, with the names and key schema the
 * Terraform stack uses (both come from `@logflow/shared-types`). Idempotent: existing
 * resources are left as they are, so consecutive local runs accumulate like a real account.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { CreateBucketCommand, HeadBucketCommand, S3ServiceException } from '@aws-sdk/client-s3';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { SUMMARY_TABLE_KEYS, summaryTableDefinition, type ResourceNames } from '@logflow/shared-types';

export async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (!(error instanceof S3ServiceException) || error.$metadata.httpStatusCode !== 404) throw error;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
}

export async function ensureSummaryTable(dynamodb: DynamoDBClient, table: string): Promise<void> {
  try {
    await dynamodb.send(new DescribeTableCommand({ TableName: table }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await dynamodb.send(new CreateTableCommand(summaryTableDefinition(table)));
  try {
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: table,
        TimeToLiveSpecification: { Enabled: true, AttributeName: SUMMARY_TABLE_KEYS.ttlAttribute },
      }),
    );
  } catch {
    // Local DynamoDB may not implement TTL; expiry is a deployment concern, not a run's.
  }
}

export async function ensureRunResources(
  clients: { s3: S3Client; dynamodb: DynamoDBClient },
  names: ResourceNames,
): Promise<void> {
  await Promise.all([
    ensureBucket(clients.s3, names.inputBucket),
    ensureBucket(clients.s3, names.resultBucket),
    ensureSummaryTable(clients.dynamodb, names.summaryTable),
  ]);
}
