/**
 * What every event carries, whatever its tier (lambdas/core/rules/build.ts), and the check-first hints
 * by cause (lambdas/core/rules/hints.ts). The tiers themselves: test/core/tiers/.
 */
import { HOUR, MINUTE, T0, type PassSpec } from '../../support/simulation';
import { every5, simulate, withPages } from '../tiers/support';

describe('events', () => {
  test('every event carries the fields of the contract', () => {
    const sim = simulate();
    every5(sim, T0, T0 + 25 * HOUR, withPages({ '/a': 502 }));
    const risk = sim.events.find((e) => e.tier === 'url-deindex-risk')!;
    expect(risk).toMatchObject({
      tier: 'url-deindex-risk',
      severity: 'critical',
      origin: 'https://shop.example',
      url: 'https://shop.example/a',
      incidentStart: new Date(T0).toISOString(),
      at: new Date(T0 + 24 * HOUR).toISOString(),
      elapsedMs: 24 * HOUR,
      status: 502,
      outcome: 'server_error',
      requestId: `req-${new Date(T0 + 24 * HOUR).toISOString()}`,
      nextTier: { tier: 'url-deindex-critical', inMs: 24 * HOUR },
      checkFirst: 'a dead upstream: PHP-FPM, the app server or container behind the proxy',
    });
    expect(risk.id).toBe(`${risk.incidentId}:url-deindex-risk`);
    expect(risk.searchEngines).toMatch(/1-2 days/);
    expect(risk.source).toBe(
      'Google Search Central, "Reduce the Googlebot crawl rate" (https://developers.google.com/crawling/docs/crawlers-fetchers/reduce-crawl-rate)',
    );
  });
});

describe('check-first hints by cause', () => {
  test.each<[string, PassSpec['pages'], string, RegExp]>([
    [
      'the same 5xx on every URL: server configuration',
      { '/': 500, '/a': 500, '/b': 500, '/c': 500 },
      '/a',
      /\.htaccess|permissions|full disk/,
    ],
    ['one URL: application code', { '/a': 500 }, '/a', /application code/],
    ['502: a dead upstream', { '/a': 502 }, '/a', /PHP-FPM/],
    ['504: slow upstreams or time limits', { '/a': 504 }, '/a', /time limit/],
    ['timeouts: slow upstreams or time limits', { '/a': 'timeout' }, '/a', /time limit/],
    ['429: rate limiting or a WAF', { '/a': 429 }, '/a', /WAF/],
    ['dns: DNS records', { '/a': 'dns' }, '/a', /DNS records/],
    ['tls: certificates', { '/a': 'tls' }, '/a', /certificate/],
  ])('%s', (_name, pages, path, hint) => {
    const sim = simulate();
    every5(sim, T0, T0 + 10 * MINUTE, withPages(pages));
    const down = sim.events.find((e) => e.tier === 'url-down' && e.url?.endsWith(path))!;
    expect(down.checkFirst).toMatch(hint);
  });
});
