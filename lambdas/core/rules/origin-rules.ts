/**
 * Origin-wide crawl health: Google lowers the crawl rate of the whole hostname in proportion to the URLs
 * failing, and reads a failing home page plus half the site as "general availability problems"
 * (SEO-RULES.md). One incident per origin, tiers origin-crawl-slowdown then origin-outage.
 */
import type { SiteConfig } from '../config/types';
import { isCrawlFailing } from '../probe/outcome';
import type { CheckResult } from '../probe/types';
import { buildEvent, currentTier, emitted, recoveredEvent, reminderDue } from './build';
import type { CrawlEvent } from './event';
import { searchEnginesNow } from './explain';
import { checkFirst } from './hints';
import { escalate, observe, unobserved, type Incident } from './incident';
import { incidentRules } from './url-rules';
import { ORIGIN_FAMILY } from './tiers';

/** Shares of the origin's URLs crawl-failing in one pass (robots.txt is not one of them). */
export const SLOWDOWN_SHARE = 0.25;
export const SLOWDOWN_MIN_URLS = 2;
export const OUTAGE_SHARE = 0.5;
/** How many failing URLs an origin event names; the rest are counted. */
const NAMED_URLS = 5;

export interface OriginHealth {
  failing: CheckResult[];
  total: number;
  slowdown: boolean;
  outage: boolean;
  /** Every failing URL answers the same status: a server-wide cause. */
  sameOnEveryUrl: boolean;
  /**
   * Every URL was checked. A share of failing URLs over a partial pass says nothing of the site (the
   * unchecked ones may be the healthy ones), so an incomplete pass is no observation of the origin.
   */
  complete: boolean;
}

const isRoot = (url: string) => {
  const { pathname, search } = new URL(url);
  return pathname === '/' && search === '';
};

/**
 * Inside a maintenance window, URLs answering 503 do not count: that is how planned downtime should look.
 * Without `/` among the monitored URLs, an outage needs at least two failing URLs besides the 50%.
 */
export function originHealth(all: readonly CheckResult[], inMaintenance: boolean): OriginHealth {
  const pages = all.filter((r) => r.outcome !== 'not_checked');
  const failing = pages.filter((r) => isCrawlFailing(r.outcome) && !(inMaintenance && r.status === 503));
  const total = pages.length;
  const share = total === 0 ? 0 : failing.length / total;
  const root = pages.find((r) => isRoot(r.url));
  const rootFailing = root ? failing.includes(root) : failing.length >= 2;
  const statuses = new Set(failing.map((r) => `${r.outcome}/${r.status}`));
  return {
    failing,
    total,
    slowdown: failing.length >= SLOWDOWN_MIN_URLS && share >= SLOWDOWN_SHARE,
    outage: rootFailing && share >= OUTAGE_SHARE,
    sameOnEveryUrl: failing.length >= 2 && failing.length === total && statuses.size === 1,
    complete: pages.length === all.length,
  };
}

export function stepOrigin(previous: Incident | null, health: OriginHealth, site: SiteConfig, at: string) {
  const subjectFor = (result: CheckResult | null) => ({ origin: site.origin, url: null, at, result });
  if (!health.complete) return { incident: unobserved(previous), events: [] };
  const { incident: open, closed } = observe(
    previous,
    health.slowdown || health.outage ? 'failing' : 'healthy',
    at,
    incidentRules(site, `origin ${site.origin}`, true),
  );
  const events: CrawlEvent[] = [];
  const recovered = closed && recoveredEvent(closed, subjectFor(null), searchEnginesNow('recovered'));
  if (recovered) events.push(recovered);
  if (!open || !(health.slowdown || health.outage)) return { incident: open, events };

  let incident = open;
  const confirmed = incident.failStreak >= site.failureThreshold;
  const { fire, fired } = escalate(incident, [
    { tier: 'origin-crawl-slowdown', due: confirmed && health.slowdown },
    { tier: 'origin-outage', due: confirmed && health.outage },
  ]);
  const lead = health.failing.find((r) => isRoot(r.url)) ?? health.failing[0] ?? null;
  const detail = {
    failingUrls: health.failing.length,
    totalUrls: health.total,
    urls: health.failing
      .slice(0, NAMED_URLS)
      .map((r) => ({ url: r.url, status: r.status, outcome: r.outcome, requestId: r.requestId })),
    moreUrls: Math.max(0, health.failing.length - NAMED_URLS),
  };
  const parts = (tier: (typeof ORIGIN_FAMILY)[number], reminder = 0) => ({
    searchEngines: searchEnginesNow(tier),
    checkFirst:
      health.sameOnEveryUrl && lead
        ? checkFirst(lead, true)
        : 'what the failing URLs share: an upstream, the database, a recent deploy',
    detail,
    reminder,
  });
  if (fire) {
    incident = emitted(incident, at, fired);
    events.push(buildEvent(fire, incident, subjectFor(lead), parts(fire)));
  } else {
    const current = currentTier(incident, ORIGIN_FAMILY);
    if (current && reminderDue(incident, at, site.remindEveryMs)) {
      incident = emitted(incident, at, incident.fired, true);
      events.push(buildEvent(current, incident, subjectFor(lead), parts(current, incident.reminders)));
    }
  }
  return { incident, events };
}
