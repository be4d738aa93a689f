/**
 * One URL's pass: its three incidents (crawl failures, content, robots.txt blocking; lambdas/core/tiers)
 * and its latest outcome. Unchanged parts keep their identity, so an unchanged URL is the previous
 * object itself and costs no write.
 */
import type { SiteSettings } from '../config/types';
import type { CheckResult } from '../probe/types';
import { stepContent } from '../tiers/content';
import { stepCrawl } from '../tiers/crawl';
import { stepRobotsBlock } from '../tiers/robots-block';
import type { EventSubject } from './build';
import type { CrawlEvent } from './event';
import { nextLatest, streakCap, unobserved } from './incident';
import type { UrlState } from './state';

export interface UrlContext {
  site: SiteSettings;
  /** The pass falls inside a maintenance window of the site. */
  inMaintenance: boolean;
  /** The origin's other URLs fail with the same status: a server-wide cause. */
  sameOnEveryUrl: boolean;
  /** Agents that may not crawl this URL under the robots.txt just fetched; null when unknown this pass. */
  disallowedFor: { agent: string; rule: string }[] | null;
}

/** A URL the pass did not check: nothing is known of it now, so nothing changes but the note of a gap. */
function unchecked(previous: UrlState | undefined): UrlState | null {
  if (!previous) return null;
  const crawl = unobserved(previous.crawl);
  return crawl === previous.crawl ? previous : { ...previous, crawl };
}

export function stepUrl(
  previous: UrlState | undefined,
  result: CheckResult,
  ctx: UrlContext,
): { state: UrlState | null; events: CrawlEvent[] } {
  if (result.outcome === 'not_checked') return { state: unchecked(previous), events: [] };
  const subject: EventSubject = { origin: result.origin, url: result.url, at: result.checkedAt, result };
  const crawl = stepCrawl(previous?.crawl ?? null, result, ctx, subject);
  const content = stepContent(previous?.content ?? null, result, ctx.site, ctx.inMaintenance, subject);
  const robotsBlock = stepRobotsBlock(previous?.robotsBlock ?? null, result, ctx.site, ctx.disallowedFor, subject);
  const latest = nextLatest(previous?.latest, result, streakCap(ctx.site));
  const events = [...crawl.events, ...content.events, ...robotsBlock.events];
  const unchanged =
    previous &&
    latest === previous.latest &&
    crawl.incident === previous.crawl &&
    content.incident === previous.content &&
    robotsBlock.incident === previous.robotsBlock;
  const state = unchanged
    ? previous
    : { latest, crawl: crawl.incident, content: content.incident, robotsBlock: robotsBlock.incident };
  return { state, events };
}
