/**
 * Sharding for AWS: sites are packed into shards of at most `maxUrlsPerShard` checks, one scheduled
 * Lambda invocation each. The origin is the unit (robots.txt, crawl-rate effects and grouped alerts are
 * per origin), so an origin is never split; shards share one interval, since one schedule drives each.
 */
import type { MonitorsConfig, SiteConfig } from './types';

export interface Shard {
  /** Stable while the config only grows at the end: `5m-1`, `5m-2`, `1h-1`. */
  id: string;
  intervalMs: number;
  origins: string[];
  /** URLs plus robots.txt fetches. */
  checks: number;
}

export const checksOf = (site: SiteConfig) => site.urls.length + (site.robots ? 1 : 0);

function intervalLabel(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

/** First fit in config order, per interval: adding a site at the end never moves the others. */
export function planShards(config: MonitorsConfig): Shard[] {
  const max = config.limits.maxUrlsPerShard;
  const shards: Shard[] = [];
  const intervals = [...new Set(config.sites.map((s) => s.intervalMs))].sort((a, b) => a - b);
  for (const intervalMs of intervals) {
    const open: Shard[] = [];
    for (const site of config.sites.filter((s) => s.intervalMs === intervalMs)) {
      const checks = checksOf(site);
      let shard = open.find((candidate) => candidate.checks + checks <= max);
      if (!shard) {
        shard = { id: `${intervalLabel(intervalMs)}-${open.length + 1}`, intervalMs, origins: [], checks: 0 };
        open.push(shard);
      }
      shard.origins.push(site.origin);
      shard.checks += checks;
    }
    shards.push(...open);
  }
  return shards;
}

/** The config of one shard: its sites only, everything else as it is. Null for an unknown shard id. */
export function shardConfig(config: MonitorsConfig, shardId: string): MonitorsConfig | null {
  const shard = planShards(config).find((s) => s.id === shardId);
  if (!shard) return null;
  const origins = new Set(shard.origins);
  return { ...config, sites: config.sites.filter((site) => origins.has(site.origin)) };
}
