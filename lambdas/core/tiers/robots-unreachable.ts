/**
 * robots.txt unreachable (docs/search-engine-rules.md, "robots.txt errors and caching"): while robots.txt
 * cannot be fetched, Google crawls nothing for 12 hours, then crawls with its last good copy, and after
 * 30 days either treats robots.txt as absent or stops crawling a site that is failing too. crawlguard's
 * marks (robotsCachedCopyAfter, robotsCliffWarningAfter, robotsCliffAfter) are configurable; Google's are
 * not, and every sentence below says which is which.
 */
import type { SiteSettings } from '../config/types';
import type { CheckResult } from '../probe/types';
import type { RobotsFinding } from '../robots/finding';
import { firstRules } from '../rules/bounds';
import { buildEvent, currentTier, emitted, recoveredEvent, reminderDue, type EventSubject } from '../rules/build';
import type { CrawlEvent, NextTier } from '../rules/event';
import { checkFirst } from '../rules/hints';
import { escalate, incidentRules, msBetween, observe, type Incident } from '../rules/incident';
import { SOURCES } from './sources';
import { defineTimedTier, markName, spoken, type WordingContext } from './tier';

/** Google's own marks: no crawling for the first 12 hours, the cached copy until 30 days (robots.txt specification). */
export const GOOGLE_NO_CRAWL_MS = 12 * 3_600_000;
export const GOOGLE_CACHED_COPY_MS = 30 * 86_400_000;

const fallback = (ctx?: WordingContext) =>
  ctx?.hasLastGood ? 'its last good copy of robots.txt' : 'no restrictions: it never had a good copy';

export const ROBOTS_UNREACHABLE = defineTimedTier({
  id: 'robots-unreachable',
  severity: 'critical',
  sources: [SOURCES.robotsSpec, SOURCES.rfc9309],
  when: () => 'robots.txt crawl-failing, at once (the in-pass retries confirm it)',
  thresholdMs: () => 0,
  mark: () => 'robots.txt unreachable',
  title: () => 'robots.txt unreachable: crawling stopped',
  consequence: () => 'Google stopped crawling the site',
  searchEngines: () =>
    'robots.txt cannot be fetched: Google stops crawling the whole site and retries for up to 12 hours',
});

export const ROBOTS_CACHED_COPY = defineTimedTier({
  id: 'robots-cached-copy',
  severity: 'critical',
  sources: [SOURCES.robotsSpec],
  when: (site) => `${spoken(site.robotsCachedCopyAfterMs)} (robotsCachedCopyAfter)`,
  thresholdMs: (site) => site.robotsCachedCopyAfterMs,
  title: (site) =>
    `robots.txt down ${spoken(site.robotsCachedCopyAfterMs)}: ${site.robotsCachedCopyAfterMs >= GOOGLE_NO_CRAWL_MS ? 'cached copy in use' : 'still no crawling'}`,
  consequence: (site) =>
    site.robotsCachedCopyAfterMs >= GOOGLE_NO_CRAWL_MS
      ? 'Google now crawls with its cached copy'
      : 'Google crawls again at 12 hours',
  searchEngines: (site, ctx) => {
    const t = site.robotsCachedCopyAfterMs;
    if (t >= GOOGLE_NO_CRAWL_MS)
      return `unreachable for ${spoken(t)}: Google crawls again (from 12 hours on), with ${fallback(ctx)}`;
    return `unreachable for ${spoken(t)}: Google still crawls nothing; at 12 hours (in ${spoken(GOOGLE_NO_CRAWL_MS - t)}) it crawls again, with ${fallback(ctx)}`;
  },
  mark: (site) => `the ${markName(site.robotsCachedCopyAfterMs)} cached-copy fallback`,
});

export const ROBOTS_CLIFF_WARNING = defineTimedTier({
  id: 'robots-cliff-warning',
  severity: 'critical',
  sources: [SOURCES.robotsSpec],
  when: (site) => `${spoken(site.robotsCliffWarningAfterMs)} (robotsCliffWarningAfter)`,
  thresholdMs: (site) => site.robotsCliffWarningAfterMs,
  title: (site) =>
    `robots.txt down ${spoken(site.robotsCliffWarningAfterMs)}: ${spoken(site.robotsCliffAfterMs - site.robotsCliffWarningAfterMs)} to the cliff`,
  consequence: (site) =>
    `${spoken(site.robotsCliffAfterMs - site.robotsCliffWarningAfterMs)} to the ${markName(site.robotsCliffAfterMs)} robots.txt cliff`,
  searchEngines: (site) =>
    `unreachable for ${spoken(site.robotsCliffWarningAfterMs)}: ${spoken(site.robotsCliffAfterMs - site.robotsCliffWarningAfterMs)} to crawlguard's ${markName(site.robotsCliffAfterMs)} cliff; Google stops using its cached copy after 30 days`,
  mark: (site) => `the ${markName(site.robotsCliffWarningAfterMs)} cliff warning`,
});

function cliffWords(siteFailing: boolean | undefined): string {
  return siteFailing
    ? 'the site is failing too, so Google stops crawling it (and may remove it from results)'
    : 'Google treats robots.txt as absent, so every disallow rule is lost; Google staff have said a long robots.txt outage can remove a site from results';
}

export const ROBOTS_CLIFF = defineTimedTier({
  id: 'robots-cliff',
  severity: 'critical',
  sources: [SOURCES.robotsSpec, SOURCES.rfc9309, SOURCES.illyes2022, SOURCES.illyes2024],
  when: (site) => `${spoken(site.robotsCliffAfterMs)} (robotsCliffAfter)`,
  thresholdMs: (site) => site.robotsCliffAfterMs,
  title: (site) => `robots.txt down ${spoken(site.robotsCliffAfterMs)}: the cliff`,
  consequence: (site) => `${markName(site.robotsCliffAfterMs)} cliff: rules lost or crawling stops`,
  searchEngines: (site, ctx) => {
    const c = site.robotsCliffAfterMs;
    if (c >= GOOGLE_CACHED_COPY_MS) return `unreachable for ${spoken(c)}: ${cliffWords(ctx?.siteFailing)}`;
    return `unreachable for ${spoken(c)}: at 30 days (in ${spoken(GOOGLE_CACHED_COPY_MS - c)}) ${cliffWords(ctx?.siteFailing)}`;
  },
  mark: (site) => `the ${markName(site.robotsCliffAfterMs)} cliff`,
});

export const ROBOTS_UNREACHABLE_FAMILY = [
  ROBOTS_UNREACHABLE,
  ROBOTS_CACHED_COPY,
  ROBOTS_CLIFF_WARNING,
  ROBOTS_CLIFF,
] as const;
type UnreachableTier = (typeof ROBOTS_UNREACHABLE_FAMILY)[number];

/** What Google does at `elapsedMs` of an outage, by Google's own marks (status lines). */
export function robotsPhase(elapsedMs: number): string {
  if (elapsedMs < GOOGLE_NO_CRAWL_MS) return 'Google has stopped crawling the site';
  if (elapsedMs < GOOGLE_CACHED_COPY_MS) return 'search engines use the cached copy';
  return "past Google's 30-day cliff: robots.txt counts as absent, or crawling stops if the site fails too";
}

const ROBOTS_503_HINT =
  'do not answer 503 for robots.txt during planned downtime: it blocks all crawling (Google, "Pause or disable a website")';
const CLIFF_NOTE =
  'sources differ on what happens at 30 days: Google documents that robots.txt is then treated as absent (or crawling stops if the site is failing); Gary Illyes (Google) said a long robots.txt outage can remove a site from results';

export interface RobotsContext {
  site: SiteSettings & { origin: string };
  /** The origin's pages are failing too (robots-cliff then means crawling stops, not "no robots.txt"). */
  siteFailing: boolean;
  inMaintenance: boolean;
}

function nextUnreachableTier(incident: Incident, at: string, site: SiteSettings): NextTier | null {
  const next = ROBOTS_UNREACHABLE_FAMILY.find((spec) => !incident.fired.includes(spec.id));
  return next ? { tier: next.id, inMs: Math.max(0, next.thresholdMs(site) - msBetween(incident.startedAt, at)) } : null;
}

export interface UnreachableDetail {
  /** Per agent, the first rules of the copy search engines fall back to; null without one. */
  rulesInForce: Record<string, string[]> | null;
  rulesInForceCount: Record<string, number> | null;
  /** The stored copy they come from (ROBOTS#GOOD, by its hash). */
  copyHash: string | null;
  copyFetchedAt: string | null;
  siteFailing: boolean;
}

/** What an unreachable event carries: the first rules in force, their count, and the stored copy they come from. */
function detailOf(finding: RobotsFinding | undefined, siteFailing: boolean): UnreachableDetail {
  const rules = finding?.rules ? firstRules(finding.rules) : null;
  return {
    rulesInForce: rules?.listed ?? null,
    rulesInForceCount: rules?.counts ?? null,
    copyHash: finding?.copyHash ?? null,
    copyFetchedAt: finding?.copyFetchedAt ?? null,
    siteFailing,
  };
}

function unreachableEvent(
  spec: UnreachableTier,
  incident: Incident,
  subject: EventSubject,
  result: CheckResult,
  finding: RobotsFinding | undefined,
  ctx: RobotsContext,
  reminder = 0,
) {
  const notes = ctx.inMaintenance ? [ROBOTS_503_HINT] : [];
  return buildEvent(spec, incident, subject, {
    searchEngines: spec.searchEngines(ctx.site, {
      siteFailing: ctx.siteFailing,
      hasLastGood: finding?.rulesFrom === 'last-good',
    }),
    nextTier: nextUnreachableTier(incident, result.checkedAt, ctx.site),
    checkFirst: checkFirst(result, false),
    notes: spec === ROBOTS_CLIFF ? [...notes, CLIFF_NOTE] : notes,
    detail: detailOf(finding, ctx.siteFailing),
    reminder,
  });
}

export function stepUnreachable(
  previous: Incident | null,
  result: CheckResult,
  finding: RobotsFinding | undefined,
  ctx: RobotsContext,
  subject: EventSubject,
) {
  // Our own SSRF refusal is a configuration problem, not something a crawler would see.
  const unreachable = result.robotsState === 'unreachable' && result.outcome !== 'blocked';
  const rules = incidentRules(ctx.site, `robots-unreachable ${ctx.site.origin}`, true);
  const { incident: open, closed } = observe(previous, unreachable ? 'failing' : 'healthy', result.checkedAt, rules);
  const events: CrawlEvent[] = [];
  const recovered =
    closed && recoveredEvent(closed, subject, ctx.site, 'robots.txt answers again: Google resumes crawling with it');
  if (recovered) events.push(recovered);
  if (!open || !unreachable) return { incident: open, events };

  let incident = open;
  const elapsed = msBetween(incident.startedAt, result.checkedAt);
  const candidates = ROBOTS_UNREACHABLE_FAMILY.map((spec) => ({
    tier: spec.id,
    due: elapsed >= spec.thresholdMs(ctx.site),
  }));
  const { fire, fired } = escalate(incident, candidates);
  const spec = ROBOTS_UNREACHABLE_FAMILY.find((s) => s.id === fire);
  const current = currentTier(incident, ROBOTS_UNREACHABLE_FAMILY);
  if (spec) {
    incident = emitted(incident, result.checkedAt, fired);
    events.push(unreachableEvent(spec, incident, subject, result, finding, ctx));
  } else if (current && reminderDue(incident, result.checkedAt, ctx.site.remindEveryMs)) {
    incident = emitted(incident, result.checkedAt, incident.fired, true);
    events.push(unreachableEvent(current, incident, subject, result, finding, ctx, incident.reminders));
  }
  return { incident, events };
}
