/** The CDK stack through synth and aws-cdk-lib/assertions (no AWS account, no network). */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseMonitorsConfig } from '../../lambdas/core/config/parse';
import { CrawlguardStack } from '../../lib/crawlguard-stack';

function synth(yaml = 'version: 1\nsites:\n  - origin: https://www.example.com\n'): Template {
  // Skipping the WASM CloudFormation validation saves ~3 s per synth (../shared/notes/toolchain.md).
  const app = new App({ context: { '@aws-cdk/core:validateTemplates': false, 'aws:cdk:bundling-stacks': [] } });
  const stack = new CrawlguardStack(app, 'Test', { config: parseMonitorsConfig('monitors.yaml', yaml, () => '') });
  return Template.fromStack(stack);
}

test('one on-demand table with the store layout keys, TTL on expiresAt, point-in-time recovery, retained', () => {
  const template = synth();
  template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
  template.hasResource('AWS::DynamoDB::GlobalTable', {
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: Match.objectLike({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    }),
  });
  template.hasOutput('TableName', {});
});
