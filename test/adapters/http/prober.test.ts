/**
 * The prober against real HTTP(S) servers on 127.0.0.1: one row per outcome. Nothing leaves loopback:
 * host names go through an injected resolver.
 */
import { createProber, MAX_PAGE_BYTES, MAX_ROBOTS_BYTES, type Prober } from '../../../lambdas/adapters/http/prober';
import type { Resolver } from '../../../lambdas/adapters/http/ssrf';
import type { Route } from '../../../demo/site';
import { behave, closedPort, LEAKY_500, startSite, type RunningSite } from '../../../demo/site';
import type { Target } from '../../../lambdas/core/probe/types';
import { pageTarget, robotsTarget } from '../../support/targets';

const resolver: Resolver = async (hostname) => {
  if (hostname === 'missing.test')
    throw Object.assign(new Error('getaddrinfo ENOTFOUND missing.test'), { code: 'ENOTFOUND' });
  if (hostname === 'metadata.test') return [{ address: '169.254.169.254', family: 4 }];
  return [{ address: '127.0.0.1', family: 4 }];
};

let site: RunningSite;
let tls: RunningSite;
let prober: Prober;
const run = () => ({ deadline: performance.now() + 20_000, clock: () => Date.parse('2026-12-01T09:00:00Z') });
const probe = (target: Target) => prober.probe(target, run()).then((o) => o.result);

/** Answers `first` to the first request of a path, then `then`. */
function flaky(first: Route, then: Route): Route {
  let calls = 0;
  return (req, res) => (calls++ === 0 ? first : then)(req, res);
}

const chain = (n: number): Record<string, Route> =>
  Object.fromEntries(
    Array.from({ length: n }, (_, i) => [`/hop${i}`, behave.redirect(i + 1 < n ? `/hop${i + 1}` : '/')]),
  );

beforeAll(async () => {
  site = await startSite({
    '/': behave.ok(),
    '/500': behave.status(500, LEAKY_500),
    '/502': behave.status(502, '<center>nginx/1.18.0</center>'),
    '/503': behave.status(503, 'maintenance', { 'retry-after': '120', 'x-request-id': 'req-503' }),
    '/504': behave.status(504),
    '/429': behave.status(429, '', { 'retry-after': '30', 'cf-ray': 'ray-1' }),
    '/404': behave.status(404),
    '/hang': behave.hang(),
    '/drip': behave.drip(100),
    '/reset': behave.resetMidBody(),
    '/reset-at-once': behave.resetAtOnce(),
    '/loop': behave.redirect('/loop2'),
    '/loop2': behave.redirect('/loop'),
    '/huge': behave.huge(5 * 1024 * 1024),
    '/bomb': behave.gzipBomb(64 * 1024 * 1024),
    '/garbage': behave.garbage(),
    '/flaky': flaky(behave.status(503), behave.ok()),
    '/health': behave.ok('{"status":"degraded"}'),
    ...chain(11),
  });
  tls = await startSite({ '/': behave.ok() }, { tls: true });
  prober = createProber({ concurrency: 20, perOriginConcurrency: 8, resolve: resolver });
});

afterAll(async () => {
  await prober.close();
  await site.close();
  await tls.close();
});

describe('one outcome per misbehaviour', () => {
  const cases: [string, string, Partial<Target>, Record<string, unknown>][] = [
    ['200', '/', {}, { status: 200, outcome: 'ok', bytes: 41, error: null }],
    [
      '500 with a leaking error page',
      '/500',
      {},
      { status: 500, outcome: 'server_error', leak: ['stack-trace', 'file-path', 'sql', 'version-banner'] },
    ],
    ['502 with a version banner', '/502', {}, { status: 502, outcome: 'server_error', leak: ['version-banner'] }],
    [
      '503 with Retry-After and a request id',
      '/503',
      {},
      { status: 503, outcome: 'server_error', retryAfter: 120, requestId: 'req-503', leak: [] },
    ],
    ['504', '/504', {}, { status: 504, outcome: 'server_error' }],
    ['429', '/429', {}, { status: 429, outcome: 'rate_limited', retryAfter: 30, requestId: 'ray-1' }],
    ['404', '/404', {}, { status: 404, outcome: 'client_error' }],
    ['a hang', '/hang', { timeoutMs: 300 }, { status: null, outcome: 'timeout', error: 'no response within 300 ms' }],
    [
      'a slow drip',
      '/drip',
      { timeoutMs: 300 },
      { status: 200, outcome: 'timeout', error: 'HTTP 200 but the body did not finish within 300 ms' },
    ],
    ['a reset mid-body', '/reset', {}, { status: 200, outcome: 'reset' }],
    ['a reset before any response', '/reset-at-once', {}, { status: null, outcome: 'reset' }],
    ['a malformed status line', '/garbage', {}, { status: null, outcome: 'reset' }],
    ['a redirect loop', '/loop', {}, { outcome: 'too_many_redirects', redirects: 1 }],
    [
      'more than 10 redirects',
      '/hop0',
      {},
      { outcome: 'too_many_redirects', redirects: 10, error: 'more than 10 redirects' },
    ],
    [
      'an oversized body is read up to the cap',
      '/huge',
      {},
      { status: 200, outcome: 'ok', bytes: MAX_PAGE_BYTES, truncated: true },
    ],
    [
      'a gzip bomb is inflated only up to the cap',
      '/bomb',
      {},
      { status: 200, outcome: 'ok', bytes: MAX_PAGE_BYTES, truncated: true },
    ],
    ['a body assertion', '/health', { bodyContains: ['"status":"ok"'] }, { status: 200, outcome: 'assertion_failed' }],
    [
      'an unexpected status',
      '/',
      { expectStatus: [204] },
      { status: 200, outcome: 'unexpected_status', error: 'expected 204, got 200' },
    ],
  ];
  test.each(cases)('%s', async (_name, path, overrides, expected) => {
    const result = await probe(pageTarget(`${site.origin}${path}`, overrides));
    expect(result).toMatchObject({
      url: `${site.origin}${path}`,
      attempts: 1,
      checkedAt: '2026-12-01T09:00:00.000Z',
      ...expected,
    });
    expect(result.attemptLog).toHaveLength(1);
  });

  test('a refused port is connect', async () => {
    const port = await closedPort();
    expect(await probe(pageTarget(`http://127.0.0.1:${port}/`))).toMatchObject({ status: null, outcome: 'connect' });
  });

  test('a self-signed certificate is tls', async () => {
    expect(await probe(pageTarget(`${tls.origin}/`))).toMatchObject({
      status: null,
      outcome: 'tls',
      error: 'self-signed certificate',
    });
  });

  test('a name that does not resolve is dns', async () => {
    expect(await probe(pageTarget(`http://missing.test:${site.port}/`))).toMatchObject({ outcome: 'dns' });
  });

  test('redirects are followed and counted', async () => {
    expect(await probe(pageTarget(`${site.origin}/hop5`))).toMatchObject({
      outcome: 'ok',
      redirects: 6,
      finalUrl: `${site.origin}/`,
    });
  });
});

describe('SSRF guard', () => {
  test.each([
    ['a loopback literal', () => `${site.origin}/`],
    ['a name resolving to loopback', () => `http://localhost.test:${site.port}/`],
    ['the instance metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a name resolving to the metadata address', () => 'http://metadata.test/'],
    ['an IPv6 loopback literal', () => 'http://[::1]:8080/'],
  ])('refuses %s unless allowPrivateNetwork', async (_name, url) => {
    const result = await probe(pageTarget(url(), { allowPrivateNetwork: false, retries: 2 }));
    expect(result).toMatchObject({ outcome: 'blocked', attempts: 1, status: null });
    expect(result.error).toContain('allowPrivateNetwork: true');
  });
});

describe('confirmation retries', () => {
  test('a failure that clears on retry is ok, and the log keeps what each attempt saw', async () => {
    const result = await probe(pageTarget(`${site.origin}/flaky`, { retries: 2 }));
    expect(result).toMatchObject({ outcome: 'ok', status: 200, attempts: 2 });
    expect(result.attemptLog.map((a) => [a.status, a.outcome])).toEqual([
      [503, 'server_error'],
      [200, 'ok'],
    ]);
  });

  test('a persistent failure uses every retry', async () => {
    const result = await probe(pageTarget(`${site.origin}/500`, { retries: 2 }));
    expect(result).toMatchObject({ outcome: 'server_error', attempts: 3 });
  });

  test('a retry that would not fit in the pass is not started', async () => {
    const result = await prober.probe(pageTarget(`${site.origin}/500`, { retries: 2, retryBackoffMs: 5_000 }), {
      ...run(),
      deadline: performance.now() + 1_000,
    });
    expect(result.result.attempts).toBe(1);
  });
});

describe('robots.txt', () => {
  let robots: RunningSite;
  beforeAll(async () => {
    robots = await startSite({});
  });
  afterAll(() => robots.close());

  const cases: [string, Route, Record<string, unknown>][] = [
    ['200 is available', behave.text('User-agent: *\nDisallow: /x\n'), { outcome: 'ok', robotsState: 'available' }],
    ['404 is unavailable', behave.status(404), { outcome: 'client_error', robotsState: 'unavailable' }],
    ['410 is unavailable', behave.status(410), { outcome: 'client_error', robotsState: 'unavailable' }],
    ['401 is unavailable', behave.status(401), { outcome: 'client_error', robotsState: 'unavailable' }],
    ['429 is unreachable', behave.status(429), { outcome: 'rate_limited', robotsState: 'unreachable' }],
    ['500 is unreachable', behave.status(500), { outcome: 'server_error', robotsState: 'unreachable' }],
    ['503 is unreachable', behave.status(503), { outcome: 'server_error', robotsState: 'unreachable' }],
    ['a hang is unreachable', behave.hang(), { outcome: 'timeout', robotsState: 'unreachable' }],
    ['a reset is unreachable', behave.resetAtOnce(), { outcome: 'reset', robotsState: 'unreachable' }],
  ];
  test.each(cases)('%s', async (_name, route, expected) => {
    robots.route('/robots.txt', route);
    const output = await prober.probe(robotsTarget(robots.origin, { timeoutMs: 300 }), run());
    expect(output.result).toMatchObject({ kind: 'robots', ...expected });
    expect(output.robotsText === null).toBe(expected.robotsState !== 'available');
  });

  test('5 redirects are followed; the 6th makes it unavailable (RFC 9309 2.3.1.2)', async () => {
    const hops = (n: number) => {
      for (let i = 0; i < n; i += 1) robots.route(`/r${i}`, behave.redirect(i + 1 < n ? `/r${i + 1}` : '/final.txt'));
      robots.route('/final.txt', behave.text('User-agent: *\nAllow: /\n'));
      robots.route('/robots.txt', behave.redirect('/r0'));
    };
    hops(4); // robots.txt → r0 … r3 → final: 5 redirects
    expect((await prober.probe(robotsTarget(robots.origin), run())).result).toMatchObject({
      outcome: 'ok',
      redirects: 5,
      robotsState: 'available',
    });
    hops(5); // 6 redirects
    expect((await prober.probe(robotsTarget(robots.origin), run())).result).toMatchObject({
      outcome: 'too_many_redirects',
      robotsState: 'unavailable',
    });
  });

  test('only the first 500 KiB are read, and the cut is flagged', async () => {
    const line = 'Disallow: /a-very-long-path-to-fill-the-file\n';
    robots.route('/robots.txt', behave.text(`User-agent: *\n${line.repeat(Math.ceil((600 * 1024) / line.length))}`));
    const output = await prober.probe(robotsTarget(robots.origin), run());
    expect(output.result).toMatchObject({ outcome: 'ok', truncated: true, bytes: MAX_ROBOTS_BYTES });
    expect(Buffer.byteLength(output.robotsText!)).toBe(MAX_ROBOTS_BYTES);
  });
});

describe('bounded passes', () => {
  test('hanging targets cannot stretch a pass past its deadline, and a check the pass cut short is not a timeout', async () => {
    const targets = Array.from({ length: 20 }, (_, i) =>
      pageTarget(`${site.origin}/hang?i=${i}`, { timeoutMs: 10_000, retries: 2 }),
    );
    const started = performance.now();
    const outputs = await prober.probeAll(targets, { deadline: started + 500, clock: Date.now });
    const elapsed = performance.now() - started;
    // Each request was sent (one attempt in the log) but its 10 s timeout never ran out: the pass ended first.
    // (This test once expected `timeout` here, which is how checks never judged came to page people.)
    // Those still queued behind them were never sent (0 attempts).
    expect(outputs.every((o) => o.result.outcome === 'not_checked' && o.result.status === null)).toBe(true);
    const sent = outputs.filter((o) => o.result.attempts === 1);
    expect(sent.map((o) => o.result.error)).toEqual(
      sent.map(() =>
        expect.stringMatching(/^not checked: the pass ended \d+ ms into this check, before its 10000 ms timeout$/),
      ),
    );
    expect(sent.length).toBeGreaterThan(0);
    const queued = outputs.filter((o) => o.result.attempts === 0);
    expect(queued.map((o) => o.result.error)).toEqual(
      queued.map(() => 'not checked: the pass ran out of time before this check could start'),
    );
    // Generous bound: the point is "about the deadline", not "10 s × 3 tries".
    expect(elapsed).toBeLessThan(3_000);
  });

  test('an aborted pass rejects instead of reporting made-up failures', async () => {
    const controller = new AbortController();
    const pending = prober.probeAll([pageTarget(`${site.origin}/hang`, { timeoutMs: 5_000 })], {
      ...run(),
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow();
  });
});
