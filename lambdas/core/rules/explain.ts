/** One line per tier: what search engines do now (SEO-RULES.md), in the words a site owner needs. */
import type { Outcome } from '../probe/outcome';
import type { Tier } from './tiers';

export interface ExplainContext {
  /** The origin's pages are failing too (robots-cliff reads differently then). */
  siteFailing?: boolean;
  /** The last good robots.txt had rules, so search engines had a copy to fall back to. */
  hasLastGood?: boolean;
  /** robots-missing: the last good copy disallowed something, and that is now lost. */
  lostDisallows?: boolean;
  /** url-assertion-failed: what the URL answered. */
  outcome?: Outcome | null;
}

function contentLine(outcome: Outcome | null | undefined): string {
  switch (outcome) {
    case 'client_error':
      return 'a 4xx tells search engines the page is gone or off-limits: it drops out of the index';
    case 'too_many_redirects':
      return 'crawlers give up on redirect loops and long chains: the URL cannot be indexed';
    case 'unexpected_status':
      return 'the URL answers with a status other than the one expected: search engines index what it serves now';
    case 'blocked':
      return 'crawlguard did not check this URL (its SSRF guard refused the address), so nothing is known of it';
    default:
      return 'the page answers 200 but not with its content: Google reports an error page served with 200 as a soft 404';
  }
}

export function searchEnginesNow(tier: Tier, ctx: ExplainContext = {}): string {
  switch (tier) {
    case 'url-down':
      return 'Google slows its crawling of this host and keeps the URL indexed for now';
    case 'url-deindex-risk':
      return 'Google tolerates errors for "1-2 days"; from here the URL may start dropping out of the index';
    case 'url-deindex-critical':
      return 'after "multiple days" of errors Google drops URLs from its index; this one is at risk now';
    case 'url-assertion-failed':
      return contentLine(ctx.outcome);
    case 'url-blocked-by-robots':
      return 'crawlers that obey robots.txt no longer fetch this URL: it goes stale and may leave the index or show without a snippet';
    case 'url-error-leak':
      return 'not a ranking problem but a security one: anyone, crawlers included, sees these internals';
    case 'origin-crawl-slowdown':
      return 'Google lowers the crawl rate of the whole host in proportion to the failing URLs; it recovers gradually';
    case 'origin-outage':
      return 'the site looks generally unavailable: crawling slows sharply and URLs that stay unreachable leave the index within days';
    case 'robots-unreachable':
      return 'robots.txt cannot be fetched: Google stops crawling the whole site and retries for up to 12 hours';
    case 'robots-cached-copy':
      return ctx.hasLastGood
        ? 'after 12 hours Google crawls again, obeying its last good copy of robots.txt'
        : 'after 12 hours Google crawls again with no restrictions: it never had a good copy';
    case 'robots-cliff-warning':
      return 'in 5 days robots.txt will have been unreachable for 30 days, when Google stops using its cached copy';
    case 'robots-cliff':
      return ctx.siteFailing
        ? '30 days: the site is failing too, so Google stops crawling it (and may remove it from results)'
        : '30 days: Google treats robots.txt as absent, so every disallow rule is lost; Google staff have said a long robots.txt outage can remove a site from results';
    case 'robots-missing':
      return ctx.lostDisallows
        ? 'robots.txt answers 4xx: crawlers apply no restrictions, so the disallow rules of the last good copy no longer protect anything'
        : 'robots.txt answers 4xx: crawlers apply no restrictions, as if there were no robots.txt';
    case 'robots-blocks-site':
      return 'robots.txt disallows / : the whole site is closed to this crawler and its pages fade out of search';
    case 'robots-changed':
      return 'crawlers apply the new rules from their next fetch of robots.txt (Google caches it for up to 24 hours)';
    case 'checks-skipped':
      return "nothing: this is about crawlguard's schedule, not the site; the URLs it could not check are not judged until it checks them";
    case 'robots-truncated':
      return 'Google reads only the first 500 KiB of robots.txt: rules after that point are ignored';
    case 'recovered':
      return 'answering normally again: Google raises the crawl rate back gradually';
  }
}
