import type { Target } from '../../lambdas/core/probe/types';

/** A page target with test-friendly defaults: no retries, a short timeout, private network allowed. */
export function pageTarget(url: string, overrides: Partial<Target> = {}): Target {
  return {
    kind: 'page',
    origin: new URL(url).origin,
    url,
    expectStatus: null,
    bodyContains: [],
    bodyNotContains: [],
    timeoutMs: 1_000,
    retries: 0,
    retryBackoffMs: 10,
    userAgent: 'crawlguard-test',
    allowPrivateNetwork: true,
    privateNetworkOrigins: [],
    ...overrides,
  };
}

export function robotsTarget(origin: string, overrides: Partial<Target> = {}): Target {
  return pageTarget(`${origin}/robots.txt`, { kind: 'robots', ...overrides });
}
