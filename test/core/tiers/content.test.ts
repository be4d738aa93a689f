/** Per-URL content and assertions (lambdas/core/tiers/content.ts; rules document, "Answers that are not the page"). */
import { HOUR, MINUTE, T0 } from '../../support/simulation';
import { every5, oncePerIncident, raised, simulate, withPages } from './support';

describe('url-assertion-failed', () => {
  test.each([
    ['a 200 error page (a body rule)', { status: 200, body: 'assertion' as const }, /soft 404/],
    ['a 404', 404, /gone or off-limits/],
  ])('warning for %s, on the second such pass, with no deindex clock', (_name, answer, words) => {
    const sim = simulate();
    every5(sim, T0, T0 + 3 * HOUR, withPages({ '/a': answer }));
    const { events, firstAtHours } = raised(sim, 'url-assertion-failed');
    expect([firstAtHours, events[0]!.severity]).toEqual([0.08, 'warning']);
    expect(events[0]!.searchEngines).toMatch(words);
    expect(raised(sim, 'url-deindex-risk').events).toEqual([]);
    expect(oncePerIncident(events)).toBe(true);
  });

  test('repeated every remindEvery while it lasts', () => {
    const sim = simulate('    remindEvery: 1h');
    sim.run(T0, T0 + 3 * HOUR, 5 * MINUTE, withPages({ '/a': 404 }));
    expect(raised(sim, 'url-assertion-failed').events.map((e) => e.reminder)).toEqual([0, 1, 2]);
  });
});
