/**
 * The origin (docs/search-engine-rules.md, "Server errors slow crawling" and "robots.txt errors and
 * caching"): Google lowers the crawl rate of the whole hostname in proportion to the URLs failing, and
 * reads a failing home page plus half the site as "general availability problems". One incident per
 * origin, origin-crawl-slowdown then origin-outage.
 */
import type { SiteSettings } from '../config/types';
import { isCrawlFailing, type Outcome } from '../probe/outcome';
import type { CheckResult } from '../probe/types';
import { buildEvent, currentTier, emitted, recoveredEvent, reminderDue } from '../rules/build';
import type { CrawlEvent } from '../rules/event';
import { checkFirst } from '../rules/hints';
import { escalate, incidentRules, observe, unobserved, type Incident } from '../rules/incident';
import { SOURCES } from './sources';
import { defineTier } from './tier';

export const ORIGIN_CRAWL_SLOWDOWN = defineTier({
  id: 'origin-crawl-slowdown',
  severity: 'warning',
  sources: [SOURCES.httpErrors, SOURCES.crawlRate],
  when: (site) =>
    `at least 25% of the origin's URLs, and at least 2, crawl-failing (for ${site.failureThreshold} passes)`,
  title: () => 'Many URLs failing: crawl slowdown',
  consequence: () => 'Google slows crawling of the site',
  searchEngines: () =>
    'Google lowers the crawl rate of the whole host in proportion to the failing URLs; it recovers gradually',
});

export const ORIGIN_OUTAGE = defineTier({
  id: 'origin-outage',
  severity: 'critical',
  sources: [SOURCES.robotsSpec, SOURCES.networkErrors],
  when: () => '`/` and at least 50% of the URLs crawl-failing (without `/` among the URLs: 50% and at least 2)',
  title: () => 'Site outage',
  consequence: () => 'site down for crawlers',
  searchEngines: () =>
    'the site looks generally unavailable: crawling slows sharply and URLs that stay unreachable leave the index within days',
});

export const ORIGIN_FAMILY = [ORIGIN_CRAWL_SLOWDOWN, ORIGIN_OUTAGE] as const;

export interface OriginDetail {
  failingUrls: number;
  totalUrls: number;
  /** The first five failing URLs; the rest are counted in moreUrls. */
  urls: { url: string; status: number | null; outcome: Outcome; requestId: string | null }[];
  moreUrls: number;
}

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

interface OriginParts {
  health: OriginHealth;
  site: SiteSettings;
}

function originEventParts(
  { health }: OriginParts,
  spec: (typeof ORIGIN_FAMILY)[number],
  site: SiteSettings,
  reminder: number,
) {
  const lead = health.failing.find((r) => isRoot(r.url)) ?? health.failing[0] ?? null;
  const detail: OriginDetail = {
    failingUrls: health.failing.length,
    totalUrls: health.total,
    urls: health.failing
      .slice(0, NAMED_URLS)
      .map((r) => ({ url: r.url, status: r.status, outcome: r.outcome, requestId: r.requestId })),
    moreUrls: Math.max(0, health.failing.length - NAMED_URLS),
  };
  const hint =
    health.sameOnEveryUrl && lead
      ? checkFirst(lead, true)
      : 'what the failing URLs share: an upstream, the database, a recent deploy';
  return { lead, parts: { searchEngines: spec.searchEngines(site), checkFirst: hint, detail, reminder } };
}

export function stepOrigin(
  previous: Incident | null,
  health: OriginHealth,
  site: SiteSettings & { origin: string },
  at: string,
) {
  const subjectFor = (result: CheckResult | null) => ({ origin: site.origin, url: null, at, result });
  if (!health.complete) return { incident: unobserved(previous), events: [] };
  const failing = health.slowdown || health.outage;
  const { incident: open, closed } = observe(
    previous,
    failing ? 'failing' : 'healthy',
    at,
    incidentRules(site, `origin ${site.origin}`, true),
  );
  const events: CrawlEvent[] = [];
  const recovered = closed && recoveredEvent(closed, subjectFor(null), site);
  if (recovered) events.push(recovered);
  if (!open || !failing) return { incident: open, events };

  let incident = open;
  const confirmed = incident.failStreak >= site.failureThreshold;
  const { fire, fired } = escalate(incident, [
    { tier: ORIGIN_CRAWL_SLOWDOWN.id, due: confirmed && health.slowdown },
    { tier: ORIGIN_OUTAGE.id, due: confirmed && health.outage },
  ]);
  const spec = ORIGIN_FAMILY.find((s) => s.id === fire);
  const current = currentTier(incident, ORIGIN_FAMILY);
  if (spec) {
    incident = emitted(incident, at, fired);
    const { lead, parts } = originEventParts({ health, site }, spec, site, 0);
    events.push(buildEvent(spec, incident, subjectFor(lead), parts));
  } else if (current && reminderDue(incident, at, site.remindEveryMs)) {
    incident = emitted(incident, at, incident.fired, true);
    const { lead, parts } = originEventParts({ health, site }, current, site, incident.reminders);
    events.push(buildEvent(current, incident, subjectFor(lead), parts));
  }
  return { incident, events };
}
