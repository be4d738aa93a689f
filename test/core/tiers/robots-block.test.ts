/** Robots blocking (lambdas/core/tiers/robots-block.ts; rules document, "robots.txt errors and caching"). */
import { HOUR, MINUTE, T0 } from '../../support/simulation';
import { every5, healthy, raised, simulate, withPages } from './support';

describe('url-blocked-by-robots', () => {
  test('critical, on the first copy that disallows a monitored URL, naming the agent and the rule', () => {
    const sim = simulate('    agents: [Googlebot, Bingbot]');
    every5(sim, T0, T0 + HOUR, healthy);
    every5(sim, T0 + HOUR, T0 + 2 * HOUR, withPages({}, 200, 'User-agent: Bingbot\nDisallow: /c\n'));
    const { events, firstAtHours } = raised(sim, 'url-blocked-by-robots');
    expect([firstAtHours, events.length, events[0]!.severity]).toEqual([1, 1, 'critical']);
    expect(events[0]!.detail).toEqual({ disallowedFor: [{ agent: 'Bingbot', rule: 'Disallow: /c (line 2)' }] });
  });

  test('raised once, never repeated: the rule says the same on every fetch', () => {
    const sim = simulate('    remindEvery: 1h');
    sim.run(T0, T0 + 4 * HOUR, 5 * MINUTE, withPages({}, 200, 'User-agent: *\nDisallow: /b\n'));
    expect(raised(sim, 'url-blocked-by-robots').events).toHaveLength(1);
  });
});
