/** What one check concluded. Exactly one per result; the JSON output and the rules speak these ids. */
export const OUTCOMES = [
  'ok',
  'server_error', // 5xx
  'rate_limited', // 429
  'client_error', // other 4xx
  'unexpected_status', // not in expectStatus and not 4xx/5xx (e.g. a 3xx without Location, a 204 when 200 is expected)
  'assertion_failed', // status fine, a body rule failed
  'timeout',
  'dns',
  'connect', // refused or unreachable
  'reset', // connection reset or a malformed response mid-protocol
  'tls',
  'too_many_redirects',
  'blocked', // refused by the SSRF guard: never sent
  'not_checked', // the pass ended before this check could be made or finished (`error` says why): no observation
] as const;

export type Outcome = (typeof OUTCOMES)[number];

/** Outcomes that can end before a status line arrives. */
export type NetworkFailure = 'timeout' | 'dns' | 'connect' | 'reset' | 'tls' | 'too_many_redirects' | 'blocked';

/**
 * Outcomes search engines treat as server errors: they slow crawling and, if they last, drop URLs.
 * Google counts 429 and network errors (timeouts, resets, DNS) like 5xx
 * (SEO-RULES.md: "HTTP status codes, network and DNS errors"; "DNS and network errors").
 */
export const CRAWL_FAILING: ReadonlySet<Outcome> = new Set<Outcome>([
  'server_error',
  'rate_limited',
  'timeout',
  'dns',
  'connect',
  'reset',
  'tls',
]);

export function isCrawlFailing(outcome: Outcome): boolean {
  return CRAWL_FAILING.has(outcome);
}

/** The outcome a status alone decides; `expectStatus` null means any 2xx. */
export function outcomeOfStatus(status: number, expectStatus: readonly number[] | null): Outcome {
  if (status === 429) return 'rate_limited';
  if (expectStatus?.includes(status)) return 'ok';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  if (expectStatus === null && status >= 200 && status < 300) return 'ok';
  return 'unexpected_status';
}
