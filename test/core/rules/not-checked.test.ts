/**
 * A check that was not made (outcome not_checked) is no observation: it moves no streak, starts or stops
 * no clock, raises no site tier, and leaves a gap in an open incident. Only the checks-skipped tier,
 * about crawlguard's own schedule, follows from it (README, "Checks not made").
 */
import fc from 'fast-check';
import type { Answer, PassSpec } from '../../support/simulation';
import { HOUR, MINUTE, Simulation, siteOf, T0, timeline } from '../../support/simulation';

const SITE = `sites:\n  - origin: https://shop.example\n    urls: [/, /a, /b, /c]\n`;
const PATHS = ['/', '/a', '/b', '/c'];
const pass = (answers: Partial<Record<string, Answer>>, robots: Answer = 200): PassSpec => ({
  pages: Object.fromEntries(PATHS.map((p) => [p, answers[p] ?? 200])),
  robots,
});
const allNotChecked = pass(Object.fromEntries(PATHS.map((p) => [p, 'not_checked'])), 'not_checked');

test('a pass that checked nothing raises nothing but checks-skipped, however long it lasts', () => {
  const sim = new Simulation(siteOf(SITE));
  sim.run(T0, T0 + 3 * HOUR, 5 * MINUTE, allNotChecked);
  expect(timeline(sim.events)).toEqual([['checks-skipped', 0.08, 'origin']]);
  expect(sim.events[0]!.detail).toEqual({ notChecked: 5, checks: 5, reasons: ['not checked'] });
  expect(sim.events[0]!.severity).toBe('warning');
  expect(sim.events[0]!.checkFirst).toContain('limits.perOriginConcurrency');
  expect(sim.state?.urls).toEqual({}); // nothing is known of URLs never checked
});

test('an open outage is not closed, extended or escalated by passes that did not check it; the gap is recorded', () => {
  const sim = new Simulation(siteOf(SITE));
  sim.run(T0, T0 + 30 * MINUTE, 5 * MINUTE, pass({ '/a': 500 }));
  const incident = sim.state!.urls['https://shop.example/a']!.crawl!;
  sim.run(T0 + 30 * MINUTE, T0 + 45 * MINUTE, 5 * MINUTE, pass({ '/a': 'not_checked' }));
  const during = sim.state!.urls['https://shop.example/a']!.crawl!;
  expect({ ...during, unobserved: undefined }).toEqual(incident); // no streak moved, no clock moved
  // Healthy once checked again: two healthy passes close it, the unchecked ones counted for nothing.
  sim.run(T0 + 45 * MINUTE, T0 + 55 * MINUTE, 5 * MINUTE, pass({}));
  const recovered = sim.events.find((e) => e.tier === 'recovered' && e.url === 'https://shop.example/a')!;
  expect(recovered.at).toBe(new Date(T0 + 50 * MINUTE).toISOString());
  expect(recovered.gaps).toEqual([
    { from: new Date(T0 + 25 * MINUTE).toISOString(), to: new Date(T0 + 45 * MINUTE).toISOString() },
  ]);
  expect(
    sim.events.map((e) => e.tier).filter((t) => t !== 'url-down' && t !== 'recovered' && t !== 'checks-skipped'),
  ).toEqual([]);
});

test('robots.txt not checked opens no unreachable clock and keeps an open one where it was', () => {
  const sim = new Simulation(siteOf(SITE));
  sim.run(T0, T0 + HOUR, 5 * MINUTE, pass({}, 'not_checked'));
  expect(sim.events.map((e) => e.tier)).toEqual(['checks-skipped']);
  expect(sim.state!.robots).toBeNull();
  sim.pass(T0 + HOUR, pass({}, 503));
  sim.run(T0 + HOUR + 5 * MINUTE, T0 + 14 * HOUR, 5 * MINUTE, pass({}, 'not_checked'));
  // robots-cached-copy needs 12 hours of observed failure; unchecked passes never fire it. The one checked
  // pass was not enough to close checks-skipped (successThreshold 2): it is still the same incident.
  expect(sim.events.map((e) => e.tier)).toEqual(['checks-skipped', 'robots-unreachable']);
  expect(sim.state!.robots!.unreachable).toMatchObject({
    lastCheckedAt: new Date(T0 + HOUR).toISOString(),
    unobserved: true,
  });
});

test('property: not_checked answers never raise a site tier: each is about a target observed (failing) in its own pass', () => {
  const answer = fc.constantFrom<Answer>(200, 500, 503, 'timeout', 404);
  const passes = fc.array(
    fc.tuple(fc.array(answer, { minLength: 5, maxLength: 5 }), fc.array(fc.boolean(), { minLength: 5, maxLength: 5 })),
    { minLength: 1, maxLength: 40 },
  );
  fc.assert(
    fc.property(passes, (spec) => {
      const withSkips = new Simulation(siteOf(SITE));
      spec.forEach(([answers, skip], i) =>
        withSkips.pass(T0 + i * 5 * MINUTE, {
          pages: Object.fromEntries(PATHS.map((p, j) => [p, skip[j] ? 'not_checked' : answers[j]!])),
          robots: skip[4] ? 'not_checked' : answers[4]!,
        }),
      );
      // Every site-tier event of the run with skips is about a URL (or the origin) observed failing in that very pass.
      for (const event of withSkips.events.filter((e) => e.tier !== 'checks-skipped' && e.tier !== 'recovered')) {
        const i = Math.round((Date.parse(event.at) - T0) / (5 * MINUTE));
        const [answers, skip] = spec[i]!;
        const index = event.url
          ? PATHS.indexOf(new URL(event.url).pathname)
          : event.tier.startsWith('robots-')
            ? 4
            : -1;
        if (index >= 0) expect(skip[index]).toBe(false);
        if (index >= 0 && event.tier !== 'robots-changed') expect(answers[index]).not.toBe(200);
        if (index === -1) expect(skip.slice(0, 4).every((s) => !s)).toBe(true); // origin tiers only on complete passes
      }
    }),
    { numRuns: 300 },
  );
});
