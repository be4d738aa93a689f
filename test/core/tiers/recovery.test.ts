/** recovered (lambdas/core/tiers/recovery.ts): the close of an incident that raised something. */
import { HOUR, T0 } from '../../support/simulation';
import { every5, healthy, raised, simulate, withPages } from './support';

test('recovered: info, after successThreshold (2) healthy passes, with the duration and the tiers reached', () => {
  const sim = simulate();
  every5(sim, T0, T0 + HOUR, withPages({ '/a': 500 }));
  every5(sim, T0 + HOUR, T0 + 2 * HOUR, healthy);
  const { events, firstAtHours } = raised(sim, 'recovered');
  expect([firstAtHours, events.length, events[0]!.severity]).toEqual([1.08, 1, 'info']);
  expect(events[0]!.detail).toEqual({ durationMs: HOUR, duration: '1h', tiersReached: ['url-down'] });
  expect(events[0]!.searchEngines).toBe('answering normally again: Google raises the crawl rate back gradually');
});

test('an incident that raised nothing closes silently', () => {
  const sim = simulate();
  sim.pass(T0, withPages({ '/a': 500 }));
  every5(sim, T0 + 5 * 60_000, T0 + HOUR, healthy);
  expect(sim.events).toEqual([]);
});
