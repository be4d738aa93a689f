/** The resolved configuration every layer works with: plain data, JSON-serialisable, times in ms. */

export interface SiteSettings {
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  retryBackoffMs: number;
  failureThreshold: number;
  successThreshold: number;
  userAgent: string;
  deindexRiskAfterMs: number;
  deindexCriticalAfterMs: number;
  /** null: each tier is sent once. */
  remindEveryMs: number | null;
  robotsCachedCopyAfterMs: number;
  robotsCliffWarningAfterMs: number;
  robotsCliffAfterMs: number;
}

export interface UrlTarget {
  /** Absolute URL, normalised by the WHATWG URL parser, without fragment. */
  url: string;
  /** Healthy statuses; null means any 2xx after redirects. */
  expectStatus: number[] | null;
  bodyContains: string[];
  bodyNotContains: string[];
}

export interface MaintenanceWindow {
  /** ISO-8601 UTC. */
  start: string;
  end: string;
  reason: string | null;
}

export type Channel = 'sms' | 'email';
export type Routing = Record<'critical' | 'warning' | 'info', Channel[]>;

export interface SiteConfig extends SiteSettings {
  /** scheme://host[:port], as URL.origin prints it. */
  origin: string;
  robots: boolean;
  agents: string[];
  allowPrivateNetwork: boolean;
  urls: UrlTarget[];
  maintenance: MaintenanceWindow[];
  /** Severity → channels for this site's alerts (the top-level routing with the site's overrides). */
  routing: Routing;
}

export interface MonitorsConfig {
  alerts: { email: string[]; sms: string[]; smsPerDay: number; routing: Routing };
  limits: { concurrency: number; perOriginConcurrency: number; maxUrlsPerShard: number };
  history: { retentionMs: number };
  /** In AWS: republish the status page at most this often; null: never. */
  report: { everyMs: number | null };
  sites: SiteConfig[];
  /**
   * Every configured origin with allowPrivateNetwork, across all sites: the only origins a redirect may
   * take a check to at a private address (README, "SSRF guard"). Kept whole when the sites are split
   * into shards or passes, so a redirect is decided the same way whichever pass makes it.
   */
  privateNetworkOrigins: string[];
}
