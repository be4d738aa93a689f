/**
 * A pure timeline simulator for the rules engine: passes at given instants, answers given as statuses
 * (or network outcomes), robots.txt read by the pass's own reader (core/robots/reading.ts), events collected.
 */
import { parseMonitorsConfig } from '../../lambdas/core/config/parse';
import type { SiteConfig } from '../../lambdas/core/config/types';
import { robotsStateOf } from '../../lambdas/core/probe/classify';
import { outcomeOfStatus, type NetworkFailure } from '../../lambdas/core/probe/outcome';
import type { CheckResult } from '../../lambdas/core/probe/types';
import type { RobotsCopy } from '../../lambdas/core/robots/finding';
import { RobotsReader } from '../../lambdas/core/robots/reading';
import type { CrawlEvent } from '../../lambdas/core/rules/event';
import type { OriginState } from '../../lambdas/core/rules/state';
import { step, type StepInput } from '../../lambdas/core/rules/step';

export const ORIGIN = 'https://shop.example';

/** A status, a network failure, or a status with options. */
export type Answer =
  number | NetworkFailure | 'not_checked' | { status: number; leak?: CheckResult['leak']; body?: 'assertion' };

export interface PassSpec {
  pages: Record<string, Answer>;
  /** robots.txt: a status (200 serves `robotsText`) or a network failure; omitted when robots: false. */
  robots?: Answer;
  robotsText?: string;
  /** The prober cut robots.txt at 500 KiB. */
  robotsTruncated?: boolean;
}

export function siteOf(yaml: string): SiteConfig {
  return parseMonitorsConfig('monitors.yaml', `version: 1\n${yaml}`, () => '').sites[0]!;
}

function resultOf(kind: CheckResult['kind'], url: string, answer: Answer, at: string): CheckResult {
  const status = typeof answer === 'number' ? answer : typeof answer === 'string' ? null : answer.status;
  let outcome = status === null ? (answer as NetworkFailure | 'not_checked') : outcomeOfStatus(status, null);
  if (typeof answer === 'object' && answer.body === 'assertion' && outcome === 'ok') outcome = 'assertion_failed';
  const result: CheckResult = {
    kind,
    origin: ORIGIN,
    url,
    checkedAt: at,
    status,
    outcome,
    latencyMs: 10,
    attempts: 1,
    redirects: 0,
    finalUrl: url,
    bytes: 100,
    truncated: false,
    requestId: `req-${at}`,
    retryAfter: null,
    leak: typeof answer === 'object' ? (answer.leak ?? []) : [],
    error: null,
    attemptLog: [],
  };
  if (kind === 'robots') result.robotsState = robotsStateOf(outcome);
  return result;
}

export class Simulation {
  state: OriginState | null = null;
  lastGood: RobotsCopy | null = null;
  private readonly reader = new RobotsReader();
  readonly events: CrawlEvent[] = [];
  /** The inputs of the last pass, to replay it. */
  lastInput: StepInput | null = null;
  constructor(readonly site: SiteConfig) {}

  pass(atMs: number, spec: PassSpec): CrawlEvent[] {
    const at = new Date(atMs).toISOString();
    const pages = Object.entries(spec.pages).map(([path, answer]) => resultOf('page', `${ORIGIN}${path}`, answer, at));
    let robots: CheckResult | null = null;
    if (spec.robots !== undefined) {
      robots = {
        ...resultOf('robots', `${ORIGIN}/robots.txt`, spec.robots, at),
        truncated: spec.robotsTruncated ?? false,
      };
    }
    let robotsCopy: StepInput['robotsCopy'];
    if (robots && robots.outcome !== 'not_checked') {
      // The pass's own reading of robots.txt (core/robots/reading.ts), with this simulator as the store.
      const text =
        robots.robotsState === 'available' ? (spec.robotsText ?? 'User-agent: *\nDisallow: /admin/\n') : null;
      const fetch = { result: robots, robotsText: text };
      const known = this.state?.robotsCopy;
      const stored = this.reader.storedCopyNeeded(this.site, fetch, known) ? this.lastGood : null;
      const reading = this.reader.read(this.site, fetch, known, stored);
      robots.robots = reading.finding;
      if (reading.newCopy) this.lastGood = reading.newCopy;
      robotsCopy = reading.known;
    }
    this.lastInput = { site: this.site, previous: this.state, passAt: at, pages, robots, robotsCopy };
    const out = step(this.lastInput);
    // Delivery empties the outbox after every pass.
    this.state = out.changed ? { ...out.state, outbox: [] } : out.state;
    this.events.push(...out.events);
    return out.events;
  }

  /** Passes every `everyMs` from `fromMs` (inclusive) to `toMs` (exclusive). */
  run(fromMs: number, toMs: number, everyMs: number, spec: PassSpec | ((atMs: number) => PassSpec)): void {
    for (let t = fromMs; t < toMs; t += everyMs) this.pass(t, typeof spec === 'function' ? spec(t) : spec);
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const T0 = Date.parse('2026-12-01T00:00:00Z');

/** Events as `[tier, hours since T0, url path or origin]` rows: easy to read in an expectation. */
export function timeline(events: readonly CrawlEvent[]): [string, number, string][] {
  return events.map((e) => [
    e.tier,
    Math.round(((Date.parse(e.at) - T0) / HOUR) * 100) / 100,
    e.url ? e.url.slice(ORIGIN.length) : 'origin',
  ]);
}
