/**
 * robots.txt rules (Google, "How Google interprets the robots.txt specification"; RFC 9309):
 * unreachable → crawling stops now, the cached copy after 12 h, the cliff at 30 days; 4xx → no
 * restrictions; a copy that disallows / ; rule changes; the 500 KiB cap.
 */
import type { SiteConfig } from '../config/types';
import type { CheckResult } from '../probe/types';
import type { RobotsFinding } from '../robots/analyse';
import { clipRule, firstRules, MAX_LISTED_RULES } from './bounds';
import { buildEvent, currentTier, emitted, recoveredEvent, reminderDue, type EventSubject } from './build';
import type { CrawlEvent, NextTier } from './event';
import { searchEnginesNow, type ExplainContext } from './explain';
import { checkFirst } from './hints';
import { escalate, incidentId, msBetween, observe, unobserved, type Incident, type Observation } from './incident';
import type { RobotsTrack } from './state';
import { ROBOTS_UNREACHABLE_FAMILY, type Tier } from './tiers';
import { incidentRules, nextLatest, streakCap } from './url-rules';

export interface RobotsContext {
  site: SiteConfig;
  /** The origin's pages are failing too (robots-cliff then means crawling stops, not "no robots.txt"). */
  siteFailing: boolean;
  inMaintenance: boolean;
}

const ROBOTS_503_HINT =
  'do not answer 503 for robots.txt during planned downtime: it blocks all crawling (Google, "Pause or disable a website")';

function thresholdMs(tier: Tier, site: SiteConfig): number {
  if (tier === 'robots-cached-copy') return site.robotsCachedCopyAfterMs;
  if (tier === 'robots-cliff-warning') return site.robotsCliffWarningAfterMs;
  if (tier === 'robots-cliff') return site.robotsCliffAfterMs;
  return 0;
}

function nextUnreachableTier(incident: Incident, at: string, site: SiteConfig): NextTier | null {
  const tier = ROBOTS_UNREACHABLE_FAMILY.find((t) => !incident.fired.includes(t));
  return tier ? { tier, inMs: Math.max(0, thresholdMs(tier, site) - msBetween(incident.startedAt, at)) } : null;
}

/** Observes one robots.txt incident; emits `tier` once when it is failing and `confirmed`. */
function simpleIncident(
  previous: Incident | null,
  observation: Observation,
  scope: string,
  tier: Tier,
  confirmed: (incident: Incident) => boolean,
  subject: EventSubject,
  ctx: RobotsContext,
  parts: {
    explain: ExplainContext;
    checkFirst: string | null;
    detail: Record<string, unknown>;
    severity?: 'warning' | 'critical';
    recovery: string;
  },
) {
  const { incident: open, closed } = observe(
    previous,
    observation,
    subject.at,
    incidentRules(ctx.site, `${scope} ${ctx.site.origin}`),
  );
  const events: CrawlEvent[] = [];
  const recovered = closed && recoveredEvent(closed, subject, parts.recovery);
  if (recovered) events.push(recovered);
  let incident = open;
  if (incident && observation === 'failing') {
    const build = (reminder: number) =>
      buildEvent(tier, incident!, subject, {
        searchEngines: searchEnginesNow(tier, parts.explain),
        checkFirst: parts.checkFirst,
        detail: parts.detail,
        severity: parts.severity,
        reminder,
      });
    if (!incident.fired.includes(tier) && confirmed(incident)) {
      incident = emitted(incident, subject.at, [...incident.fired, tier]);
      events.push(build(0));
    } else if (incident.fired.includes(tier) && reminderDue(incident, subject.at, ctx.site.remindEveryMs)) {
      incident = emitted(incident, subject.at, incident.fired, true);
      events.push(build(incident.reminders));
    }
  }
  return { incident, events };
}

function stepUnreachable(
  previous: Incident | null,
  result: CheckResult,
  finding: RobotsFinding | undefined,
  ctx: RobotsContext,
  subject: EventSubject,
) {
  // Our own SSRF refusal is a configuration problem, not something a crawler would see.
  const unreachable = result.robotsState === 'unreachable' && result.outcome !== 'blocked';
  const { incident: open, closed } = observe(
    previous,
    unreachable ? 'failing' : 'healthy',
    result.checkedAt,
    incidentRules(ctx.site, `robots-unreachable ${ctx.site.origin}`, true),
  );
  const events: CrawlEvent[] = [];
  const recovered =
    closed && recoveredEvent(closed, subject, 'robots.txt answers again: Google resumes crawling with it');
  if (recovered) events.push(recovered);
  if (!open || !unreachable) return { incident: open, events };

  let incident = open;
  const elapsed = msBetween(incident.startedAt, result.checkedAt);
  const explain: ExplainContext = { siteFailing: ctx.siteFailing, hasLastGood: finding?.rulesFrom === 'last-good' };
  const notes = ctx.inMaintenance ? [ROBOTS_503_HINT] : [];
  // The rules in force can fill 500 KiB: the event names the first of each agent's, counts them all, and
  // points at the stored copy (ROBOTS#GOOD, by its hash) for the rest.
  const rules = finding?.rules ? firstRules(finding.rules) : null;
  const detail = {
    rulesInForce: rules?.listed ?? null,
    rulesInForceCount: rules?.counts ?? null,
    copyHash: finding?.copyHash ?? null,
    copyFetchedAt: finding?.copyFetchedAt ?? null,
    siteFailing: ctx.siteFailing,
  };
  const parts = (tier: Tier, reminder = 0) => ({
    searchEngines: searchEnginesNow(tier, explain),
    nextTier: nextUnreachableTier(incident, result.checkedAt, ctx.site),
    checkFirst: checkFirst(result, false),
    notes:
      tier === 'robots-cliff'
        ? [
            ...notes,
            'sources differ on what happens at 30 days: Google documents that robots.txt is then treated as absent (or crawling stops if the site is failing); Gary Illyes (Google) said a long robots.txt outage can remove a site from results',
          ]
        : notes,
    detail,
    reminder,
  });
  const { fire, fired } = escalate(
    incident,
    ROBOTS_UNREACHABLE_FAMILY.map((tier) => ({ tier, due: elapsed >= thresholdMs(tier, ctx.site) })),
  );
  if (fire) {
    incident = emitted(incident, result.checkedAt, fired);
    events.push(buildEvent(fire, incident, subject, parts(fire)));
  } else {
    const current = currentTier(incident, ROBOTS_UNREACHABLE_FAMILY);
    if (current && reminderDue(incident, result.checkedAt, ctx.site.remindEveryMs)) {
      incident = emitted(incident, result.checkedAt, incident.fired, true);
      events.push(buildEvent(current, incident, subject, parts(current, incident.reminders)));
    }
  }
  return { incident, events };
}

function changeEvents(finding: RobotsFinding | undefined, subject: EventSubject): CrawlEvent[] {
  if (!finding?.changes?.length) return [];
  // A change is an event of its own, not an incident: it opens and closes in the same pass.
  const change: Incident = {
    id: incidentId(`robots-changed ${subject.origin}`, subject.at),
    startedAt: subject.at,
    lastCheckedAt: subject.at,
    failStreak: 0,
    okStreak: 0,
    healthySince: null,
    fired: ['robots-changed'],
    gaps: [],
    lastEventAt: subject.at,
    reminders: 0,
  };
  const changes = finding.changes.map((c) => ({
    agent: c.agent,
    added: c.added.slice(0, MAX_LISTED_RULES).map(clipRule),
    removed: c.removed.slice(0, MAX_LISTED_RULES).map(clipRule),
    addedCount: c.added.length,
    removedCount: c.removed.length,
  }));
  return [
    buildEvent('robots-changed', change, subject, {
      searchEngines: searchEnginesNow('robots-changed'),
      detail: { changes, copyHash: finding.copyHash },
    }),
  ];
}

export function stepRobots(
  previous: RobotsTrack | null,
  result: CheckResult,
  ctx: RobotsContext,
): { track: RobotsTrack | null; events: CrawlEvent[] } {
  if (result.outcome === 'not_checked') {
    // No observation: nothing moves; an open unreachable clock notes the gap.
    const unreachable = unobserved(previous?.unreachable ?? null);
    return {
      track: previous && unreachable !== previous.unreachable ? { ...previous, unreachable } : previous,
      events: [],
    };
  }
  const finding = result.robots;
  const subject: EventSubject = { origin: ctx.site.origin, url: null, at: result.checkedAt, result };
  const fetched = finding?.rulesFrom === 'fetched';
  const unreachable = stepUnreachable(previous?.unreachable ?? null, result, finding, ctx, subject);
  const state = result.robotsState;
  const missing = simpleIncident(
    previous?.missing ?? null,
    state === 'unavailable' ? 'failing' : state === 'available' ? 'healthy' : 'neutral',
    'robots-missing',
    'robots-missing',
    (incident) => incident.failStreak >= ctx.site.failureThreshold,
    subject,
    ctx,
    {
      explain: { lostDisallows: finding?.lastGoodDisallows },
      checkFirst:
        'whether robots.txt was deleted, moved behind a redirect chain, or shut behind authentication (401/403)',
      detail: { lastGoodDisallows: finding?.lastGoodDisallows ?? false },
      severity: finding?.lastGoodDisallows ? 'critical' : 'warning',
      recovery: 'robots.txt is back: crawlers apply its rules again',
    },
  );
  const blocksSite = simpleIncident(
    previous?.blocksSite ?? null,
    !fetched ? 'neutral' : finding.blocksSite.length > 0 ? 'failing' : 'healthy',
    'robots-blocks-site',
    'robots-blocks-site',
    () => true,
    subject,
    ctx,
    {
      explain: {},
      checkFirst: 'a staging robots.txt deployed to production, or a "Disallow: /" meant for another agent',
      detail: { agents: finding?.blocksSite ?? [] },
      recovery: 'robots.txt no longer disallows the whole site',
    },
  );
  const truncated = simpleIncident(
    previous?.truncated ?? null,
    !fetched ? 'neutral' : finding.truncated ? 'failing' : 'healthy',
    'robots-truncated',
    'robots-truncated',
    () => true,
    subject,
    ctx,
    {
      explain: {},
      checkFirst: 'generated rules (one line per URL) that should be patterns; keep robots.txt well under 500 KiB',
      detail: { bytes: result.bytes },
      recovery: 'robots.txt is under 500 KiB again',
    },
  );
  // The robots state follows from the outcome, so an unchanged outcome keeps the previous object (no write).
  const stepped = nextLatest(previous?.latest, result, streakCap(ctx.site));
  const latest =
    stepped === previous?.latest ? previous.latest : { ...stepped, state: result.robotsState ?? 'unreachable' };
  const events = [
    ...unreachable.events,
    ...missing.events,
    ...blocksSite.events,
    ...truncated.events,
    ...changeEvents(finding, subject),
  ];
  const unchanged =
    previous &&
    latest === previous.latest &&
    unreachable.incident === previous.unreachable &&
    missing.incident === previous.missing &&
    blocksSite.incident === previous.blocksSite &&
    truncated.incident === previous.truncated;
  return {
    track: unchanged
      ? previous
      : {
          latest,
          unreachable: unreachable.incident,
          missing: missing.incident,
          blocksSite: blocksSite.incident,
          truncated: truncated.incident,
        },
    events,
  };
}
