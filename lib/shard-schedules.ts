/** One EventBridge Scheduler schedule per shard, at the shard's interval, with the shard id as payload. */
import { type CfnResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { Shard } from '../lambdas/core/config/shards';

export class ShardSchedules extends Construct {
  readonly schedules: Schedule[];

  constructor(scope: Construct, id: string, props: { fn: IFunction; shards: Shard[] }) {
    super(scope, id);
    // One role for every schedule (not one each): it may invoke this function and nothing else.
    const role = new Role(this, 'InvokeRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'crawlguard schedules: invoke the probe function',
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(props.fn.node.defaultChild as CfnResource)}.Arn>:*]`,
      reason:
        'Scheduler grants lambda:InvokeFunction on the function and its versions (ARN:*); it is still this one function only.',
    });
    this.schedules = props.shards.map(
      (shard) =>
        new Schedule(this, `Shard-${shard.id}`, {
          schedule: ScheduleExpression.rate(Duration.minutes(shard.intervalMs / 60_000)),
          description: `crawlguard shard ${shard.id}: ${shard.origins.length} origins, ${shard.checks} checks`,
          target: new LambdaInvoke(props.fn, {
            input: ScheduleTargetInput.fromObject({ shardId: shard.id }),
            role,
            // Lambda's own async retries (and a replay-safe pass) cover a failed invocation.
            retryAttempts: 0,
          }),
        }),
    );
  }
}
