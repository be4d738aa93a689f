import type { MonitorsConfig, SiteConfig } from '../config/types';
import type { Target } from './types';

function base(site: SiteConfig) {
  const { origin, timeoutMs, retries, retryBackoffMs, userAgent, allowPrivateNetwork } = site;
  return { origin, timeoutMs, retries, retryBackoffMs, userAgent, allowPrivateNetwork };
}

/** Every request of one pass: each site's robots.txt (when enabled) first, then its URLs, in config order. */
export function targetsOf(config: MonitorsConfig): Target[] {
  return config.sites.flatMap((site) => {
    const common = base(site);
    const robots: Target[] = site.robots
      ? [{ ...common, kind: 'robots', url: `${site.origin}/robots.txt`, expectStatus: null, bodyContains: [], bodyNotContains: [] }]
      : [];
    const pages = site.urls.map((url): Target => ({ ...common, kind: 'page', ...url }));
    return [...robots, ...pages];
  });
}
