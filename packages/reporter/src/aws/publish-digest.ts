import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { DailyDigest } from '../digest.js';

/**
 * Publishes a digest to an SNS topic. The deduplication id (FIFO topics) is the day, so a rerun
 * of the same day inside the dedup window does not notify twice; standard topics ignore it.
 */
export async function publishDigest(
  sns: Pick<SNSClient, 'send'>,
  topicArn: string,
  date: string,
  digest: DailyDigest,
): Promise<string | undefined> {
  const fifo = topicArn.endsWith('.fifo');
  const out = await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: digest.subject,
      Message: digest.text,
      ...(fifo ? { MessageGroupId: 'logflow-daily', MessageDeduplicationId: `daily-${date}` } : {}),
    }),
  );
  return out.MessageId;
}
