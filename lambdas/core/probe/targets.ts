import type { MonitorsConfig, SiteConfig } from '../config/types';
import type { Target } from './types';

function base(site: SiteConfig, privateNetworkOrigins: readonly string[]) {
  const { origin, timeoutMs, retries, retryBackoffMs, userAgent, allowPrivateNetwork } = site;
  return { origin, timeoutMs, retries, retryBackoffMs, userAgent, allowPrivateNetwork, privateNetworkOrigins };
}

/** Every request of one pass: each site's robots.txt (when enabled) first, then its URLs, in config order. */
export function targetsOf(config: MonitorsConfig): Target[] {
  // One array shared by every target: a pass of thousands of targets copies nothing.
  const privateNetworkOrigins = config.privateNetworkOrigins;
  return config.sites.flatMap((site) => {
    const common = base(site, privateNetworkOrigins);
    const robots: Target[] = site.robots
      ? [
          {
            ...common,
            kind: 'robots',
            url: `${site.origin}/robots.txt`,
            expectStatus: null,
            bodyContains: [],
            bodyNotContains: [],
          },
        ]
      : [];
    const pages = site.urls.map((url): Target => ({ ...common, kind: 'page', ...url }));
    return [...robots, ...pages];
  });
}
