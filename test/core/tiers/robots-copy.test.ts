/** What the fetched robots.txt says (lambdas/core/tiers/robots-copy.ts; rules document, "robots.txt errors and caching"). */
import { HOUR, T0 } from '../../support/simulation';
import { every5, healthy, raised, simulate, withPages } from './support';

describe('robots-missing', () => {
  test('warning on the second 4xx pass; critical when the last good copy had disallow rules', () => {
    const plain = simulate();
    every5(plain, T0, T0 + HOUR, withPages({}, 404));
    expect([raised(plain, 'robots-missing').firstAtHours, raised(plain, 'robots-missing').events[0]!.severity]).toEqual(
      [0.08, 'warning'],
    );
    const lost = simulate();
    every5(lost, T0, T0 + HOUR, withPages({}, 200, 'User-agent: *\nDisallow: /private/\n'));
    every5(lost, T0 + HOUR, T0 + 2 * HOUR, withPages({}, 410));
    const missing = raised(lost, 'robots-missing').events[0]!;
    expect(missing).toMatchObject({ severity: 'critical', detail: { lastGoodDisallows: true } });
    expect(missing.searchEngines).toContain('disallow rules of the last good copy no longer protect anything');
  });
});

describe('robots-blocks-site, robots-changed, robots-truncated', () => {
  test('blocks-site: critical on the first copy that disallows / for a configured agent', () => {
    const sim = simulate();
    every5(sim, T0, T0 + HOUR, withPages({}, 200, 'User-agent: Googlebot\nDisallow: /\n'));
    expect([
      raised(sim, 'robots-blocks-site').firstAtHours,
      raised(sim, 'robots-blocks-site').events[0]!.severity,
    ]).toEqual([0, 'critical']);
  });

  test('changed: info, on the first copy that differs from the last good one (the first is the baseline)', () => {
    const sim = simulate();
    every5(sim, T0, T0 + HOUR, healthy);
    every5(sim, T0 + HOUR, T0 + 2 * HOUR, withPages({}, 200, 'User-agent: *\nDisallow: /admin/\nDisallow: /tmp/\n'));
    const { events, firstAtHours } = raised(sim, 'robots-changed');
    expect([firstAtHours, events.length, events[0]!.severity]).toEqual([1, 1, 'info']);
  });

  test('truncated: warning on the first copy over 500 KiB', () => {
    const sim = simulate();
    every5(sim, T0, T0 + HOUR, { ...healthy, robotsTruncated: true });
    expect([raised(sim, 'robots-truncated').firstAtHours, raised(sim, 'robots-truncated').events[0]!.severity]).toEqual(
      [0, 'warning'],
    );
  });
});
