import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateTimeToLiveCommand,
  paginateQuery,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from './index.js';

const TABLE = 'summaries';

describe('DynamoDB', () => {
  let aws: LocalAws;
  let ddb: DynamoDBClient;

  beforeAll(async () => {
    aws = await startLocalAws({ inMemory: true });
    ddb = new DynamoDBClient(aws.clientConfig());
    await ddb.send(
      new CreateTableCommand({
        TableName: TABLE,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(async () => {
    ddb.destroy();
    await aws.stop();
  });

  it('creates tables ACTIVE at once', async () => {
    const described = await ddb.send(new DescribeTableCommand({ TableName: TABLE }));
    expect(described.Table?.TableStatus).toBe('ACTIVE');
  });

  it('puts, gets and queries with pagination', async () => {
    const sks = Array.from({ length: 250 }, (_, i) => `FILE#${String(i).padStart(4, '0')}`);
    for (let i = 0; i < sks.length; i += 25) {
      await ddb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [TABLE]: sks.slice(i, i + 25).map((sk) => ({
              PutRequest: {
                Item: { pk: { S: 'DAY#2026-11-22' }, sk: { S: sk }, blob: { S: 'x'.repeat(8000) } },
              },
            })),
          },
        }),
      );
    }
    await ddb.send(
      new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'DAY#2026-11-23' }, sk: { S: 'FILE#0' } } }),
    );
    const one = await ddb.send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'DAY#2026-11-22' }, sk: { S: 'FILE#0007' } } }),
    );
    expect(one.Item?.['blob']?.S).toHaveLength(8000);

    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateQuery(
      { client: ddb, pageSize: 100 },
      {
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'DAY#2026-11-22' } },
      },
    )) {
      pages++;
      seen.push(...(page.Items ?? []).map((item) => item['sk']!.S!));
    }
    expect(seen).toEqual(sks);
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('keeps the TTL attribute setting (UpdateTimeToLive / DescribeTimeToLive)', async () => {
    const before = await ddb.send(new DescribeTimeToLiveCommand({ TableName: TABLE }));
    expect(before.TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
    const updated = await ddb.send(
      new UpdateTimeToLiveCommand({
        TableName: TABLE,
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    );
    expect(updated.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    const after = await ddb.send(new DescribeTimeToLiveCommand({ TableName: TABLE }));
    expect(after.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    await expect(
      ddb.send(
        new UpdateTimeToLiveCommand({
          TableName: TABLE,
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException', message: 'TimeToLive is already enabled' });
    await expect(ddb.send(new DescribeTimeToLiveCommand({ TableName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('forgets the TTL setting of a deleted table', async () => {
    const spec = {
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
      BillingMode: 'PAY_PER_REQUEST' as const,
    };
    await ddb.send(new CreateTableCommand({ TableName: 'short-lived', ...spec }));
    await ddb.send(
      new UpdateTimeToLiveCommand({
        TableName: 'short-lived',
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      }),
    );
    await ddb.send(new DeleteTableCommand({ TableName: 'short-lived' }));
    await ddb.send(new CreateTableCommand({ TableName: 'short-lived', ...spec }));
    const described = await ddb.send(new DescribeTimeToLiveCommand({ TableName: 'short-lived' }));
    expect(described.TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
  });
});
