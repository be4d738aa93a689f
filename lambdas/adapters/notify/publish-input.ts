/** The SNS Publish request for a notification: the one shape both the SNS and the local channel use. */
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { CHANNEL_ATTRIBUTE } from '../../core/alerts/channels';
import type { Notification } from '../../core/messages/notification';
import { redactCredentials } from '../../core/redact';

export function publishInput(notification: Notification, topicArn: string): PublishCommandInput {
  const bodies: Record<string, string> = { default: notification.default, email: notification.email };
  if (notification.sms) bodies.sms = notification.sms;
  return {
    TopicArn: topicArn,
    Subject: redactCredentials(notification.subject),
    Message: redactCredentials(JSON.stringify(bodies)),
    MessageStructure: 'json',
    // Subscriptions filter on it (core/alerts/channels.ts): email subscribers on "email", SMS on "sms".
    MessageAttributes: {
      [CHANNEL_ATTRIBUTE]: { DataType: 'String.Array', StringValue: JSON.stringify(notification.channels) },
      severity: { DataType: 'String', StringValue: notification.severity },
      origin: { DataType: 'String', StringValue: notification.origin },
    },
  };
}
