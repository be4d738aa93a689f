/** The crawlguard stack. No business rules here: the config arrives validated from bin/app.ts. */
import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { planShards } from '../lambdas/core/config/shards';
import type { MonitorsConfig } from '../lambdas/core/config/types';
import { AlertTopics } from './alert-topics';
import { ProbeFunction } from './probe-function';
import { ReportSite } from './report-site';
import { SelfMonitoring } from './self-monitoring';
import { ShardSchedules } from './shard-schedules';
import { CrawlguardTable } from './table';

export interface CrawlguardStackProps extends StackProps {
  config: MonitorsConfig;
}

export class CrawlguardStack extends Stack {
  constructor(scope: Construct, id: string, props: CrawlguardStackProps) {
    super(scope, id, props);
    const { config } = props;
    const shards = planShards(config);
    for (const shard of shards.filter((s) => s.checks > config.limits.maxUrlsPerShard)) {
      Annotations.of(this).addWarningV2(
        'crawlguard:oversized-shard',
        `shard ${shard.id} holds ${shard.checks} checks (${shard.origins.join(', ')}): an origin is never split, so it exceeds maxUrlsPerShard ${config.limits.maxUrlsPerShard}`,
      );
    }

    const store = new CrawlguardTable(this, 'Store');
    const alerts = new AlertTopics(this, 'Alerts', config);
    const probe = new ProbeFunction(this, 'Probe', config);
    store.bindTo(probe.fn);
    alerts.bindTo(probe.fn);
    new ShardSchedules(this, 'Schedules', { fn: probe.fn, shards });
    const report = config.report.everyMs === null ? null : new ReportSite(this, 'Report');
    report?.bindTo(probe.fn);
    const monitoring = new SelfMonitoring(this, 'SelfMonitoring', {
      fn: probe.fn,
      shards,
      critical: alerts.topics.critical,
      deadLetters: probe.deadLetters,
    });

    new CfnOutput(this, 'TableName', {
      value: store.table.tableName,
      description: 'the DynamoDB table holding state, history and events',
    });
    new CfnOutput(this, 'CriticalTopicArn', { value: alerts.topics.critical.topicArn });
    new CfnOutput(this, 'WarningTopicArn', { value: alerts.topics.warning.topicArn });
    new CfnOutput(this, 'InfoTopicArn', { value: alerts.topics.info.topicArn });
    if (report)
      new CfnOutput(this, 'ReportUrl', {
        value: `https://${report.distribution.distributionDomainName}/`,
        description: 'the status page (republished at most every report.every)',
      });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${monitoring.dashboard.dashboardName}`,
    });
  }
}
