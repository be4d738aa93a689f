/**
 * What a robots.txt fetch means for the monitored URLs of its origin: the types a check result carries
 * (robots/analyse.ts computes them). A module of its own, so that probe/types.ts and analyse.ts do not
 * import each other.
 */
import type { RobotsRule } from './matcher';

/** The last robots.txt that answered 2xx, kept per origin. */
export interface RobotsCopy {
  text: string;
  /** sha256 of the text, hex. */
  hash: string;
  /** ISO-8601: when this content was first fetched. */
  fetchedAt: string;
  truncated: boolean;
}

export interface DisallowedUrl {
  url: string;
  rule: RobotsRule;
}

export interface RuleChange {
  agent: string;
  /** Rules as `Disallow: /path`, in file order. */
  added: string[];
  removed: string[];
}

/** Attached to a robots.txt result as `robots` (see README, JSON output). */
export interface RobotsFinding {
  /**
   * Which rules crawlers apply now: the copy just fetched; none (4xx: no restrictions); or, while
   * robots.txt is unreachable, our last good copy (what Google falls back to after 12 h).
   */
  rulesFrom: 'fetched' | 'last-good' | 'none';
  /** The file was larger than 500 KiB: rules after that point are ignored (RFC 9309 section 2.5). */
  truncated: boolean;
  /** Per configured agent: the monitored URLs it may not crawl, with the deciding rule. */
  disallowed: Record<string, DisallowedUrl[]>;
  /** Agents for which the fetched copy disallows `/`: the whole site is closed to them. */
  blocksSite: string[];
  /** Rules added and removed against the last good copy; null when there is nothing to compare. */
  changes: RuleChange[] | null;
  /** When the copy in force was first fetched; null without one. */
  copyFetchedAt: string | null;
  /** sha256 of the copy in force (the one stored as the last good copy, or just fetched); null without one. */
  copyHash: string | null;
  /** Per configured agent, the rules of the copy in force (`Disallow: /x`); null when no copy applies. */
  rules: Record<string, string[]> | null;
  /** The last good copy before this fetch disallowed something for a configured agent. */
  lastGoodDisallows: boolean;
}
