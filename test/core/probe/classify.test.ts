import { isRetryable, judge, retryDelayMs, robotsStateOf } from '../../../lambdas/core/probe/classify';
import { isCrawlFailing, outcomeOfStatus, type Outcome } from '../../../lambdas/core/probe/outcome';
import type { Observation } from '../../../lambdas/core/probe/types';
import { pageTarget, robotsTarget } from '../../support/targets';

const NOW = Date.parse('2026-12-01T09:00:00Z');

function response(status: number, body = '', headers: Record<string, string> = {}): Observation {
  return {
    kind: 'response',
    status,
    headers,
    body,
    bytes: body.length,
    truncated: false,
    redirects: 0,
    finalUrl: 'https://a.example/',
    latencyMs: 5,
  };
}

describe('outcomeOfStatus', () => {
  test.each<[number, number[] | null, Outcome]>([
    [200, null, 'ok'],
    [204, null, 'ok'],
    [200, [200], 'ok'],
    [204, [200], 'unexpected_status'],
    [301, null, 'unexpected_status'],
    [404, [404], 'ok'], // a page expected to be gone
    [404, null, 'client_error'],
    [410, null, 'client_error'],
    [429, null, 'rate_limited'],
    [429, [429], 'rate_limited'], // 429 is never healthy: Google treats it as a server error
    [500, null, 'server_error'],
    [502, null, 'server_error'],
    [503, null, 'server_error'],
    [504, null, 'server_error'],
    [100, null, 'unexpected_status'],
  ])('%i with expectStatus %j is %s', (status, expect_, outcome) => {
    expect(outcomeOfStatus(status, expect_)).toBe(outcome);
  });
});

describe('crawl-failing outcomes (SEO-RULES.md: Google counts 429 and network errors like 5xx)', () => {
  test.each<[Outcome, boolean]>([
    ['server_error', true],
    ['rate_limited', true],
    ['timeout', true],
    ['dns', true],
    ['connect', true],
    ['reset', true],
    ['tls', true],
    ['ok', false],
    ['client_error', false],
    ['unexpected_status', false],
    ['assertion_failed', false],
    ['too_many_redirects', false],
    ['blocked', false],
  ])('%s → %s', (outcome, failing) => expect(isCrawlFailing(outcome)).toBe(failing));
});

describe('judge', () => {
  test('a 2xx whose body misses a required string fails its assertion', () => {
    const target = pageTarget('https://a.example/', { bodyContains: ['ok'] });
    expect(judge(target, response(200, 'degraded'), NOW)).toMatchObject({
      outcome: 'assertion_failed',
      error: 'body does not contain "ok"',
    });
  });

  test('a forbidden string fails the assertion; a truncated body says where it looked', () => {
    const target = pageTarget('https://a.example/', { bodyNotContains: ['Fatal error'], bodyContains: ['footer'] });
    expect(judge(target, response(200, 'Fatal error: x footer'), NOW).error).toBe('body contains "Fatal error"');
    const truncated: Observation = { ...response(200, 'head only'), truncated: true } as Observation;
    expect(judge(target, truncated, NOW).error).toBe('body does not contain "footer" (in the first part read)');
  });

  test('body rules are not applied to an error status', () => {
    const target = pageTarget('https://a.example/', { bodyContains: ['ok'] });
    expect(judge(target, response(503, 'down'), NOW).outcome).toBe('server_error');
  });

  test('leaks are looked for in 5xx bodies only', () => {
    const trace = 'Traceback (most recent call last):\n  File "/srv/app/views.py", line 3';
    expect(judge(pageTarget('https://a.example/'), response(500, trace), NOW).leak).toEqual([
      'stack-trace',
      'file-path',
    ]);
    expect(judge(pageTarget('https://a.example/'), response(200, trace), NOW).leak).toEqual([]);
  });

  test('request id and Retry-After come from the headers (seconds or HTTP date)', () => {
    const verdict = judge(
      pageTarget('https://a.example/'),
      response(503, '', { 'x-amz-cf-id': 'cf-1', 'retry-after': '120' }),
      NOW,
    );
    expect(verdict).toMatchObject({ requestId: 'cf-1', retryAfter: 120 });
    const dated = judge(
      pageTarget('https://a.example/'),
      response(503, '', { 'retry-after': 'Tue, 01 Dec 2026 09:05:00 GMT' }),
      NOW,
    );
    expect(dated.retryAfter).toBe(300);
  });

  test('robots.txt ignores expectStatus and body rules', () => {
    const target = robotsTarget('https://a.example', { expectStatus: [418], bodyContains: ['never'] });
    expect(judge(target, response(200, 'User-agent: *'), NOW).outcome).toBe('ok');
  });

  test('a network failure keeps its own outcome and message', () => {
    const failure: Observation = {
      kind: 'failure',
      failure: 'tls',
      error: 'self-signed certificate',
      status: null,
      headers: {},
      bytes: 0,
      redirects: 0,
      finalUrl: 'https://a.example/',
      latencyMs: 3,
    };
    expect(judge(pageTarget('https://a.example/'), failure, NOW)).toMatchObject({
      outcome: 'tls',
      error: 'self-signed certificate',
    });
  });
});

describe('retries', () => {
  test.each<[number, number, number | null, number]>([
    [0, 2_000, null, 2_000],
    [1, 2_000, null, 10_000],
    [2, 2_000, null, 50_000],
    [3, 2_000, null, 60_000], // capped
    [0, 2_000, 30, 30_000], // Retry-After longer than the backoff and under the cap is honoured
    [0, 2_000, 1, 2_000], // shorter: our backoff stands
    [0, 2_000, 3_600, 2_000], // beyond the cap: not waited for
  ])('retry %i with backoff %i and Retry-After %j waits %i ms', (index, backoff, retryAfter, expected) => {
    expect(retryDelayMs(index, backoff, retryAfter)).toBe(expected);
  });

  test('everything but ok, our own refusal and a check not made is retried', () => {
    expect(isRetryable('ok')).toBe(false);
    expect(isRetryable('blocked')).toBe(false);
    expect(isRetryable('not_checked')).toBe(false);
    expect(isRetryable('client_error')).toBe(true);
    expect(isRetryable('timeout')).toBe(true);
  });
});

describe('robotsStateOf (SEO-RULES.md, robots.txt; RFC 9309 2.3.1)', () => {
  test.each<[Outcome, string | undefined]>([
    ['not_checked', undefined], // no observation: no state
    ['ok', 'available'],
    ['client_error', 'unavailable'], // 4xx: no restrictions
    ['too_many_redirects', 'unavailable'], // more than 5 hops: treated as 404
    ['rate_limited', 'unreachable'], // 429: a server error (inference documented in SEO-RULES.md)
    ['server_error', 'unreachable'],
    ['timeout', 'unreachable'],
    ['dns', 'unreachable'],
    ['connect', 'unreachable'],
    ['reset', 'unreachable'],
    ['tls', 'unreachable'],
    ['unexpected_status', 'unreachable'], // an invalid response
  ])('%s → %s', (outcome, state) => expect(robotsStateOf(outcome)).toBe(state));
});
