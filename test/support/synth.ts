/** The CDK stack synthesized from a monitors.yaml text (no AWS account, no network, no bundling). */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseMonitorsConfig } from '../../lambdas/core/config/parse';
import { CrawlguardStack } from '../../lib/crawlguard-stack';

/** Skipping bundling and the WASM CloudFormation validation keeps a synth near a second (toolchain notes). */
export function synth(yaml: string): Template {
  const app = new App({ context: { '@aws-cdk/core:validateTemplates': false, 'aws:cdk:bundling-stacks': [] } });
  const stack = new CrawlguardStack(app, 'Test', { config: parseMonitorsConfig('monitors.yaml', yaml, () => '', { forDeploy: true }) });
  return Template.fromStack(stack);
}
