/**
 * One SNS topic per severity, encrypted with a customer managed KMS key, with the email and SMS
 * subscriptions of monitors.yaml. Each subscription filters on the `channels` message attribute that
 * crawlguard sets (lambdas/adapters/notify/publish-input.ts), so routing and the SMS budget decide who
 * gets a notification. Messages without the attribute (CloudWatch alarms) reach every subscription.
 */
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Stack, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { MonitorsConfig, Routing } from '../lambdas/core/config/types';

type Severity = keyof Routing;

export const SEVERITIES: Severity[] = ['critical', 'warning', 'info'];

const channelFilter = (channel: 'sms' | 'email') => ({ channels: new SubscriptionFilter([channel, { exists: false }]) });

/** Whether any routing (top-level or a site's) sends `severity` to `channel`. */
function routed(config: MonitorsConfig, severity: Severity, channel: 'sms' | 'email'): boolean {
  return config.alerts.routing[severity].includes(channel) || config.sites.some((site) => site.routing[severity].includes(channel));
}

export class AlertTopics extends Construct {
  readonly key: Key;
  readonly topics: Record<Severity, Topic>;

  constructor(scope: Construct, id: string, config: MonitorsConfig) {
    super(scope, id);
    this.key = new Key(this, 'Key', { description: 'crawlguard alert topics', enableKeyRotation: true });
    // CloudWatch alarms publish to the critical topic: the key must let CloudWatch use it, or alarms
    // fail silently (SNS documentation, "Encryption at rest": AWS service event sources).
    this.key.addToResourcePolicy(new PolicyStatement({
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'], // in a key policy, "*" is this key
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    }));
    const topic = (severity: Severity) => {
      const t = new Topic(this, `${severity[0]!.toUpperCase()}${severity.slice(1)}`, {
        displayName: `crawlguard ${severity}`,
        masterKey: this.key,
        enforceSSL: true,
      });
      // The critical topic also carries crawlguard's own alarms, so everyone listed subscribes to it.
      const wants = (channel: 'sms' | 'email') => severity === 'critical' || routed(config, severity, channel);
      if (wants('email')) for (const address of config.alerts.email) t.addSubscription(new EmailSubscription(address, { filterPolicy: channelFilter('email') }));
      if (wants('sms')) for (const phone of config.alerts.sms) t.addSubscription(new SmsSubscription(phone, { filterPolicy: channelFilter('sms') }));
      return t;
    };
    this.topics = { critical: topic('critical'), warning: topic('warning'), info: topic('info') };
  }

  /** Both halves of the binding: the topic ARNs in the function's environment, and the right to publish to them. */
  bindTo(fn: LambdaFunction): void {
    for (const severity of SEVERITIES) {
      fn.addEnvironment(`CRAWLGUARD_TOPIC_ARN_${severity.toUpperCase()}`, this.topics[severity].topicArn);
      this.topics[severity].grantPublish(fn);
    }
    if (fn.role) {
      Validations.of(fn.role).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason: 'Publishing to an SNS topic encrypted with a KMS key needs kms:GenerateDataKey* (the data-key variants); the statement is limited to this one key.',
      });
    }
  }
}
