/** The origin (lambdas/core/tiers/origin.ts; rules document, "Server errors slow crawling"). */
import { HOUR, T0 } from '../../support/simulation';
import { every5, raised, simulate, withPages } from './support';

describe('origin-crawl-slowdown and origin-outage', () => {
  test('warning when a quarter of the URLs fail (and at least 2), on the second such pass', () => {
    const sim = simulate();
    every5(sim, T0, T0 + HOUR, withPages({ '/a': 500, '/b': 500 })); // 2 of 4, but / answers
    const { events, firstAtHours } = raised(sim, 'origin-crawl-slowdown');
    expect([firstAtHours, events[0]!.severity, events[0]!.url]).toEqual([0.08, 'warning', null]);
    expect(events[0]!.detail).toMatchObject({ failingUrls: 2, totalUrls: 4 });
    expect(raised(sim, 'origin-outage').events).toEqual([]);
  });

  test('critical when / and half the URLs fail; the slowdown counts as passed', () => {
    const sim = simulate();
    every5(sim, T0, T0 + HOUR, withPages({ '/': 502, '/a': 502 }));
    expect([raised(sim, 'origin-outage').firstAtHours, raised(sim, 'origin-outage').events[0]!.severity]).toEqual([
      0.08,
      'critical',
    ]);
    expect(raised(sim, 'origin-crawl-slowdown').events).toEqual([]);
  });
});
