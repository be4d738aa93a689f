/**
 * Per-URL crawl failures (docs/search-engine-rules.md, "Server errors slow crawling" and "How long errors
 * are tolerated"): a URL answering 5xx, 429 or not at all is confirmed down after failureThreshold passes,
 * then its deindex clock passes the deindex-risk and deindex-critical marks; an error page that shows
 * internals is a leak. One incident per URL holds the clock.
 */
import type { SiteSettings } from '../config/types';
import type { LeakKind } from '../probe/leak';
import { isCrawlFailing } from '../probe/outcome';
import type { CheckResult } from '../probe/types';
import { buildEvent, currentTier, emitted, recoveredEvent, reminderDue, type EventSubject } from '../rules/build';
import type { CrawlEvent, NextTier } from '../rules/event';
import { checkFirst, MAINTENANCE_HINT } from '../rules/hints';
import { escalate, incidentRules, msBetween, observe, type Incident } from '../rules/incident';
import { SOURCES } from './sources';
import { defineTier, defineTimedTier, markName, spoken } from './tier';

export const URL_DOWN = defineTier({
  id: 'url-down',
  severity: 'warning',
  sources: [SOURCES.httpErrors, SOURCES.networkErrors],
  when: (site) => `crawl-failing for ${site.failureThreshold} passes in a row (failureThreshold)`,
  title: () => 'URL down',
  consequence: () => 'Google slows crawling',
  searchEngines: () => 'Google slows its crawling of this host and keeps the URL indexed for now',
  mark: () => 'confirmation (url-down)',
});

const DAY_MS = 86_400_000;

export const URL_DEINDEX_RISK = defineTimedTier({
  id: 'url-deindex-risk',
  severity: 'critical',
  sources: [SOURCES.crawlRate],
  when: (site) => `the incident has lasted ${spoken(site.deindexRiskAfterMs)} (deindexRiskAfter)`,
  thresholdMs: (site) => site.deindexRiskAfterMs,
  title: (site) => `URL failing for ${spoken(site.deindexRiskAfterMs)}: deindex risk`,
  // Google gives "1-2 days": from a day on the risk is real; a shorter configured mark says when it comes.
  consequence: (site) =>
    site.deindexRiskAfterMs >= DAY_MS ? "URL may start dropping from Google's index" : 'deindex risk from 1-2 days',
  searchEngines: (site) =>
    `failing for ${spoken(site.deindexRiskAfterMs)}: Google tolerates errors for "a couple of hours, or 1-2 days"; past that the URL may start dropping out of its index`,
  mark: (site) => `the ${markName(site.deindexRiskAfterMs)} deindex-risk mark`,
});

export const URL_DEINDEX_CRITICAL = defineTimedTier({
  id: 'url-deindex-critical',
  severity: 'critical',
  sources: [SOURCES.crawlRate],
  when: (site) => `the incident has lasted ${spoken(site.deindexCriticalAfterMs)} (deindexCriticalAfter)`,
  thresholdMs: (site) => site.deindexCriticalAfterMs,
  title: (site) => `URL failing for ${spoken(site.deindexCriticalAfterMs)}: deindex critical`,
  consequence: () => 'URL at risk of removal from the index',
  searchEngines: (site) =>
    `failing for ${spoken(site.deindexCriticalAfterMs)}: Google drops URLs whose errors last "multiple days" from its index; this one is at risk now`,
  mark: (site) => `the ${markName(site.deindexCriticalAfterMs)} deindex-critical mark`,
});

export const URL_ERROR_LEAK = defineTier({
  id: 'url-error-leak',
  severity: 'warning',
  sources: [SOURCES.crawlguard],
  when: () => 'a 5xx body shows a stack trace, a server path, SQL or a version banner',
  title: () => 'Error page leaks internals',
  consequence: () => 'the error page leaks internals',
  searchEngines: () => 'not a ranking problem but a security one: anyone, crawlers included, sees these internals',
});

/** What the crawl tiers' events carry (url-down and the deindex marks: nothing beyond the common fields). */
export interface LeakDetail {
  leak: LeakKind[];
}

/** The escalation: a later tier implies the earlier ones. */
export const URL_CRAWL_FAMILY = [URL_DOWN, URL_DEINDEX_RISK, URL_DEINDEX_CRITICAL] as const;
export const CRAWL_TIERS = [...URL_CRAWL_FAMILY, URL_ERROR_LEAK] as const;
type CrawlTier = (typeof URL_CRAWL_FAMILY)[number];

export interface CrawlContext {
  site: SiteSettings;
  inMaintenance: boolean;
  /** The origin's other URLs fail with the same status: a server-wide cause. */
  sameOnEveryUrl: boolean;
}

/** The tier after `after` in the family that has not fired, and how long until it is due. */
function nextCrawlTier(incident: Incident, after: CrawlTier | null, at: string, site: SiteSettings): NextTier | null {
  const start = after === null ? 0 : URL_CRAWL_FAMILY.indexOf(after) + 1;
  const next = URL_CRAWL_FAMILY.slice(start).find((spec) => !incident.fired.includes(spec.id));
  if (!next) return null;
  // url-down is a count of passes, estimated from the interval; the others are time marks.
  if (!next.thresholdMs) {
    return { tier: next.id, inMs: Math.max(0, site.failureThreshold - incident.failStreak) * site.intervalMs };
  }
  return { tier: next.id, inMs: Math.max(0, next.thresholdMs(site) - msBetween(incident.startedAt, at)) };
}

function maintenanceNotes(result: CheckResult, inMaintenance: boolean): string[] {
  if (!inMaintenance) return [];
  if (result.status === 503)
    return ['inside a maintenance window: search engines know nothing of it, their clock keeps running'];
  return [`inside a maintenance window, but answering ${result.status ?? result.outcome}: ${MAINTENANCE_HINT}`];
}

/** The highest tier of the family now due, if it has not fired yet (a 503 in a maintenance window confirms nothing). */
function escalation(incident: Incident, result: CheckResult, ctx: CrawlContext) {
  const elapsed = msBetween(incident.startedAt, result.checkedAt);
  const maintenance503 = ctx.inMaintenance && result.status === 503;
  const due = (spec: CrawlTier) =>
    spec.thresholdMs ? elapsed >= spec.thresholdMs(ctx.site) : incident.failStreak >= ctx.site.failureThreshold;
  const { fire, fired } = escalate(
    incident,
    URL_CRAWL_FAMILY.map((spec) => ({
      tier: spec.id,
      due: due(spec),
      suppressed: spec === URL_DOWN && maintenance503,
    })),
  );
  return { fire: URL_CRAWL_FAMILY.find((spec) => spec.id === fire) ?? null, fired };
}

function crawlEvent(
  spec: CrawlTier,
  incident: Incident,
  subject: EventSubject,
  result: CheckResult,
  ctx: CrawlContext,
  reminder = 0,
) {
  return buildEvent(spec, incident, subject, {
    searchEngines: spec.searchEngines(ctx.site),
    nextTier: nextCrawlTier(incident, spec, result.checkedAt, ctx.site),
    checkFirst: checkFirst(result, ctx.sameOnEveryUrl),
    notes: maintenanceNotes(result, ctx.inMaintenance),
    detail: {},
    reminder,
  });
}

function leakEvent(incident: Incident, subject: EventSubject, result: CheckResult, site: SiteSettings) {
  return buildEvent(URL_ERROR_LEAK, incident, subject, {
    searchEngines: URL_ERROR_LEAK.searchEngines(site),
    nextTier: nextCrawlTier(incident, null, result.checkedAt, site),
    checkFirst: 'the error handler: show a plain error page in production and log the details server-side',
    detail: { leak: result.leak },
  });
}

/** One URL's crawl incident after this check, and the events it raises. */
export function stepCrawl(previous: Incident | null, result: CheckResult, ctx: CrawlContext, subject: EventSubject) {
  const failing = isCrawlFailing(result.outcome);
  const rules = incidentRules(ctx.site, `crawl ${result.url}`, true);
  const { incident: open, closed } = observe(previous, failing ? 'failing' : 'healthy', result.checkedAt, rules);
  const events: CrawlEvent[] = [];
  const recovered = closed && recoveredEvent(closed, subject, ctx.site);
  if (recovered) events.push(recovered);
  if (!open || !failing) return { incident: open, events };

  let incident = open;
  const { fire, fired } = escalation(incident, result, ctx);
  if (fire) {
    incident = emitted(incident, result.checkedAt, fired);
    events.push(crawlEvent(fire, incident, subject, result, ctx));
  }
  if (result.leak.length > 0 && !incident.fired.includes(URL_ERROR_LEAK.id)) {
    incident = emitted(incident, result.checkedAt, [...incident.fired, URL_ERROR_LEAK.id]);
    events.push(leakEvent(incident, subject, result, ctx.site));
  }
  const current = currentTier(incident, URL_CRAWL_FAMILY);
  if (events.length === 0 && current && reminderDue(incident, result.checkedAt, ctx.site.remindEveryMs)) {
    incident = emitted(incident, result.checkedAt, incident.fired, true);
    events.push(crawlEvent(current, incident, subject, result, ctx, incident.reminders));
  }
  return { incident, events };
}
