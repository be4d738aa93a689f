import type { LeakKind } from './leak';
import type { NetworkFailure, Outcome } from './outcome';
import type { RobotsFinding } from '../robots/finding';

export type TargetKind = 'page' | 'robots';

/** One thing to request in a pass, with everything the prober needs to know about it. */
export interface Target {
  kind: TargetKind;
  origin: string;
  url: string;
  /** Healthy statuses; null means any 2xx. Always null for robots.txt, whose statuses have their own meaning. */
  expectStatus: number[] | null;
  bodyContains: string[];
  bodyNotContains: string[];
  timeoutMs: number;
  retries: number;
  retryBackoffMs: number;
  userAgent: string;
  /** This target's own origin may be reached at a private address (its site has allowPrivateNetwork). */
  allowPrivateNetwork: boolean;
  /**
   * The configured origins with allowPrivateNetwork: a redirect may take this check to a private address
   * on one of them, and only when this target's own site opted in too (README, "SSRF guard").
   */
  privateNetworkOrigins: readonly string[];
}

/** What one request attempt saw, as the HTTP adapter reports it (before any judgement). */
export type Observation =
  | {
      kind: 'response';
      status: number;
      /** Lower-case names. */
      headers: Record<string, string>;
      body: string;
      bytes: number;
      /** The body was longer than the cap; `body` holds the first part. */
      truncated: boolean;
      redirects: number;
      finalUrl: string;
      latencyMs: number;
    }
  | {
      kind: 'failure';
      failure: NetworkFailure;
      /** What went wrong, for a person: "connect ECONNREFUSED 127.0.0.1:9", "no response within 10s". */
      error: string;
      /** Set when the failure came after the status line (a reset or stall mid-body). */
      status: number | null;
      headers: Record<string, string>;
      bytes: number;
      redirects: number;
      finalUrl: string;
      latencyMs: number;
    };

/** One attempt as kept in the result: what it saw and what it concluded. */
export interface Attempt {
  at: string;
  status: number | null;
  outcome: Outcome;
  latencyMs: number;
  error: string | null;
}

/** How search engines read a robots.txt fetch (SEO-RULES.md, "robots.txt"). */
export type RobotsState = 'available' | 'unavailable' | 'unreachable';

/** The record of one check: the `{"type":"result"}` line of `check --json`, and what the store keeps. */
export interface CheckResult {
  kind: TargetKind;
  origin: string;
  url: string;
  /** ISO-8601 UTC, when the check started (the pass's fixed instant under --now). */
  checkedAt: string;
  /** Final HTTP status after redirects, null when none arrived. */
  status: number | null;
  outcome: Outcome;
  /** Duration of the deciding (last) attempt: request to the end of the body read. */
  latencyMs: number;
  /** Tries made: 1 when the first one decided. */
  attempts: number;
  redirects: number;
  finalUrl: string;
  /** Body bytes read (after decompression), at most the cap. */
  bytes: number;
  truncated: boolean;
  requestId: string | null;
  /** Retry-After header in seconds, null when absent. */
  retryAfter: number | null;
  leak: LeakKind[];
  error: string | null;
  attemptLog: Attempt[];
  /** robots.txt results only. */
  robotsState?: RobotsState;
  /** robots.txt results only: what the fetch means for the monitored URLs. */
  robots?: RobotsFinding;
}
