/** What crawlguard remembers per origin between passes: one item, written only when it changes. */
import type { Outcome } from '../probe/outcome';
import type { RobotsState } from '../probe/types';
import type { Notified, OutboxEntry } from '../alerts/route';
import type { Incident } from './incident';

export interface Latest {
  outcome: Outcome;
  status: number | null;
  /** The first check of this run of the same outcome and status. */
  since: string;
  /** Consecutive passes with it, capped. */
  streak: number;
}

export interface UrlState {
  latest: Latest;
  /** Crawl-failing (5xx, 429, network): the deindex clock. */
  crawl: Incident | null;
  /** Answers, but not as expected (expectStatus, body rules, 4xx, redirects): no deindex clock. */
  content: Incident | null;
  /** Disallowed by robots.txt for a configured agent. */
  robotsBlock: Incident | null;
}

export interface RobotsTrack {
  latest: Latest & { state: RobotsState };
  unreachable: Incident | null;
  missing: Incident | null;
  blocksSite: Incident | null;
  truncated: Incident | null;
}

export interface OriginState {
  origin: string;
  /** The first pass that saw this origin: uptime is measured from here (absent in older states). */
  since?: string;
  /** The pass that last changed this state; a pass not later than it is a replay and changes nothing. */
  appliedAt: string;
  urls: Record<string, UrlState>;
  robots: RobotsTrack | null;
  /** Many URLs of the origin failing at once (origin-crawl-slowdown, origin-outage). */
  crawl: Incident | null;
  /** Passes in a row that could not check every target of the origin (checks-skipped); absent in older states. */
  skipped?: Incident | null;
  /**
   * Events raised but not yet delivered, with the channels they still go to. They are saved in the same
   * item as the transition that raised them (one conditional write: no transition without its events),
   * and removed once delivered.
   */
  outbox: OutboxEntry[];
  /** Channels each open incident was notified on (its recovery goes the same way). */
  notified: Notified;
  /** A pass delivering this outbox holds it until `until`; another pass leaves it alone meanwhile. */
  delivery: { leaseId: string; until: string } | null;
  /**
   * Which robots.txt is stored as the last good copy (its hash): a fetch with the same hash needs no read
   * of the copy. Null: none stored yet; absent in states saved before it was kept.
   */
  robotsCopy?: RobotsCopyRef | null;
}

export interface RobotsCopyRef {
  hash: string;
  fetchedAt: string;
}
