/**
 * Per-URL rules: the crawl incident and its deindex clock (url-down, url-deindex-risk,
 * url-deindex-critical, url-error-leak), the content incident (url-assertion-failed) and the robots.txt
 * block (url-blocked-by-robots).
 */
import type { SiteConfig } from '../config/types';
import { isCrawlFailing } from '../probe/outcome';
import type { CheckResult } from '../probe/types';
import { clipText } from './bounds';
import { buildEvent, currentTier, emitted, recoveredEvent, reminderDue, type EventSubject } from './build';
import type { CrawlEvent, NextTier } from './event';
import { searchEnginesNow } from './explain';
import { checkFirst } from './hints';
import {
  escalate,
  msBetween,
  observe,
  unobserved,
  type Incident,
  type IncidentRules,
  type Observation,
} from './incident';
import type { Latest, UrlState } from './state';
import { URL_CRAWL_FAMILY, type Tier } from './tiers';

export interface UrlContext {
  site: SiteConfig;
  /** The pass falls inside a maintenance window of the site. */
  inMaintenance: boolean;
  /** The origin's other URLs fail with the same status: a server-wide cause. */
  sameOnEveryUrl: boolean;
  /** Agents that may not crawl this URL under the robots.txt just fetched; null when unknown this pass. */
  disallowedFor: { agent: string; rule: string }[] | null;
}

export const MAINTENANCE_HINT =
  'planned downtime should answer 503 with a Retry-After header (Google, "Pause or disable a website")';

export function streakCap(site: SiteConfig): number {
  return Math.max(site.failureThreshold, site.successThreshold);
}

export function incidentRules(site: SiteConfig, scope: string, clocked = false): IncidentRules {
  return {
    scope,
    intervalMs: site.intervalMs,
    successThreshold: site.successThreshold,
    streakCap: streakCap(site),
    clocked,
  };
}

export function nextLatest(
  previous: Latest | undefined,
  result: Pick<CheckResult, 'outcome' | 'status' | 'checkedAt'>,
  cap: number,
): Latest {
  if (previous && previous.outcome === result.outcome && previous.status === result.status) {
    return previous.streak >= cap ? previous : { ...previous, streak: previous.streak + 1 };
  }
  return { outcome: result.outcome, status: result.status, since: result.checkedAt, streak: 1 };
}

/** The tier after `tier` in the crawl family that has not fired, and how long until it is due. */
function nextCrawlTier(incident: Incident, after: Tier | null, at: string, site: SiteConfig): NextTier | null {
  const start = after === null ? 0 : URL_CRAWL_FAMILY.indexOf(after) + 1;
  const tier = URL_CRAWL_FAMILY.slice(start).find((t) => !incident.fired.includes(t));
  if (!tier) return null;
  const elapsed = msBetween(incident.startedAt, at);
  if (tier === 'url-down')
    return { tier, inMs: Math.max(0, site.failureThreshold - incident.failStreak) * site.intervalMs };
  const afterMs = tier === 'url-deindex-risk' ? site.deindexRiskAfterMs : site.deindexCriticalAfterMs;
  return { tier, inMs: Math.max(0, afterMs - elapsed) };
}

function stepCrawl(previous: Incident | null, result: CheckResult, ctx: UrlContext, subject: EventSubject) {
  const { site } = ctx;
  const failing = isCrawlFailing(result.outcome);
  const { incident: open, closed } = observe(
    previous,
    failing ? 'failing' : 'healthy',
    result.checkedAt,
    incidentRules(site, `crawl ${result.url}`, true),
  );
  const events: CrawlEvent[] = [];
  const recovered = closed && recoveredEvent(closed, subject, searchEnginesNow('recovered'));
  if (recovered) events.push(recovered);
  if (!open || !failing) return { incident: open, events };

  let incident = open;
  const elapsed = msBetween(incident.startedAt, result.checkedAt);
  const maintenance503 = ctx.inMaintenance && result.status === 503;
  const notes: string[] = [];
  if (ctx.inMaintenance && !maintenance503)
    notes.push(`inside a maintenance window, but answering ${result.status ?? result.outcome}: ${MAINTENANCE_HINT}`);
  if (ctx.inMaintenance && maintenance503)
    notes.push('inside a maintenance window: search engines know nothing of it, their clock keeps running');
  const hint = checkFirst(result, ctx.sameOnEveryUrl);
  const { fire, fired } = escalate(incident, [
    { tier: 'url-down', due: incident.failStreak >= site.failureThreshold, suppressed: maintenance503 },
    { tier: 'url-deindex-risk', due: elapsed >= site.deindexRiskAfterMs },
    { tier: 'url-deindex-critical', due: elapsed >= site.deindexCriticalAfterMs },
  ]);
  if (fire) {
    incident = emitted(incident, result.checkedAt, fired);
    events.push(
      buildEvent(fire, incident, subject, {
        searchEngines: searchEnginesNow(fire),
        nextTier: nextCrawlTier(incident, fire, result.checkedAt, site),
        checkFirst: hint,
        notes,
      }),
    );
  }
  if (result.leak.length > 0 && !incident.fired.includes('url-error-leak')) {
    incident = emitted(incident, result.checkedAt, [...incident.fired, 'url-error-leak']);
    events.push(
      buildEvent('url-error-leak', incident, subject, {
        searchEngines: searchEnginesNow('url-error-leak'),
        nextTier: nextCrawlTier(incident, null, result.checkedAt, site),
        checkFirst: 'the error handler: show a plain error page in production and log the details server-side',
        detail: { leak: result.leak },
      }),
    );
  }
  const current = currentTier(incident, URL_CRAWL_FAMILY);
  if (events.length === 0 && current && reminderDue(incident, result.checkedAt, site.remindEveryMs)) {
    incident = emitted(incident, result.checkedAt, incident.fired, true);
    events.push(
      buildEvent(current, incident, subject, {
        searchEngines: searchEnginesNow(current),
        nextTier: nextCrawlTier(incident, current, result.checkedAt, site),
        checkFirst: hint,
        notes,
        reminder: incident.reminders,
      }),
    );
  }
  return { incident, events };
}

function stepContent(previous: Incident | null, result: CheckResult, ctx: UrlContext, subject: EventSubject) {
  const failing = result.outcome !== 'ok' && !isCrawlFailing(result.outcome);
  const observation: Observation = failing ? 'failing' : result.outcome === 'ok' ? 'healthy' : 'neutral';
  const { incident: open, closed } = observe(
    previous,
    observation,
    result.checkedAt,
    incidentRules(ctx.site, `content ${result.url}`),
  );
  const events: CrawlEvent[] = [];
  const recovered = closed && recoveredEvent(closed, subject, 'the URL answers as expected again');
  if (recovered) events.push(recovered);
  if (!open || !failing) return { incident: open, events };
  let incident = open;
  const due = incident.failStreak >= ctx.site.failureThreshold;
  const tier: Tier = 'url-assertion-failed';
  if (due && !incident.fired.includes(tier)) {
    incident = emitted(incident, result.checkedAt, [...incident.fired, tier]);
    const notes = ctx.inMaintenance
      ? [`inside a maintenance window, but answering ${result.status ?? result.outcome}: ${MAINTENANCE_HINT}`]
      : [];
    events.push(
      buildEvent(tier, incident, subject, {
        searchEngines: searchEnginesNow(tier, { outcome: result.outcome }),
        checkFirst: checkFirst(result, false),
        notes,
        detail: { error: clipText(result.error) },
      }),
    );
  } else if (incident.fired.includes(tier) && reminderDue(incident, result.checkedAt, ctx.site.remindEveryMs)) {
    incident = emitted(incident, result.checkedAt, incident.fired, true);
    events.push(
      buildEvent(tier, incident, subject, {
        searchEngines: searchEnginesNow(tier, { outcome: result.outcome }),
        checkFirst: checkFirst(result, false),
        reminder: incident.reminders,
        detail: { error: clipText(result.error) },
      }),
    );
  }
  return { incident, events };
}

function stepRobotsBlock(previous: Incident | null, result: CheckResult, ctx: UrlContext, subject: EventSubject) {
  const blocked = ctx.disallowedFor;
  const observation: Observation = blocked === null ? 'neutral' : blocked.length > 0 ? 'failing' : 'healthy';
  const { incident: open, closed } = observe(
    previous,
    observation,
    result.checkedAt,
    incidentRules(ctx.site, `robots-block ${result.url}`),
  );
  const events: CrawlEvent[] = [];
  const recovered =
    closed && recoveredEvent(closed, subject, 'robots.txt allows this URL again: crawlers can fetch it');
  if (recovered) events.push(recovered);
  let incident = open;
  const tier: Tier = 'url-blocked-by-robots';
  // robots.txt says the same thing on every fetch: no confirmation over passes is needed.
  if (incident && blocked && blocked.length > 0 && !incident.fired.includes(tier)) {
    incident = emitted(incident, result.checkedAt, [...incident.fired, tier]);
    events.push(
      buildEvent(tier, incident, subject, {
        searchEngines: searchEnginesNow(tier),
        checkFirst: 'the robots.txt rule named here: was it meant to match this URL?',
        detail: { disallowedFor: blocked },
      }),
    );
  }
  return { incident, events };
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
  const content = stepContent(previous?.content ?? null, result, ctx, subject);
  const robotsBlock = stepRobotsBlock(previous?.robotsBlock ?? null, result, ctx, subject);
  const latest = nextLatest(previous?.latest, result, streakCap(ctx.site));
  const events = [...crawl.events, ...content.events, ...robotsBlock.events];
  // Unchanged parts keep their identity, so an unchanged URL is the previous object itself (no write).
  const unchanged =
    previous &&
    latest === previous.latest &&
    crawl.incident === previous.crawl &&
    content.incident === previous.content &&
    robotsBlock.incident === previous.robotsBlock;
  return {
    state: unchanged
      ? previous
      : { latest, crawl: crawl.incident, content: content.incident, robotsBlock: robotsBlock.incident },
    events,
  };
}
