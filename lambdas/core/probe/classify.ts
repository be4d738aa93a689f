/** Judges one attempt: the outcome, and what to tell a person about it. Pure. */
import { detectLeaks, type LeakKind } from './leak';
import { outcomeOfStatus, type Outcome } from './outcome';
import { findRequestId, parseRetryAfterSeconds } from './request-id';
import type { Observation, RobotsState, Target } from './types';

export interface Verdict {
  outcome: Outcome;
  error: string | null;
  leak: LeakKind[];
  requestId: string | null;
  retryAfter: number | null;
}

function bodyRuleFailure(target: Target, body: string, truncated: boolean): string | null {
  const scope = truncated ? ' (in the first part read)' : '';
  const missing = target.bodyContains.find((text) => !body.includes(text));
  if (missing !== undefined) return `body does not contain ${JSON.stringify(missing)}${scope}`;
  const present = target.bodyNotContains.find((text) => body.includes(text));
  if (present !== undefined) return `body contains ${JSON.stringify(present)}`;
  return null;
}

/** Only an unexpected status needs words; for the others the status and outcome say it all. */
function statusError(outcome: Outcome, status: number, target: Target): string | null {
  if (outcome !== 'unexpected_status') return null;
  const expected = target.expectStatus ? target.expectStatus.join(' or ') : 'a 2xx';
  return `expected ${expected}, got ${status}`;
}

export function judge(target: Target, observation: Observation, nowMs: number): Verdict {
  const requestId = findRequestId(observation.headers);
  const retryAfter = parseRetryAfterSeconds(observation.headers['retry-after'], nowMs);
  if (observation.kind === 'failure') {
    return { outcome: observation.failure, error: observation.error, leak: [], requestId, retryAfter };
  }
  const { status, body, truncated } = observation;
  let outcome = outcomeOfStatus(status, target.kind === 'robots' ? null : target.expectStatus);
  let error = statusError(outcome, status, target);
  if (outcome === 'ok' && target.kind === 'page') {
    const failure = bodyRuleFailure(target, body, truncated);
    if (failure) [outcome, error] = ['assertion_failed', failure];
  }
  const leak = status >= 500 ? detectLeaks(body) : [];
  return { outcome, error, leak, requestId, retryAfter };
}

/** A retry cannot change a refusal by our own guard; a check not made is no answer to retry; the rest may be transient. */
export function isRetryable(outcome: Outcome): boolean {
  return outcome !== 'ok' && outcome !== 'blocked' && outcome !== 'not_checked';
}

const MAX_RETRY_DELAY_MS = 60_000;

/**
 * Delay before retry number `retryIndex` (0-based): backoff, then 5× longer each time (2s, 10s, 50s).
 * A Retry-After the server sent is honoured when it is longer and still fits the cap.
 */
export function retryDelayMs(retryIndex: number, backoffMs: number, retryAfterSeconds: number | null): number {
  const delay = Math.min(backoffMs * 5 ** retryIndex, MAX_RETRY_DELAY_MS);
  const asked = retryAfterSeconds === null ? 0 : retryAfterSeconds * 1000;
  return asked > delay && asked <= MAX_RETRY_DELAY_MS ? asked : delay;
}

/**
 * robots.txt fetch → what crawlers do (SEO-RULES.md, robots.txt table; RFC 9309 2.3.1):
 * 2xx available; 4xx other than 429 and too many redirects: unavailable (no restrictions);
 * 5xx, 429 and network errors: unreachable (crawling of the whole site stops).
 */
export function robotsStateOf(outcome: Outcome): RobotsState | undefined {
  if (outcome === 'not_checked') return undefined; // no observation: no state
  if (outcome === 'ok') return 'available';
  if (outcome === 'client_error' || outcome === 'too_many_redirects') return 'unavailable';
  return 'unreachable';
}
