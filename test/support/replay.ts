/**
 * A replayed outage in a data directory: two loopback sites checked hourly for three days through the
 * real pass (a 502 on /checkout for 10 h, robots.txt down for 10 h then changed, /checkout failing again
 * at the end). What the report tests look at.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { behave, startSite } from '../../demo/site';
import { loadMonitorsConfig } from '../../lambdas/adapters/config-file';
import { LOCAL_SHARD, openLocalRuntime } from '../../lambdas/handlers/cli/local-runtime';
import { runPass } from '../../lambdas/handlers/pass';

export const REPLAY_START = Date.parse('2026-12-01T00:00:00Z');
export const REPLAY_NOW = '2026-12-04T01:30:00Z';
const HOUR = 3_600_000;

export async function replayOutage(
  dir: string,
): Promise<{ config: string; dataDir: string; shop: string; blog: string }> {
  const shop = await startSite({
    '/': behave.ok(),
    '/pricing': behave.ok(),
    '/checkout': behave.ok(),
    '/robots.txt': behave.text('User-agent: *\nDisallow: /admin/\n'),
  });
  const blog = await startSite({ '/': behave.ok(), '/post': behave.ok(), '/robots.txt': behave.status(404) });
  const config = join(dir, 'monitors.yaml');
  const dataDir = join(dir, 'data');
  writeFileSync(
    config,
    `version: 1\ndefaults: { interval: 1h, timeout: 2s, retries: 0 }\nsites:\n  - origin: ${shop.origin}\n    allowPrivateNetwork: true\n    urls: [/, /pricing, /checkout]\n  - origin: ${blog.origin}\n    allowPrivateNetwork: true\n    urls: [/, /post]\n`,
  );
  const parsed = loadMonitorsConfig(config);
  const runtime = await openLocalRuntime(parsed, dataDir);
  try {
    for (let h = 0; h <= 73; h += 1) {
      if (h === 20) shop.route('/checkout', behave.status(502));
      if (h === 30) shop.route('/checkout', behave.ok());
      if (h === 50) shop.route('/robots.txt', behave.status(503));
      if (h === 60) shop.route('/robots.txt', behave.text('User-agent: *\nDisallow: /admin/\nDisallow: /pricing\n'));
      if (h === 72) shop.route('/checkout', behave.status(500));
      await runPass(runtime.deps, parsed, { shardId: LOCAL_SHARD, nowMs: REPLAY_START + h * HOUR });
    }
  } finally {
    await runtime.close();
    await Promise.all([shop.close(), blog.close()]);
  }
  return { config, dataDir, shop: shop.origin, blog: blog.origin };
}
