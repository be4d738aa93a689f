/** cdk-nag AwsSolutions on the real stack: no finding left, every acknowledgment with its reason; one snapshot. */
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMonitorsConfig } from '../../lambdas/core/config/parse';
import { CrawlguardStack } from '../../lib/crawlguard-stack';
import { TEST_CONTEXT } from '../support/cdk-context';

const CONFIG = `version: 1
alerts:
  email: [ops@example.com]
  sms: ["+15555550100"]
sites:
  - origin: https://www.example.com
    urls: [/, /pricing]
`;

function build() {
  const outdir = mkdtempSync(join(tmpdir(), 'crawlguard-cdk-'));
  const app = new App({ outdir, context: TEST_CONTEXT });
  const stack = new CrawlguardStack(app, 'Crawlguard', {
    config: parseMonitorsConfig('monitors.yaml', CONFIG, () => '', { forDeploy: true }),
  });
  return { app, stack, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}

test('AwsSolutions checks pass: no unacknowledged finding', () => {
  const { app, cleanup } = build();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    expect(() => app.synth()).not.toThrow();
  } finally {
    cleanup();
  }
});

test('every acknowledgment names its rule and gives a reason', () => {
  const { stack, cleanup } = build();
  const acknowledged = stack.node
    .findAll()
    .flatMap((node) =>
      node.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ id, reason }))),
    );
  cleanup();
  expect(acknowledged.map((a) => a.id).sort()).toEqual([
    'AwsSolutions::AwsSolutions-CFR1',
    'AwsSolutions::AwsSolutions-CFR2',
    'AwsSolutions::AwsSolutions-CFR3',
    'AwsSolutions::AwsSolutions-CFR4',
    'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
    'AwsSolutions::AwsSolutions-IAM5[Resource::<ProbeFunctionCA5564E7.Arn>:*]',
    'AwsSolutions::AwsSolutions-L1',
    'AwsSolutions::AwsSolutions-S1',
    'AwsSolutions::AwsSolutions-SQS3',
  ]);
  for (const { reason } of acknowledged) expect(reason.length).toBeGreaterThan(40);
});

test('the template, asset hashes masked (the one snapshot)', () => {
  const { stack, cleanup } = build();
  const json = JSON.stringify(Template.fromStack(stack).toJSON(), null, 1).replace(
    /[a-f0-9]{64}(\.zip)?/g,
    '<asset-hash>$1',
  );
  cleanup();
  expect(JSON.parse(json)).toMatchSnapshot();
});
