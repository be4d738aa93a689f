/**
 * The context every test synth uses: cdk.json's (the feature flags `cdk deploy` synthesizes with, so a test
 * checks the template users deploy), plus the switches that keep a test synth fast (toolchain notes:
 * no WASM template validation, no bundling).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const cdkJson: { context: Record<string, unknown> } = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8'),
);

export const TEST_CONTEXT: Record<string, unknown> = {
  ...cdkJson.context,
  '@aws-cdk/core:validateTemplates': false,
  'aws:cdk:bundling-stacks': [],
};
