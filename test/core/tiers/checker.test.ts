/** crawlguard's own schedule (lambdas/core/tiers/checker.ts); the rules of not_checked: test/core/rules/not-checked.test.ts. */
import { HOUR, T0 } from '../../support/simulation';
import { every5, raised, simulate, withPages } from './support';

test('checks-skipped: warning on the second pass in a row with checks not made, about crawlguard, never the site', () => {
  const sim = simulate();
  every5(sim, T0, T0 + HOUR, withPages({ '/c': 'not_checked' }));
  const { events, firstAtHours } = raised(sim, 'checks-skipped');
  expect([firstAtHours, events.length, events[0]!.severity, events[0]!.url]).toEqual([0.08, 1, 'warning', null]);
  expect(events[0]!.searchEngines).toMatch(/^nothing: this is about crawlguard's schedule, not the site/);
  expect(events[0]!.detail).toEqual({ notChecked: 1, checks: 5, reasons: ['not checked'] });
});
