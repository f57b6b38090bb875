/** The result bucket and summary table a report is generated from, created for tests and the bench. */
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { SUMMARY_TABLE_KEYS } from '@logflow/shared-types';

/** Creates the bucket and a table with the summary table's key schema (as the stack deploys it). */
export async function createReportResources(
  clients: { s3: S3Client; dynamodb: DynamoDBClient },
  names: { resultBucket: string; summaryTable: string },
): Promise<void> {
  await clients.s3.send(new CreateBucketCommand({ Bucket: names.resultBucket }));
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: names.summaryTable,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: SUMMARY_TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: SUMMARY_TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: SUMMARY_TABLE_KEYS.partitionKey, AttributeType: 'S' },
        { AttributeName: SUMMARY_TABLE_KEYS.sortKey, AttributeType: 'S' },
      ],
    }),
  );
}
