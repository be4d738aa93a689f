/**
 * robots.txt unreachable (lambdas/core/tiers/robots-unreachable.ts; rules document, "robots.txt errors and
 * caching", "The 30-day mark, where sources differ"). Google's marks are 12 hours and 30 days; crawlguard's
 * are configurable, and its words keep the two apart.
 */
import { ROBOTS_CACHED_COPY, ROBOTS_CLIFF, ROBOTS_CLIFF_WARNING } from '../../../lambdas/core/tiers/robots-unreachable';
import { DAY, HOUR, T0 } from '../../support/simulation';
import { every5, raised, simulate, withPages } from './support';

describe('the unreachable family', () => {
  test('critical at once, cached copy at 12 hours, cliff warning at 25 days, cliff at 30 days: one incident', () => {
    const sim = simulate();
    sim.run(T0, T0 + 31 * DAY, HOUR, withPages({}, 500));
    const at = (tier: Parameters<typeof raised>[1]) => raised(sim, tier);
    expect(
      [at('robots-unreachable'), at('robots-cached-copy'), at('robots-cliff-warning'), at('robots-cliff')].map((r) => [
        r.firstAtHours,
        r.events[0]!.severity,
      ]),
    ).toEqual([
      [0, 'critical'],
      [12, 'critical'],
      [600, 'critical'],
      [720, 'critical'],
    ]);
    expect(new Set(sim.events.map((e) => e.incidentId)).size).toBe(1);
    expect(at('robots-cliff').events[0]!.notes.join(' ')).toContain('sources differ');
  });

  test('the cached copy: its rules, counted and referenced; without any good copy, no restrictions', () => {
    const withCopy = simulate();
    every5(withCopy, T0, T0 + HOUR, withPages({}, 200, 'User-agent: *\nDisallow: /checkout/\n'));
    every5(withCopy, T0 + HOUR, T0 + 14 * HOUR, withPages({}, 503));
    const cached = raised(withCopy, 'robots-cached-copy').events[0]!;
    expect(cached.detail).toMatchObject({
      rulesInForce: { Googlebot: ['Disallow: /checkout/'] },
      rulesInForceCount: { Googlebot: 1 },
      copyFetchedAt: new Date(T0).toISOString(),
    });
    expect(cached.searchEngines).toBe(
      'unreachable for 12 hours: Google crawls again (from 12 hours on), with its last good copy of robots.txt',
    );
    const without = simulate();
    every5(without, T0, T0 + 13 * HOUR, withPages({}, 503));
    expect(raised(without, 'robots-cached-copy').events[0]!.searchEngines).toContain(
      'no restrictions: it never had a good copy',
    );
  });

  test('robotsCachedCopyAfter 6h: raised at 6 hours, saying so, and that Google still waits until 12', () => {
    const sim = simulate('    robotsCachedCopyAfter: 6h');
    every5(sim, T0, T0 + 7 * HOUR, withPages({}, 503));
    const cached = raised(sim, 'robots-cached-copy');
    expect(cached.firstAtHours).toBe(6);
    expect(ROBOTS_CACHED_COPY.title(sim.site)).toBe('robots.txt down 6 hours: still no crawling');
    expect(cached.events[0]!.searchEngines).toBe(
      'unreachable for 6 hours: Google still crawls nothing; at 12 hours (in 6 hours) it crawls again, with no restrictions: it never had a good copy',
    );
  });

  test('the cliff reads differently when the site is failing too', () => {
    const available = simulate();
    available.run(T0, T0 + 31 * DAY, HOUR, withPages({}, 500));
    const failing = simulate();
    failing.run(T0, T0 + 31 * DAY, HOUR, withPages({ '/': 500, '/a': 500, '/b': 500 }, 500));
    expect(raised(available, 'robots-cliff').events[0]!.searchEngines).toContain('Google treats robots.txt as absent');
    expect(raised(failing, 'robots-cliff').events[0]!.searchEngines).toContain(
      'the site is failing too, so Google stops crawling it',
    );
  });

  test("configured cliff marks say their own days and keep Google's 30", () => {
    const site = simulate('    robotsCliffWarningAfter: 10d\n    robotsCliffAfter: 20d').site;
    expect(ROBOTS_CLIFF_WARNING.title(site)).toBe('robots.txt down 10 days: 10 days to the cliff');
    expect(ROBOTS_CLIFF_WARNING.consequence(site)).toBe('10 days to the 20-day robots.txt cliff');
    expect(ROBOTS_CLIFF.searchEngines(site)).toMatch(
      /^unreachable for 20 days: at 30 days \(in 10 days\) Google treats robots.txt as absent/,
    );
  });
});
