import { parseMonitorsConfig } from '../../lambdas/core/config/parse';
import { measureItemSizes } from '../../lambdas/handlers/cli/commands/cost';
import { runCli } from '../support/cli';

test('item sizes are measured from the storage encoding: a handful of bytes per check', () => {
  const sizes = measureItemSizes(
    parseMonitorsConfig('monitors.yaml', 'version: 1\nsites:\n  - origin: https://a.example\n', () => ''),
  );
  expect(sizes.historyBytesPerCheck).toBeGreaterThan(5);
  expect(sizes.historyBytesPerCheck).toBeLessThan(20); // the point of packing: 1 KB covers ~100 checks
  expect(sizes.stateItemBytes).toBeLessThan(1024);
});

test('crawlguard cost prints the estimate, the Synthetics comparison and every price', async () => {
  const run = await runCli(['cost', '--config', 'monitors.yaml'], { cwd: `${__dirname}/../..` });
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^crawlguard in AWS, monthly estimate for monitors.yaml: 6 URLs on 1 origin, 1 shard/);
  expect(run.stdout).toMatch(/\ntotal +\d+\.\d+ +\(\d+\.\d+ per URL-month\)\n/);
  expect(run.stdout).toContain('CloudWatch Synthetics instead, one canary run per URL check');
  expect(run.stdout).toContain('syntheticsCanaryRun: 0.0012');
});
