/**
 * The rules engine: (site config, previous state, this pass's results, the pass instant) →
 * (next state, events). Pure: no I/O, no clock, inputs untouched. The handler loads and saves.
 */
import type { MaintenanceWindow, SiteConfig } from '../config/types';
import { isCrawlFailing } from '../probe/outcome';
import type { CheckResult } from '../probe/types';
import { route } from '../alerts/route';
import { clipRule } from './bounds';
import type { CrawlEvent } from './event';
import { stepSkipped } from '../tiers/checker';
import { originHealth, stepOrigin } from '../tiers/origin';
import { stepRobots } from './robots-step';
import type { OriginState, RobotsCopyRef, UrlState } from './state';
import { stepUrl } from './url-step';

export interface StepInput {
  site: SiteConfig;
  previous: OriginState | null;
  /** The pass instant (ISO-8601); results carry their own checkedAt. */
  passAt: string;
  /** This origin's page results and its robots.txt result (null when robots: false). */
  pages: readonly CheckResult[];
  robots: CheckResult | null;
  /** The last good robots.txt now stored (its hash), kept in the state; undefined: unchanged. */
  robotsCopy?: RobotsCopyRef | null;
}

export interface StepOutput {
  state: OriginState;
  /** Events raised by this pass (also appended to state.outbox). */
  events: CrawlEvent[];
  /** False when nothing changed: `state` is `previous` itself and needs no write. */
  changed: boolean;
}

export function inMaintenance(windows: readonly MaintenanceWindow[], at: string): boolean {
  return windows.some((window) => window.start <= at && at < window.end);
}

function disallowedFor(robots: CheckResult | null, url: string): { agent: string; rule: string }[] | null {
  const finding = robots?.robots;
  if (!finding) return robots === null ? [] : null; // robots: false → never blocked; a failed analysis → unknown
  if (finding.rulesFrom === 'none' && robots.robotsState === 'unavailable') return []; // 4xx: no restrictions
  if (finding.rulesFrom !== 'fetched') return null; // unreachable: crawlers are not fetching anything anyway
  return Object.entries(finding.disallowed).flatMap(([agent, list]) =>
    list
      .filter((d) => d.url === url)
      .map((d) => ({
        agent,
        rule: `${clipRule(`${d.rule.directive === 'allow' ? 'Allow' : 'Disallow'}: ${d.rule.pattern}`)} (line ${d.rule.line})`,
      })),
  );
}

/**
 * Every part of the state keeps its identity when nothing in it changed, so "did anything change?" is a
 * comparison of references, not of serialised JSON (a steady 100-URL origin costs no stringify).
 */
/** The previous URL map itself when no URL's state changed: the store then keeps its URL records as they are. */
function sameUrls(previous: OriginState | null, urls: Record<string, UrlState>): Record<string, UrlState> {
  if (!previous) return urls;
  const keys = Object.keys(urls);
  const same =
    keys.length === Object.keys(previous.urls).length && keys.every((url) => urls[url] === previous.urls[url]);
  return same ? previous.urls : urls;
}

function unchangedState(
  previous: OriginState,
  urls: Record<string, UrlState>,
  robots: OriginState['robots'],
  crawl: OriginState['crawl'],
  events: number,
): boolean {
  return events === 0 && robots === previous.robots && crawl === previous.crawl && urls === previous.urls;
}

export function step(input: StepInput): StepOutput {
  const { site, previous, passAt, pages, robots } = input;
  if (previous && passAt <= previous.appliedAt) return { state: previous, events: [], changed: false };
  const maintenance = inMaintenance(site.maintenance, passAt);
  const health = originHealth(pages, maintenance);

  const events: CrawlEvent[] = [];
  const urls: Record<string, UrlState> = {};
  for (const result of pages) {
    const stepped = stepUrl(previous?.urls[result.url], result, {
      site,
      inMaintenance: maintenance,
      sameOnEveryUrl: health.sameOnEveryUrl && isCrawlFailing(result.outcome),
      disallowedFor: disallowedFor(robots, result.url),
    });
    if (stepped.state) urls[result.url] = stepped.state; // a URL never checked yet has no state
    events.push(...stepped.events);
  }
  const origin = stepOrigin(previous?.crawl ?? null, health, site, passAt);
  events.push(...origin.events);
  let robotsTrack = previous?.robots ?? null;
  if (robots) {
    const stepped = stepRobots(robotsTrack, robots, { site, siteFailing: health.outage, inMaintenance: maintenance });
    robotsTrack = stepped.track;
    events.push(...stepped.events);
  }
  const skipped = stepSkipped(previous?.skipped ?? null, robots ? [robots, ...pages] : pages, site, passAt);
  events.push(...skipped.events);
  const urlStates = sameUrls(previous, urls);
  const robotsCopy = input.robotsCopy === undefined ? (previous?.robotsCopy ?? null) : input.robotsCopy;
  const sameCopy =
    robotsCopy?.hash === previous?.robotsCopy?.hash && (robotsCopy === null) === (previous?.robotsCopy == null);
  const sameSkipped = skipped.incident === (previous?.skipped ?? null);
  if (
    previous &&
    sameCopy &&
    sameSkipped &&
    unchangedState(previous, urlStates, robotsTrack, origin.incident, events.length)
  )
    return { state: previous, events: [], changed: false };
  const routed = route(events, site.routing, previous?.notified ?? {});
  const state: OriginState = {
    origin: site.origin,
    since: previous ? previous.since : passAt,
    appliedAt: passAt,
    urls: urlStates,
    robots: robotsTrack,
    crawl: origin.incident,
    skipped: skipped.incident,
    outbox: [...(previous?.outbox ?? []), ...routed.entries],
    notified: routed.notified,
    delivery: previous?.delivery ?? null,
    robotsCopy,
  };
  return { state, events, changed: true };
}
