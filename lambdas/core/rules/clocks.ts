/**
 * Open incidents with their clocks, for `crawlguard status` and the report: how long each has run,
 * what search engines do at this point, and the time left to the next tier. Pure: `now` comes in.
 */
import { formatDurationMs } from '../config/duration';
import type { SiteConfig } from '../config/types';
import type { Incident } from './incident';
import { msBetween } from './incident';
import type { OriginState } from './state';
import { ORIGIN_FAMILY, ROBOTS_UNREACHABLE_FAMILY, URL_CRAWL_FAMILY, type Tier } from './tiers';

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

function timeOf(tier: Tier, site: SiteConfig): number | null {
  const times: Partial<Record<Tier, number>> = {
    'url-deindex-risk': site.deindexRiskAfterMs,
    'url-deindex-critical': site.deindexCriticalAfterMs,
    'robots-cached-copy': site.robotsCachedCopyAfterMs,
    'robots-cliff-warning': site.robotsCliffWarningAfterMs,
    'robots-cliff': site.robotsCliffAfterMs,
  };
  return times[tier] ?? null;
}

/** `24-hour`, `30-day`: how the marks are spoken of. */
function markName(ms: number): string {
  const hours = ms / 3_600_000;
  if (Number.isInteger(hours) && hours <= 72) return `${hours}-hour`;
  const days = hours / 24;
  return Number.isInteger(days) ? `${days}-day` : formatDurationMs(ms);
}

function label(tier: Tier, site: SiteConfig): string {
  const at = timeOf(tier, site);
  const when = at === null ? '' : `${markName(at)} `;
  const names: Partial<Record<Tier, string>> = {
    'url-down': 'confirmation (url-down)',
    'url-deindex-risk': `the ${when}deindex-risk mark`,
    'url-deindex-critical': `the ${when}deindex-critical mark`,
    'robots-cached-copy': `the ${when}cached-copy fallback`,
    'robots-cliff-warning': `the ${when}cliff warning`,
    'robots-cliff': `the ${when}cliff`,
  };
  return names[tier] ?? tier;
}

/** The next search-engine mark; the cliff warning is crawlguard's own, so the cliff is what counts. */
function nextTimed(incident: Incident, family: Tier[], site: SiteConfig, elapsedMs: number) {
  for (const tier of family) {
    if (incident.fired.includes(tier) || tier === 'robots-cliff-warning') continue;
    const at = timeOf(tier, site);
    if (at !== null) return { tier, inMs: Math.max(0, at - elapsedMs) };
  }
  return null;
}

const highest = (incident: Incident, family: Tier[]) =>
  [...family].reverse().find((t) => incident.fired.includes(t)) ?? null;

function robotsPhase(elapsedMs: number, site: SiteConfig): string {
  if (elapsedMs < site.robotsCachedCopyAfterMs) return 'Google has stopped crawling the site';
  if (elapsedMs < site.robotsCliffAfterMs) return 'search engines use the cached copy';
  return 'past the 30-day cliff: robots.txt counts as absent, or crawling stops if the site fails too';
}

function clock(
  kind: ClockKind,
  origin: string,
  url: string | null,
  incident: Incident,
  nowIso: string,
  site: SiteConfig,
  family: Tier[],
): OpenClock {
  const elapsedMs = msBetween(incident.startedAt, nowIso);
  const tier = family.length > 0 ? highest(incident, family) : (incident.fired[0] ?? null);
  const next = family.length > 0 ? nextTimed(incident, family, site, elapsedMs) : null;
  const took = formatDurationMs(elapsedMs);
  const nextText = next ? `; ${formatDurationMs(next.inMs)} to ${label(next.tier, site)}` : '';
  const subject = url ?? origin;
  const summaries: Record<ClockKind, string> = {
    'url-crawl': `${subject} failing for ${took}${tier ? ` (${tier})` : ', not confirmed yet'}${nextText}`,
    'url-content': `${subject} not answering as expected for ${took}${tier ? ` (${tier})` : ''}`,
    'url-robots-block': `${subject} disallowed by robots.txt for ${took}`,
    origin: `${origin}: many URLs failing for ${took}${tier ? ` (${tier})` : ', not confirmed yet'}`,
    'robots-unreachable': `robots.txt unreachable for ${took}, ${robotsPhase(elapsedMs, site)}${nextText}`,
    'robots-missing': `robots.txt missing (4xx) for ${took}: crawlers apply no restrictions`,
    'robots-blocks-site': `robots.txt disallows / for ${took}`,
    'robots-truncated': `robots.txt larger than 500 KiB for ${took}`,
  };
  return {
    kind,
    origin,
    url,
    incidentId: incident.id,
    since: incident.startedAt,
    elapsedMs,
    tier,
    next,
    summary: summaries[kind],
  };
}

export function openClocks(state: OriginState, site: SiteConfig, nowIso: string): OpenClock[] {
  const clocks: OpenClock[] = [];
  const add = (kind: ClockKind, url: string | null, incident: Incident | null, family: Tier[] = []) => {
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
