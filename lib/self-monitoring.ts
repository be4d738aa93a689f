/**
 * Who watches the watcher: alarms when the probe function errors, when a shard has not completed a pass
 * within 3 intervals, and when failed invocations pile up in the dead-letter queue; all notify the
 * critical topic. A dashboard shows passes, checks, failures per origin and pass duration.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE } from '../lambdas/adapters/telemetry';
import type { Shard } from '../lambdas/core/config/shards';

/** The checker is late when 3 intervals pass without a completed pass (the rules' gap, too). */
const MISSED_INTERVALS = 3;
/** CloudWatch evaluates at most a day per alarm period. */
const MAX_PERIOD = Duration.days(1);

export interface SelfMonitoringProps {
  fn: IFunction;
  shards: Shard[];
  critical: ITopic;
  deadLetters: IQueue;
}

export class SelfMonitoring extends Construct {
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: SelfMonitoringProps) {
    super(scope, id);
    const action = new SnsAction(props.critical);
    const watch = (alarm: Alarm) => {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push(alarm);
    };
    watch(
      props.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }).createAlarm(this, 'Errors', {
        alarmDescription: 'crawlguard: the probe function failed (see its log); alerts may not be going out',
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    for (const shard of props.shards) {
      const period = Duration.millis(Math.min(MISSED_INTERVALS * shard.intervalMs, MAX_PERIOD.toMilliseconds()));
      watch(
        passesOf(shard.id, period).createAlarm(this, `NoPass-${shard.id}`, {
          alarmDescription: `crawlguard: shard ${shard.id} completed no pass in ${period.toHumanString()}; its sites are not being checked`,
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
          treatMissingData: TreatMissingData.BREACHING,
        }),
      );
    }
    watch(
      props.deadLetters
        .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' })
        .createAlarm(this, 'DeadLetters', {
          alarmDescription: 'crawlguard: passes failed after retries (messages in the dead-letter queue)',
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
    );

    const total = (metricName: string, statistic = 'Sum') =>
      new Metric({ namespace: METRIC_NAMESPACE, metricName, statistic, period: Duration.minutes(5) });
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `crawlguard-${Stack.of(this).stackName}` });
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Passes completed per shard',
        left: props.shards.map((s) => passesOf(s.id, Duration.minutes(5), s.id)),
        width: 12,
      }),
      new GraphWidget({ title: 'Checks and failures', left: [total('Checks'), total('Failures')], width: 12 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Failures per origin',
        left: [
          new MathExpression({
            expression: `SEARCH('{${METRIC_NAMESPACE},Origin} MetricName="OriginFailures"', 'Sum', 300)`,
            label: '',
            period: Duration.minutes(5),
          }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Pass duration (ms)',
        left: [total('PassDurationMs', 'Average'), total('PassDurationMs', 'Maximum')],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Probe function',
        left: [props.fn.metricErrors(), props.fn.metricThrottles()],
        right: [props.fn.metricDuration()],
        width: 12,
      }),
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 12 }),
    );
  }
}

/** A label would turn the alarm into a metric-math alarm; only the dashboard's lines get one. */
function passesOf(shardId: string, period: Duration, label?: string): Metric {
  return new Metric({
    namespace: METRIC_NAMESPACE,
    metricName: 'PassesCompleted',
    dimensionsMap: { Shard: shardId },
    statistic: 'Sum',
    period,
    label,
  });
}
