import type { CheckResult } from '../../../lambdas/core/probe/types';
import { applyResults } from '../../../lambdas/core/state/latest';

const ORIGIN = 'https://a.example';

function result(url: string, outcome: CheckResult['outcome'], status: number | null, checkedAt: string, kind: CheckResult['kind'] = 'page'): CheckResult {
  return {
    kind, origin: ORIGIN, url: `${ORIGIN}${url}`, checkedAt, status, outcome, latencyMs: 1, attempts: 1, redirects: 0, finalUrl: `${ORIGIN}${url}`,
    bytes: 0, truncated: false, requestId: null, retryAfter: null, leak: [], error: null, attemptLog: [],
    ...(kind === 'robots' ? { robotsState: outcome === 'ok' ? 'available' : 'unreachable' } : {}),
  } as CheckResult;
}

const t = (minute: number) => new Date(Date.UTC(2026, 11, 1, 9, minute)).toISOString();

describe('applyResults', () => {
  test('the first pass creates the state with streak 1 and since = the check time', () => {
    const state = applyResults(null, ORIGIN, t(0), [result('/', 'ok', 200, t(0)), result('/robots.txt', 'ok', 200, t(0), 'robots')], 2);
    expect(state).toEqual({
      origin: ORIGIN,
      appliedAt: t(0),
      urls: { [`${ORIGIN}/`]: { outcome: 'ok', status: 200, since: t(0), streak: 1 } },
      robots: { outcome: 'ok', status: 200, since: t(0), streak: 1, state: 'available' },
    });
  });

  test('streaks grow to the cap, then a steady pass returns the same object (no write)', () => {
    let state = applyResults(null, ORIGIN, t(0), [result('/', 'ok', 200, t(0))], 2);
    state = applyResults(state, ORIGIN, t(5), [result('/', 'ok', 200, t(5))], 2);
    expect(state.urls[`${ORIGIN}/`]).toEqual({ outcome: 'ok', status: 200, since: t(0), streak: 2 });
    const steady = applyResults(state, ORIGIN, t(10), [result('/', 'ok', 200, t(10))], 2);
    expect(steady).toBe(state);
  });

  test('a new outcome or status starts a new run', () => {
    const first = applyResults(null, ORIGIN, t(0), [result('/', 'server_error', 500, t(0))], 2);
    const second = applyResults(first, ORIGIN, t(5), [result('/', 'server_error', 503, t(5))], 2);
    expect(second.urls[`${ORIGIN}/`]).toEqual({ outcome: 'server_error', status: 503, since: t(5), streak: 1 });
    expect(second.appliedAt).toBe(t(5));
  });

  test('a pass not later than the last applied one is a replay and changes nothing', () => {
    const state = applyResults(null, ORIGIN, t(5), [result('/', 'ok', 200, t(5))], 2);
    expect(applyResults(state, ORIGIN, t(5), [result('/', 'server_error', 500, t(5))], 2)).toBe(state);
    expect(applyResults(state, ORIGIN, t(0), [result('/', 'server_error', 500, t(0))], 2)).toBe(state);
  });

  test('URLs removed from the config leave the state', () => {
    const state = applyResults(null, ORIGIN, t(0), [result('/', 'ok', 200, t(0)), result('/old', 'ok', 200, t(0))], 1);
    const next = applyResults(state, ORIGIN, t(5), [result('/', 'ok', 200, t(5))], 1);
    expect(Object.keys(next.urls)).toEqual([`${ORIGIN}/`]);
  });

  test('inputs are not mutated', () => {
    const state = applyResults(null, ORIGIN, t(0), [result('/', 'ok', 200, t(0))], 3);
    const frozen = JSON.stringify(state);
    applyResults(state, ORIGIN, t(5), [result('/', 'timeout', null, t(5))], 3);
    expect(JSON.stringify(state)).toBe(frozen);
  });
});
