/**
 * Open incidents with their clocks, for `crawlguard status` and the report: how long each has run,
 * what search engines do at this point, and the time left to the next mark. Every mark and its name
 * come from the tier declarations, so a status line follows the configured thresholds. Pure: `now` comes in.
 */
import { formatDurationMs } from '../config/duration';
import type { SiteSettings } from '../config/types';
import { URL_CRAWL_FAMILY } from '../tiers/crawl';
import { ORIGIN_FAMILY } from '../tiers/origin';
import type { Tier } from '../tiers/registry';
import { robotsPhase, ROBOTS_CLIFF_WARNING, ROBOTS_UNREACHABLE_FAMILY } from '../tiers/robots-unreachable';
import type { TierSpec } from '../tiers/tier';
import type { Incident } from './incident';
import { msBetween } from './incident';
import type { OriginState } from './state';

export type ClockKind =
  | 'url-crawl'
  | 'url-content'
  | 'url-robots-block'
  | 'origin'
  | 'robots-unreachable'
  | 'robots-missing'
  | 'robots-blocks-site'
  | 'robots-truncated';

export interface OpenClock {
  kind: ClockKind;
  origin: string;
  url: string | null;
  incidentId: string;
  since: string;
  elapsedMs: number;
  /** The highest tier reached; null while not yet confirmed. */
  tier: Tier | null;
  next: { tier: Tier; inMs: number } | null;
  /** One line for a person. */
  summary: string;
}

type Family = readonly TierSpec<Tier>[];

/** The next search-engine mark ahead; the cliff warning is crawlguard's own, so the cliff is what counts. */
function nextTimed(incident: Incident, family: Family, site: SiteSettings, elapsedMs: number) {
  for (const spec of family) {
    if (incident.fired.includes(spec.id) || spec === ROBOTS_CLIFF_WARNING || !spec.thresholdMs) continue;
    return { spec, inMs: Math.max(0, spec.thresholdMs(site) - elapsedMs) };
  }
  return null;
}

const highest = (incident: Incident, family: Family) =>
  [...family].reverse().find((s) => incident.fired.includes(s.id))?.id ?? null;

function summaryOf(
  kind: ClockKind,
  origin: string,
  url: string | null,
  took: string,
  tier: Tier | null,
  elapsedMs: number,
  nextText: string,
): string {
  const subject = url ?? origin;
  const reached = tier ? ` (${tier})` : ', not confirmed yet';
  switch (kind) {
    case 'url-crawl':
      return `${subject} failing for ${took}${reached}${nextText}`;
    case 'url-content':
      return `${subject} not answering as expected for ${took}${tier ? ` (${tier})` : ''}`;
    case 'url-robots-block':
      return `${subject} disallowed by robots.txt for ${took}`;
    case 'origin':
      return `${origin}: many URLs failing for ${took}${reached}`;
    case 'robots-unreachable':
      return `robots.txt unreachable for ${took}, ${robotsPhase(elapsedMs)}${nextText}`;
    case 'robots-missing':
      return `robots.txt missing (4xx) for ${took}: crawlers apply no restrictions`;
    case 'robots-blocks-site':
      return `robots.txt disallows / for ${took}`;
    case 'robots-truncated':
      return `robots.txt larger than 500 KiB for ${took}`;
  }
}

function clock(
  kind: ClockKind,
  origin: string,
  url: string | null,
  incident: Incident,
  nowIso: string,
  site: SiteSettings,
  family: Family,
): OpenClock {
  const elapsedMs = msBetween(incident.startedAt, nowIso);
  const tier = family.length > 0 ? highest(incident, family) : (incident.fired[0] ?? null);
  const next = family.length > 0 ? nextTimed(incident, family, site, elapsedMs) : null;
  const nextText = next?.spec.mark ? `; ${formatDurationMs(next.inMs)} to ${next.spec.mark(site)}` : '';
  const summary = summaryOf(kind, origin, url, formatDurationMs(elapsedMs), tier, elapsedMs, nextText);
  return {
    kind,
    origin,
    url,
    incidentId: incident.id,
    since: incident.startedAt,
    elapsedMs,
    tier,
    next: next && { tier: next.spec.id, inMs: next.inMs },
    summary,
  };
}

export function openClocks(state: OriginState, site: SiteSettings, nowIso: string): OpenClock[] {
  const clocks: OpenClock[] = [];
  const add = (kind: ClockKind, url: string | null, incident: Incident | null, family: Family = []) => {
    if (incident) clocks.push(clock(kind, state.origin, url, incident, nowIso, site, family));
  };
  add('robots-unreachable', null, state.robots?.unreachable ?? null, ROBOTS_UNREACHABLE_FAMILY);
  add('robots-blocks-site', null, state.robots?.blocksSite ?? null);
  add('robots-missing', null, state.robots?.missing ?? null);
  add('robots-truncated', null, state.robots?.truncated ?? null);
  add('origin', null, state.crawl, ORIGIN_FAMILY);
  for (const [url, s] of Object.entries(state.urls)) {
    add('url-crawl', url, s.crawl, URL_CRAWL_FAMILY);
    add('url-content', url, s.content);
    add('url-robots-block', url, s.robotsBlock);
  }
  return clocks;
}
