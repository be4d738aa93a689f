/**
 * What the robots.txt fetched says (docs/search-engine-rules.md, "robots.txt errors and caching"): it went
 * missing (4xx: no restrictions), it closes the whole site to an agent, its rules changed, or it is over
 * the 500 KiB crawlers read.
 */
import type { SiteSettings } from '../config/types';
import type { CheckResult } from '../probe/types';
import type { RobotsFinding } from '../robots/finding';
import { clipRule, MAX_LISTED_RULES } from '../rules/bounds';
import { buildEvent, type EventSubject } from '../rules/build';
import type { CrawlEvent } from '../rules/event';
import { incidentId, incidentRules, type Incident, type Observation } from '../rules/incident';
import { stepSimpleTier } from '../rules/simple-tier';
import { SOURCES } from './sources';
import { defineTier } from './tier';

export const ROBOTS_MISSING = defineTier({
  id: 'robots-missing',
  // Critical when the last good copy had disallow rules (they no longer protect anything): see stepMissing.
  severity: 'warning',
  sources: [SOURCES.robotsSpec, SOURCES.rfc9309],
  when: (site) => `4xx other than 429, or more than 5 redirects, for ${site.failureThreshold} passes`,
  title: () => 'robots.txt missing',
  consequence: () => 'crawlers apply no restrictions',
  searchEngines: (_site, ctx) =>
    ctx?.lostDisallows
      ? 'robots.txt answers 4xx: crawlers apply no restrictions, so the disallow rules of the last good copy no longer protect anything'
      : 'robots.txt answers 4xx: crawlers apply no restrictions, as if there were no robots.txt',
});

export const ROBOTS_BLOCKS_SITE = defineTier({
  id: 'robots-blocks-site',
  severity: 'critical',
  sources: [SOURCES.robotsSpec],
  when: () => 'a copy disallows `/` for a configured agent',
  title: () => 'robots.txt blocks the whole site',
  consequence: () => 'the whole site is closed to crawlers',
  searchEngines: () =>
    'robots.txt disallows / : the whole site is closed to this crawler and its pages fade out of search',
});

export const ROBOTS_CHANGED = defineTier({
  id: 'robots-changed',
  severity: 'info',
  sources: [SOURCES.robotsSpec],
  when: () => 'rules added or removed since the last good copy (the first copy is the baseline)',
  title: () => 'robots.txt rules changed',
  consequence: () => 'rules changed',
  searchEngines: () =>
    'crawlers apply the new rules from their next fetch of robots.txt (Google caches it for up to 24 hours)',
});

export const ROBOTS_TRUNCATED = defineTier({
  id: 'robots-truncated',
  severity: 'warning',
  sources: [SOURCES.robotsSpec, SOURCES.rfc9309],
  when: () => 'larger than 500 KiB',
  title: () => 'robots.txt over 500 KiB',
  consequence: () => 'rules past 500 KiB are ignored',
  searchEngines: () => 'Google reads only the first 500 KiB of robots.txt: rules after that point are ignored',
});

export const ROBOTS_COPY_TIERS = [ROBOTS_MISSING, ROBOTS_BLOCKS_SITE, ROBOTS_CHANGED, ROBOTS_TRUNCATED] as const;

export interface MissingDetail {
  lastGoodDisallows: boolean;
}
export interface BlocksSiteDetail {
  agents: string[];
}
export interface ChangedDetail {
  /** Per agent, the first rules added and removed, with how many there were. */
  changes: { agent: string; added: string[]; removed: string[]; addedCount: number; removedCount: number }[];
  copyHash: string | null;
}
export interface TruncatedDetail {
  bytes: number;
}

interface CopyStep {
  result: CheckResult;
  finding: RobotsFinding | undefined;
  site: SiteSettings & { origin: string };
  subject: EventSubject;
}

const rulesOf = (step: CopyStep, scope: string) => incidentRules(step.site, `${scope} ${step.site.origin}`);
/** Copy tiers judge a copy just fetched; without one this pass they observe nothing. */
const onFetched = (step: CopyStep, failing: (finding: RobotsFinding) => boolean): Observation =>
  step.finding?.rulesFrom !== 'fetched' ? 'neutral' : failing(step.finding) ? 'failing' : 'healthy';

export function stepMissing(previous: Incident | null, step: CopyStep) {
  const state = step.result.robotsState;
  const lostDisallows = step.finding?.lastGoodDisallows ?? false;
  return stepSimpleTier({
    spec: ROBOTS_MISSING,
    previous,
    observation: state === 'unavailable' ? 'failing' : state === 'available' ? 'healthy' : 'neutral',
    rules: rulesOf(step, ROBOTS_MISSING.id),
    site: step.site,
    subject: step.subject,
    confirmed: (incident) => incident.failStreak >= step.site.failureThreshold,
    recovery: 'robots.txt is back: crawlers apply its rules again',
    parts: (reminder) => ({
      searchEngines: ROBOTS_MISSING.searchEngines(step.site, { lostDisallows }),
      checkFirst:
        'whether robots.txt was deleted, moved behind a redirect chain, or shut behind authentication (401/403)',
      detail: { lastGoodDisallows: lostDisallows },
      severity: lostDisallows ? 'critical' : 'warning',
      reminder,
    }),
  });
}

export function stepBlocksSite(previous: Incident | null, step: CopyStep) {
  return stepSimpleTier({
    spec: ROBOTS_BLOCKS_SITE,
    previous,
    observation: onFetched(step, (finding) => finding.blocksSite.length > 0),
    rules: rulesOf(step, ROBOTS_BLOCKS_SITE.id),
    site: step.site,
    subject: step.subject,
    recovery: 'robots.txt no longer disallows the whole site',
    parts: (reminder) => ({
      searchEngines: ROBOTS_BLOCKS_SITE.searchEngines(step.site),
      checkFirst: 'a staging robots.txt deployed to production, or a "Disallow: /" meant for another agent',
      detail: { agents: step.finding?.blocksSite ?? [] },
      reminder,
    }),
  });
}

export function stepTruncated(previous: Incident | null, step: CopyStep) {
  return stepSimpleTier({
    spec: ROBOTS_TRUNCATED,
    previous,
    observation: onFetched(step, (finding) => finding.truncated),
    rules: rulesOf(step, ROBOTS_TRUNCATED.id),
    site: step.site,
    subject: step.subject,
    recovery: 'robots.txt is under 500 KiB again',
    parts: (reminder) => ({
      searchEngines: ROBOTS_TRUNCATED.searchEngines(step.site),
      checkFirst: 'generated rules (one line per URL) that should be patterns; keep robots.txt well under 500 KiB',
      detail: { bytes: step.result.bytes },
      reminder,
    }),
  });
}

/** A change is an event of its own, not an incident: it opens and closes in the same pass. */
export function changeEvents({ finding, subject, site }: CopyStep): CrawlEvent[] {
  if (!finding?.changes?.length) return [];
  const change: Incident = {
    id: incidentId(`robots-changed ${subject.origin}`, subject.at),
    startedAt: subject.at,
    lastCheckedAt: subject.at,
    failStreak: 0,
    okStreak: 0,
    healthySince: null,
    fired: [ROBOTS_CHANGED.id],
    gaps: [],
    lastEventAt: subject.at,
    reminders: 0,
  };
  // The rule lists can fill 500 KiB: an event names the first of each and counts them all.
  const changes = finding.changes.map((c) => ({
    agent: c.agent,
    added: c.added.slice(0, MAX_LISTED_RULES).map(clipRule),
    removed: c.removed.slice(0, MAX_LISTED_RULES).map(clipRule),
    addedCount: c.added.length,
    removedCount: c.removed.length,
  }));
  return [
    buildEvent(ROBOTS_CHANGED, change, subject, {
      searchEngines: ROBOTS_CHANGED.searchEngines(site),
      detail: { changes, copyHash: finding.copyHash },
    }),
  ];
}
