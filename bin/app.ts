/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy`). It validates monitors.yaml with the same schema as
 * `crawlguard validate`: a broken file stops synth with the same file:line:column messages, no stack trace.
 * The file is `monitors.yaml`, or the one named by `-c config=FILE` or CRAWLGUARD_CONFIG.
 */
import { App } from 'aws-cdk-lib';
import { loadMonitorsConfig } from '../lambdas/adapters/config-file';
import { ConfigError } from '../lambdas/core/config/errors';
import type { MonitorsConfig } from '../lambdas/core/config/types';
import { CrawlguardStack } from '../lib/crawlguard-stack';

const app = new App();
const configPath: string = app.node.tryGetContext('config') ?? process.env.CRAWLGUARD_CONFIG ?? 'monitors.yaml';

let config: MonitorsConfig;
try {
  config = loadMonitorsConfig(configPath, { forDeploy: true });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}

new CrawlguardStack(app, 'Crawlguard', { config });
