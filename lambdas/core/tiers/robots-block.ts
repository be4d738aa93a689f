/**
 * Robots blocking (docs/search-engine-rules.md, "robots.txt errors and caching"): a monitored URL that the
 * robots.txt just fetched disallows for a configured agent. robots.txt says the same thing on every
 * fetch, so there is no confirmation over passes, and the first copy seen counts too.
 */
import type { SiteSettings } from '../config/types';
import type { CheckResult } from '../probe/types';
import type { EventSubject } from '../rules/build';
import { incidentRules, type Incident, type Observation } from '../rules/incident';
import { stepSimpleTier } from '../rules/simple-tier';
import { SOURCES } from './sources';
import { defineTier } from './tier';

export const URL_BLOCKED_BY_ROBOTS = defineTier({
  id: 'url-blocked-by-robots',
  severity: 'critical',
  sources: [SOURCES.robotsSpec],
  when: () => 'a monitored URL is disallowed for a configured agent (also on the first copy seen)',
  title: () => 'URL blocked by robots.txt',
  consequence: () => 'robots.txt blocks it for crawlers',
  searchEngines: () =>
    'crawlers that obey robots.txt no longer fetch this URL: it goes stale and may leave the index or show without a snippet',
});

export const ROBOTS_BLOCK_TIERS = [URL_BLOCKED_BY_ROBOTS] as const;

export interface BlockedDetail {
  /** Each agent that may not crawl the URL, with the deciding rule and its line. */
  disallowedFor: { agent: string; rule: string }[] | null;
}

/** `disallowedFor`: the agents that may not crawl the URL under the copy just fetched; null: unknown this pass. */
export function stepRobotsBlock(
  previous: Incident | null,
  result: CheckResult,
  site: SiteSettings,
  disallowedFor: { agent: string; rule: string }[] | null,
  subject: EventSubject,
) {
  const observation: Observation =
    disallowedFor === null ? 'neutral' : disallowedFor.length > 0 ? 'failing' : 'healthy';
  return stepSimpleTier({
    spec: URL_BLOCKED_BY_ROBOTS,
    previous,
    observation,
    rules: incidentRules(site, `robots-block ${result.url}`),
    site,
    subject,
    recovery: 'robots.txt allows this URL again: crawlers can fetch it',
    parts: () => ({
      searchEngines: URL_BLOCKED_BY_ROBOTS.searchEngines(site),
      checkFirst: 'the robots.txt rule named here: was it meant to match this URL?',
      detail: { disallowedFor },
    }),
    remind: false,
  });
}
