/**
 * One SNS topic per severity, encrypted with a customer managed KMS key, each with every email and SMS
 * recipient of monitors.yaml. Routing is not decided here: each subscription filters on the `channels`
 * attribute that crawlguard sets from its routing (lambdas/core/alerts/channels.ts), so whichever topic a
 * notification goes to, it reaches exactly the channels it names. Messages without the attribute
 * (CloudWatch alarms) reach every subscription.
 */
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Stack, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { channelFilterPolicy } from '../lambdas/core/alerts/channels';
import type { Channel, MonitorsConfig } from '../lambdas/core/config/types';
import { SEVERITIES, type Severity } from '../lambdas/core/tiers/severity';

const filterPolicy = (channel: Channel) =>
  Object.fromEntries(
    Object.entries(channelFilterPolicy(channel)).map(([name, conditions]) => [
      name,
      new SubscriptionFilter(conditions),
    ]),
  );

export class AlertTopics extends Construct {
  readonly key: Key;
  readonly topics: Record<Severity, Topic>;

  constructor(scope: Construct, id: string, config: MonitorsConfig) {
    super(scope, id);
    this.key = new Key(this, 'Key', { description: 'crawlguard alert topics', enableKeyRotation: true });
    // CloudWatch alarms publish to the critical topic: the key must let CloudWatch use it, or alarms
    // fail silently (SNS documentation, "Encryption at rest": AWS service event sources).
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'], // in a key policy, "*" is this key
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    const topic = (severity: Severity) => {
      const t = new Topic(this, `${severity[0]!.toUpperCase()}${severity.slice(1)}`, {
        displayName: `crawlguard ${severity}`,
        masterKey: this.key,
        enforceSSL: true,
      });
      for (const address of config.alerts.email)
        t.addSubscription(new EmailSubscription(address, { filterPolicy: filterPolicy('email') }));
      for (const phone of config.alerts.sms)
        t.addSubscription(new SmsSubscription(phone, { filterPolicy: filterPolicy('sms') }));
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
        reason:
          'Publishing to an SNS topic encrypted with a KMS key needs kms:GenerateDataKey* (the data-key variants); the statement is limited to this one key.',
      });
    }
  }
}
