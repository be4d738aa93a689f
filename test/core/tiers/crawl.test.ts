/**
 * Per-URL crawl failures (lambdas/core/tiers/crawl.ts; docs/search-engine-rules.md, "Server errors slow
 * crawling", "How long errors are tolerated"). Severities and marks are stated here as literals: a change
 * to the declarations fails these tests.
 */
import { URL_DEINDEX_CRITICAL, URL_DEINDEX_RISK, URL_DOWN, URL_ERROR_LEAK } from '../../../lambdas/core/tiers/crawl';
import { HOUR, T0 } from '../../support/simulation';
import { every5, oncePerIncident, raised, simulate, withPages } from './support';

describe('url-down', () => {
  test('warning, on the second failing pass (failureThreshold 2), once per incident', () => {
    const sim = simulate();
    every5(sim, T0, T0 + HOUR, withPages({ '/a': 500 }));
    const { events, firstAtHours } = raised(sim, 'url-down');
    expect(firstAtHours).toBe(0.08); // 5 minutes
    expect(events[0]).toMatchObject({
      severity: 'warning',
      url: 'https://shop.example/a',
      nextTier: { tier: 'url-deindex-risk', inMs: 23 * HOUR + 55 * 60_000 },
    });
    expect(oncePerIncident(events)).toBe(true);
    expect(events[0]!.source).toContain(
      'https://developers.google.com/crawling/docs/troubleshooting/http-status-codes',
    );
  });

  test('a 503 inside a maintenance window does not confirm it; the clock runs anyway', () => {
    const sim = simulate('    maintenance:\n      - { start: 2026-12-01T00:00:00Z, end: 2026-12-02T00:00:00Z }');
    every5(sim, T0, T0 + 25 * HOUR, withPages({ '/a': 503 }));
    expect(raised(sim, 'url-down').events).toEqual([]);
    expect(raised(sim, 'url-deindex-risk').firstAtHours).toBe(24);
  });

  test('its words', () => {
    const site = simulate().site;
    expect([URL_DOWN.title(site), URL_DOWN.consequence(site), URL_DOWN.searchEngines(site)]).toEqual([
      'URL down',
      'Google slows crawling',
      'Google slows its crawling of this host and keeps the URL indexed for now',
    ]);
  });
});

describe('url-deindex-risk and url-deindex-critical', () => {
  test('critical at 24 hours, then critical at 48 hours, in one incident', () => {
    const sim = simulate();
    every5(sim, T0, T0 + 49 * HOUR, withPages({ '/a': 'timeout' }));
    expect([raised(sim, 'url-deindex-risk').firstAtHours, raised(sim, 'url-deindex-critical').firstAtHours]).toEqual([
      24, 48,
    ]);
    const [risk] = raised(sim, 'url-deindex-risk').events;
    expect(risk).toMatchObject({
      severity: 'critical',
      elapsedMs: 24 * HOUR,
      nextTier: { tier: 'url-deindex-critical', inMs: 24 * HOUR },
    });
    expect(raised(sim, 'url-deindex-critical').events[0]!.severity).toBe('critical');
    expect(new Set(sim.events.map((e) => e.incidentId)).size).toBe(1);
  });

  test('configured marks: deindexRiskAfter 36h, deindexCriticalAfter 72h fire then, and every word says so', () => {
    const sim = simulate('    deindexRiskAfter: 36h\n    deindexCriticalAfter: 72h');
    every5(sim, T0, T0 + 73 * HOUR, withPages({ '/a': 502 }));
    expect([raised(sim, 'url-deindex-risk').firstAtHours, raised(sim, 'url-deindex-critical').firstAtHours]).toEqual([
      36, 72,
    ]);
    expect(URL_DEINDEX_RISK.title(sim.site)).toBe('URL failing for 36 hours: deindex risk');
    expect(URL_DEINDEX_CRITICAL.title(sim.site)).toBe('URL failing for 72 hours: deindex critical');
    expect(raised(sim, 'url-deindex-risk').events[0]!.searchEngines).toBe(
      'failing for 36 hours: Google tolerates errors for "a couple of hours, or 1-2 days"; past that the URL may start dropping out of its index',
    );
    expect(URL_DEINDEX_RISK.mark(sim.site)).toBe('the 36-hour deindex-risk mark');
  });

  test("a mark shorter than Google's day does not claim the URL is dropping yet", () => {
    const site = simulate('    deindexRiskAfter: 6h').site;
    expect(URL_DEINDEX_RISK.consequence(site)).toBe('deindex risk from 1-2 days');
    expect(URL_DEINDEX_RISK.consequence(simulate().site)).toBe("URL may start dropping from Google's index");
  });
});

describe('url-error-leak', () => {
  test('warning, on the first failing pass that shows internals', () => {
    const sim = simulate();
    every5(sim, T0, T0 + HOUR, withPages({ '/c': { status: 500, leak: ['stack-trace'] } }));
    const { events, firstAtHours } = raised(sim, 'url-error-leak');
    expect([firstAtHours, events[0]!.severity, events[0]!.detail]).toEqual([0, 'warning', { leak: ['stack-trace'] }]);
    expect(URL_ERROR_LEAK.severity).toBe('warning');
  });
});
