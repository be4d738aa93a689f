/** A detail of each tier's own shape, for tests that make events of any tier (the type checks completeness). */
import type { CrawlEvent, CrawlEventOf } from '../../lambdas/core/rules/event';
import type { Tier, TierDetails } from '../../lambdas/core/tiers/registry';

const rules = {
  rulesInForce: { Googlebot: ['Disallow: /private/'] },
  rulesInForceCount: { Googlebot: 1 },
  copyHash: 'c0ffee',
  copyFetchedAt: '2026-12-01T00:00:00.000Z',
  siteFailing: false,
};
const origin = { failingUrls: 2, totalUrls: 4, urls: [], moreUrls: 0 };

export const SAMPLE_DETAILS: TierDetails = {
  'url-down': {},
  'url-deindex-risk': {},
  'url-deindex-critical': {},
  'url-assertion-failed': { error: 'body does not contain "Welcome"' },
  'url-blocked-by-robots': { disallowedFor: [{ agent: 'Googlebot', rule: 'Disallow: /private/ (line 2)' }] },
  'url-error-leak': { leak: ['stack-trace'] },
  'origin-crawl-slowdown': origin,
  'origin-outage': origin,
  'robots-unreachable': rules,
  'robots-cached-copy': rules,
  'robots-cliff-warning': rules,
  'robots-cliff': rules,
  'robots-missing': { lastGoodDisallows: false },
  'robots-blocks-site': { agents: ['Googlebot'] },
  'robots-changed': {
    changes: [{ agent: 'Googlebot', added: ['Disallow: /x'], removed: [], addedCount: 1, removedCount: 0 }],
    copyHash: 'c0ffee',
  },
  'robots-truncated': { bytes: 512_000 },
  'checks-skipped': { notChecked: 1, checks: 5, reasons: ['not checked'] },
  recovered: { durationMs: 3_600_000, duration: '1h', tiersReached: ['url-down'] },
};

/** An event of `tier` with every common field given, and that tier's sample detail. */
export function eventWith<T extends Tier>(tier: T, fields: Omit<CrawlEvent, 'tier' | 'detail'>): CrawlEventOf<T> {
  return { ...fields, tier, detail: SAMPLE_DETAILS[tier] } as CrawlEventOf<T>; // the same relation buildEvent states
}
