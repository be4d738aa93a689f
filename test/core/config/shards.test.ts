import { parseMonitorsConfig } from '../../../lambdas/core/config/parse';
import { planShards, shardConfig } from '../../../lambdas/core/config/shards';

function configOf(sites: { urls: number; interval?: string; robots?: boolean }[], max = 500) {
  const yaml = [
    'version: 1',
    `limits: { maxUrlsPerShard: ${max} }`,
    'sites:',
    ...sites.flatMap((site, i) => [
      `  - origin: https://site${i}.example`,
      ...(site.interval ? [`    interval: ${site.interval}`] : []),
      ...(site.robots === false ? ['    robots: false'] : []),
      `    urls: [${Array.from({ length: site.urls }, (_, j) => `/p${j}`).join(', ')}]`,
    ]),
  ].join('\n');
  return parseMonitorsConfig('monitors.yaml', yaml, () => '');
}

test.each<[string, { urls: number; interval?: string; robots?: boolean }[], number]>([
  ['1 URL', [{ urls: 1 }], 1],
  ['600 URLs in 60 sites (660 checks with robots.txt)', Array.from({ length: 60 }, () => ({ urls: 10 })), 2],
  ['5,000 URLs in 500 sites (45 sites of 11 checks per shard)', Array.from({ length: 500 }, () => ({ urls: 10 })), 12],
  [
    '5,000 URLs in 10 sites of 500 (each over the cap alone: never split)',
    Array.from({ length: 10 }, () => ({ urls: 500 })),
    10,
  ],
  ['two intervals never share a shard', [{ urls: 5 }, { urls: 5, interval: '1m' }, { urls: 5 }], 2],
])('%s → %i shards', (_name, sites, count) => {
  const shards = planShards(configOf(sites));
  expect(shards).toHaveLength(count);
  // Every origin in exactly one shard.
  expect(shards.flatMap((s) => s.origins).sort()).toEqual(sites.map((_, i) => `https://site${i}.example`).sort());
});

test('ids carry the interval; config order decides, so a site added at the end moves nobody', () => {
  const before = planShards(configOf([{ urls: 300 }, { urls: 300 }, { urls: 100, interval: '1h' }]));
  expect(before.map((s) => [s.id, s.origins.length, s.checks])).toEqual([
    ['5m-1', 1, 301],
    ['5m-2', 1, 301],
    ['1h-1', 1, 101],
  ]);
  const after = planShards(configOf([{ urls: 300 }, { urls: 300 }, { urls: 100, interval: '1h' }, { urls: 150 }]));
  expect(after.map((s) => [s.id, s.origins])).toEqual([
    ['5m-1', ['https://site0.example', 'https://site3.example']],
    ['5m-2', ['https://site1.example']],
    ['1h-1', ['https://site2.example']],
  ]);
});

test("shardConfig keeps a shard's sites and everything else", () => {
  const config = configOf([{ urls: 300 }, { urls: 300 }]);
  expect(shardConfig(config, '5m-2')!.sites.map((s) => s.origin)).toEqual(['https://site1.example']);
  expect(shardConfig(config, '5m-2')!.alerts).toBe(config.alerts);
  expect(shardConfig(config, '9m-9')).toBeNull();
});
