/** The CDK stack synthesized from a monitors.yaml text (no AWS account, no network, no bundling). */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseMonitorsConfig } from '../../lambdas/core/config/parse';
import { CrawlguardStack } from '../../lib/crawlguard-stack';
import { TEST_CONTEXT } from './cdk-context';

/** With cdk.json's feature flags; no bundling, no WASM validation (test/support/cdk-context.ts). */
export function synth(yaml: string): Template {
  const app = new App({ context: TEST_CONTEXT });
  const stack = new CrawlguardStack(app, 'Test', {
    config: parseMonitorsConfig('monitors.yaml', yaml, () => '', { forDeploy: true }),
  });
  return Template.fromStack(stack);
}
