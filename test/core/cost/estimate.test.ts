import { parseMonitorsConfig } from '../../../lambdas/core/config/parse';
import { estimate, type ItemSizes } from '../../../lambdas/core/cost/estimate';
import { PRICES } from '../../../lambdas/core/cost/prices';

const SIZES: ItemSizes = {
  historyBytesPerCheck: 9,
  historyItemOverheadBytes: 100,
  stateItemBytes: 300,
  robotsCopyBytes: 250,
};
const config = (yaml: string) =>
  parseMonitorsConfig('monitors.yaml', `version: 1\n${yaml}`, () => '', { forDeploy: true });

test('one URL checked every minute: 43,800 passes a month, and the Synthetics comparison of the issue (USD 52.56)', () => {
  const e = estimate(config('defaults: { interval: 1m }\nsites:\n  - origin: https://a.example\n'), SIZES);
  expect(e.checksPerMonth).toBe(43_800 * 2); // the URL and robots.txt
  expect(e.lines.find((l) => l.item === 'Lambda requests')!.quantity).toBe(43_800);
  expect(e.synthetics.perUrlMonthUsd).toBeCloseTo(52.56, 2);
  // One history item of under 1 KB a pass: one write unit; two strongly consistent reads (state, robots copy).
  expect(e.lines.find((l) => l.item.startsWith('DynamoDB writes'))!.quantity).toBe(43_800);
  expect(e.lines.find((l) => l.item.startsWith('DynamoDB reads'))!.quantity).toBe(2 * 43_800);
});

test('every line is priced from the table it prints', () => {
  const e = estimate(config('sites:\n  - origin: https://a.example\n    urls: [/, /b]\n'), SIZES);
  const line = (prefix: string) => e.lines.find((l) => l.item.startsWith(prefix))!;
  expect(line('Lambda compute').usd).toBeCloseTo(line('Lambda compute').quantity * PRICES.lambdaArmGbSecond, 10);
  expect(line('CloudWatch alarms').quantity).toBe(3); // one shard: no-pass, errors, dead letters
  expect(e.totalUsd).toBeCloseTo(
    e.lines.reduce((n, l) => n + l.usd, 0),
    10,
  );
});
