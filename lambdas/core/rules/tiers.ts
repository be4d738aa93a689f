/**
 * The tiers: ids (a contract: they appear in JSON output and alerts), severities, and what search
 * engines do at each one, with the source in SEO-RULES.md (copied here so a clone needs nothing else).
 */
export const TIERS = [
  'url-down',
  'url-deindex-risk',
  'url-deindex-critical',
  'url-assertion-failed',
  'url-blocked-by-robots',
  'url-error-leak',
  'origin-crawl-slowdown',
  'origin-outage',
  'robots-unreachable',
  'robots-cached-copy',
  'robots-cliff-warning',
  'robots-cliff',
  'robots-missing',
  'robots-blocks-site',
  'robots-changed',
  'robots-truncated',
  'checks-skipped',
  'recovered',
] as const;

export type Tier = (typeof TIERS)[number];
/** Most severe first. */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY: Record<Tier, Severity> = {
  'url-down': 'warning',
  'url-deindex-risk': 'critical',
  'url-deindex-critical': 'critical',
  'url-assertion-failed': 'warning',
  'url-blocked-by-robots': 'critical',
  'url-error-leak': 'warning',
  'origin-crawl-slowdown': 'warning',
  'origin-outage': 'critical',
  'robots-unreachable': 'critical',
  'robots-cached-copy': 'critical',
  'robots-cliff-warning': 'critical',
  'robots-cliff': 'critical',
  'robots-missing': 'warning', // critical when the last good copy had disallow rules (robots-rules.ts)
  'robots-blocks-site': 'critical',
  'robots-changed': 'info',
  'robots-truncated': 'warning',
  'checks-skipped': 'warning',
  recovered: 'info',
};

/** Where each tier's rule comes from (SEO-RULES.md), cited in messages and tests. */
export const SOURCE: Record<Tier, string> = {
  'url-down': 'Google Search Central, "HTTP status codes, network and DNS errors"',
  'url-deindex-risk':
    'Google, "Reduce the Googlebot crawl rate": errors "for a couple of hours, or 1-2 days" are acceptable',
  'url-deindex-critical': 'Google, "Reduce the Googlebot crawl rate": "multiple days" and the URL may be dropped',
  'url-assertion-failed': 'Google, "HTTP status codes": a 200 with an error or empty body is a soft 404',
  'url-blocked-by-robots': 'Google, "How Google interprets the robots.txt specification"',
  'url-error-leak': 'crawlguard: a production 5xx must not expose internals',
  'origin-crawl-slowdown':
    'Google, "HTTP status codes" and "Reduce the Googlebot crawl rate": the drop applies to the whole hostname',
  'origin-outage':
    'Google, "How Google interprets the robots.txt specification" ("general availability problems") and "DNS and network errors"',
  'robots-unreachable': 'Google, "How Google interprets the robots.txt specification"; RFC 9309 section 2.3.1.4',
  'robots-cached-copy':
    'Google, "How Google interprets the robots.txt specification": 12 hours, then the last good copy',
  'robots-cliff-warning': 'Google, "How Google interprets the robots.txt specification": the 30-day mark',
  'robots-cliff': 'Google, "How Google interprets the robots.txt specification"; Gary Illyes, Dec 2022 and Oct 2024',
  'robots-missing':
    'Google, "How Google interprets the robots.txt specification": 4xx means no restrictions; RFC 9309 2.3.1.2',
  'robots-blocks-site': 'Google, "How Google interprets the robots.txt specification"',
  'robots-changed': 'Google, "How Google interprets the robots.txt specification": cached up to 24 hours',
  'robots-truncated': 'Google, "How Google interprets the robots.txt specification": 500 KiB; RFC 9309 section 2.5',
  'checks-skipped': 'crawlguard: a check that was not made is no observation of the site (README, "Checks not made")',
  recovered: 'Google, "Reduce the Googlebot crawl rate": the crawl rate recovers gradually',
};

/** Escalation families: a later tier implies the earlier ones. */
export const URL_CRAWL_FAMILY: Tier[] = ['url-down', 'url-deindex-risk', 'url-deindex-critical'];
export const ORIGIN_FAMILY: Tier[] = ['origin-crawl-slowdown', 'origin-outage'];
export const ROBOTS_UNREACHABLE_FAMILY: Tier[] = [
  'robots-unreachable',
  'robots-cached-copy',
  'robots-cliff-warning',
  'robots-cliff',
];
