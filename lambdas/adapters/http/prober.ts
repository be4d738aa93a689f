/**
 * Runs the checks of a pass: each target with confirmation retries, under a global and a per-origin
 * concurrency cap, inside the pass's time budget. A failing target is a result, never an exception.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit, { type LimitFunction } from 'p-limit';
import { isRetryable, judge, retryDelayMs, robotsStateOf } from '../../core/probe/classify';
import type { Attempt, CheckResult, Observation, Target } from '../../core/probe/types';
import { createHttpClient } from './http-client';
import { noPrivateNetwork, privateNetworkOn, type PrivateNetworkPolicy, type Resolver } from './ssrf';

/** Body caps: enough for any real page's assertions; robots.txt per RFC 9309 section 2.5 (500 KiB). */
export const MAX_PAGE_BYTES = 256 * 1024;
export const MAX_ROBOTS_BYTES = 500 * 1024;
/** Redirect caps: browsers stop near 20, we at 10; robots.txt after 5 hops (RFC 9309 section 2.3.1.2). */
export const MAX_PAGE_REDIRECTS = 10;
export const MAX_ROBOTS_REDIRECTS = 5;

export interface ProberOptions {
  concurrency: number;
  perOriginConcurrency: number;
  resolve?: Resolver;
}

export interface ProbeOutput {
  result: CheckResult;
  /** The robots.txt text (up to its cap) when kind is robots and a body arrived; null otherwise. */
  robotsText: string | null;
}

export interface ProbeAllOptions {
  /** performance.now() by which every check must be over: no request or retry outlives it. */
  deadline: number;
  /** Aborts the pass (shutdown): pending work stops and probeAll rejects; nothing is reported. */
  signal?: AbortSignal;
  /** Epoch ms for timestamps: the wall clock, or one fixed instant under --now. */
  clock: () => number;
  /** Called after each check: how many are done of how many. */
  onProgress?: (done: number, total: number) => void;
}

/** The configured origins with the opt-in, as a policy built once per list (targets of a pass share one). */
const policies = new WeakMap<readonly string[], PrivateNetworkPolicy>();

/** Private addresses only when the target's own site opted in, and then only on origins that opted in. */
function privateNetworkOf(target: Target): PrivateNetworkPolicy {
  if (!target.allowPrivateNetwork) return noPrivateNetwork;
  let others = policies.get(target.privateNetworkOrigins);
  if (!others) policies.set(target.privateNetworkOrigins, (others = privateNetworkOn(target.privateNetworkOrigins)));
  const configured = others;
  return (origin) => origin === target.origin || configured(origin);
}

export function createProber(options: ProberOptions) {
  const http = createHttpClient({ resolve: options.resolve, connectionsPerOrigin: options.perOriginConcurrency });
  const global = pLimit(options.concurrency);
  const perOrigin = new Map<string, LimitFunction>();
  const originLimit = (origin: string) => {
    let limit = perOrigin.get(origin);
    if (!limit) perOrigin.set(origin, (limit = pLimit(options.perOriginConcurrency)));
    return limit;
  };

  /**
   * One attempt, holding a global and a per-origin slot only while the request runs (not while waiting to
   * retry). null: the pass's time was up before it could start. `cut`: it started with less time than its
   * timeout and that ran out, so it says nothing about the target (the pass ended, not the target's time).
   */
  function attemptOnce(
    target: Target,
    run: ProbeAllOptions,
  ): Promise<{ observation: Observation; timeoutMs: number; cut: boolean } | null> {
    return originLimit(target.origin)(() =>
      global(async () => {
        const remainingMs = Math.floor(run.deadline - performance.now());
        if (remainingMs <= 0 || run.signal?.aborted) return null;
        const robots = target.kind === 'robots';
        const timeoutMs = Math.min(target.timeoutMs, remainingMs);
        const observation = await http.attempt({
          url: target.url,
          userAgent: target.userAgent,
          timeoutMs,
          maxRedirects: robots ? MAX_ROBOTS_REDIRECTS : MAX_PAGE_REDIRECTS,
          maxBodyBytes: robots ? MAX_ROBOTS_BYTES : MAX_PAGE_BYTES,
          privateNetwork: privateNetworkOf(target),
          signal: run.signal,
        });
        const cut = timeoutMs < target.timeoutMs && observation.kind === 'failure' && observation.failure === 'timeout';
        return { observation, timeoutMs, cut };
      }),
    );
  }

  async function probe(target: Target, run: ProbeAllOptions): Promise<ProbeOutput> {
    const checkedAtMs = run.clock();
    const attemptLog: Attempt[] = [];
    let last: { observation: Observation; verdict: ReturnType<typeof judge> } | null = null;
    let notMade = 'the pass ran out of time before this check could start';
    for (let attempt = 0; attempt <= target.retries; attempt += 1) {
      if (attempt > 0) {
        const delayMs = retryDelayMs(attempt - 1, target.retryBackoffMs, last!.verdict.retryAfter);
        // A retry that could not start inside the pass is not started: the last attempt stands.
        if (performance.now() + delayMs >= run.deadline) break;
        await sleep(delayMs, undefined, { signal: run.signal });
      }
      const at = run.clock();
      const made = await attemptOnce(target, run);
      run.signal?.throwIfAborted();
      if (!made) break;
      if (made.cut) {
        // Kept in the log (the request was made), never the verdict: a retry cut short leaves the last attempt standing.
        notMade = `the pass ended ${made.timeoutMs} ms into this check, before its ${target.timeoutMs} ms timeout`;
        attemptLog.push({
          at: new Date(at).toISOString(),
          status: null,
          outcome: 'not_checked',
          latencyMs: made.observation.latencyMs,
          error: notMade,
        });
        break;
      }
      const verdict = judge(target, made.observation, at);
      attemptLog.push({
        at: new Date(at).toISOString(),
        status: made.observation.status,
        outcome: verdict.outcome,
        latencyMs: made.observation.latencyMs,
        error: verdict.error,
      });
      last = { observation: made.observation, verdict };
      if (!isRetryable(verdict.outcome)) break;
    }
    return last
      ? assemble(target, checkedAtMs, attemptLog, last.observation, last.verdict)
      : notChecked(target, checkedAtMs, attemptLog, notMade);
  }

  return {
    probe,
    /** All targets of a pass, results in target order. */
    probeAll(targets: readonly Target[], run: ProbeAllOptions): Promise<ProbeOutput[]> {
      let done = 0;
      const counted = (output: ProbeOutput) => {
        run.onProgress?.((done += 1), targets.length);
        return output;
      };
      return Promise.all(targets.map((target) => probe(target, run).then(counted)));
    },
    close: () => http.close(),
  };
}

export type Prober = ReturnType<typeof createProber>;

function assemble(
  target: Target,
  checkedAtMs: number,
  attemptLog: Attempt[],
  observation: Observation,
  verdict: ReturnType<typeof judge>,
): ProbeOutput {
  const result: CheckResult = {
    kind: target.kind,
    origin: target.origin,
    url: target.url,
    checkedAt: new Date(checkedAtMs).toISOString(),
    status: observation.status,
    outcome: verdict.outcome,
    latencyMs: observation.latencyMs,
    attempts: attemptLog.length,
    redirects: observation.redirects,
    finalUrl: observation.finalUrl,
    bytes: observation.bytes,
    truncated: observation.kind === 'response' && observation.truncated,
    requestId: verdict.requestId,
    retryAfter: verdict.retryAfter,
    leak: verdict.leak,
    error: verdict.error,
    attemptLog,
  };
  if (target.kind !== 'robots') return { result, robotsText: null };
  result.robotsState = robotsStateOf(verdict.outcome);
  const available = result.robotsState === 'available' && observation.kind === 'response';
  return { result, robotsText: available ? observation.body : null };
}

/** No attempt concluded inside the pass: not a failure of the target, and no observation of it. */
function notChecked(target: Target, checkedAtMs: number, attemptLog: Attempt[], reason: string): ProbeOutput {
  const result: CheckResult = {
    kind: target.kind,
    origin: target.origin,
    url: target.url,
    checkedAt: new Date(checkedAtMs).toISOString(),
    status: null,
    outcome: 'not_checked',
    latencyMs: 0,
    attempts: attemptLog.length,
    redirects: 0,
    finalUrl: target.url,
    bytes: 0,
    truncated: false,
    requestId: null,
    retryAfter: null,
    leak: [],
    error: `not checked: ${reason}`,
    attemptLog,
  };
  return { result, robotsText: null };
}
