/** The result bucket and summary table a report is generated from, created for tests and the bench. */
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { summaryTableDefinition } from '@logflow/shared-types';

/** Creates the bucket and a table with the summary table's key schema. */
export async function createReportResources(
  clients: { s3: S3Client; dynamodb: DynamoDBClient },
  names: { resultBucket: string; summaryTable: string },
): Promise<void> {
  await clients.s3.send(new CreateBucketCommand({ Bucket: names.resultBucket }));
  await clients.dynamodb.send(new CreateTableCommand(summaryTableDefinition(names.summaryTable)));
}
