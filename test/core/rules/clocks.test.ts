import { openClocks } from '../../../lambdas/core/rules/clocks';
import { DAY, HOUR, MINUTE, Simulation, siteOf, T0 } from '../../support/simulation';

const SITE = `sites:\n  - origin: https://shop.example\n    urls: [/, /a]\n`;
const at = (ms: number) => new Date(ms).toISOString();

test('robots.txt unreachable for 13h05m: the cached copy, and the time to the cliff', () => {
  const sim = new Simulation(siteOf(SITE));
  sim.run(T0, T0 + 13 * HOUR + 5 * MINUTE, 5 * MINUTE, { pages: { '/': 200, '/a': 200 }, robots: 503 });
  const [clock] = openClocks(sim.state!, sim.site, at(T0 + 13 * HOUR + 5 * MINUTE));
  expect(clock).toMatchObject({
    kind: 'robots-unreachable',
    tier: 'robots-cached-copy',
    elapsedMs: 13 * HOUR + 5 * MINUTE,
    next: { tier: 'robots-cliff' },
  });
  expect(clock!.summary).toBe(
    'robots.txt unreachable for 13h05m, search engines use the cached copy; 29d10h to the 30-day cliff',
  );
});

test('a failing URL: its tier and the time to the next mark; nothing once healthy', () => {
  const sim = new Simulation(siteOf(SITE));
  sim.run(T0, T0 + 2 * HOUR, 5 * MINUTE, { pages: { '/': 200, '/a': 500 }, robots: 200 });
  const clocks = openClocks(sim.state!, sim.site, at(T0 + 2 * HOUR));
  expect(clocks.map((c) => c.summary)).toEqual([
    'https://shop.example/a failing for 2h (url-down); 22h to the 24-hour deindex-risk mark',
  ]);
  sim.run(T0 + 2 * HOUR, T0 + 3 * HOUR, 5 * MINUTE, { pages: { '/': 200, '/a': 200 }, robots: 200 });
  expect(openClocks(sim.state!, sim.site, at(T0 + 3 * HOUR))).toEqual([]);
});

test('an unconfirmed failure says so', () => {
  const sim = new Simulation(siteOf(SITE));
  sim.pass(T0, { pages: { '/': 200, '/a': 'timeout' }, robots: 200 });
  expect(openClocks(sim.state!, sim.site, at(T0 + MINUTE))[0]!.summary).toBe(
    'https://shop.example/a failing for 1m, not confirmed yet; 23h59m to the 24-hour deindex-risk mark',
  );
});

test('past the cliff', () => {
  const sim = new Simulation(siteOf(SITE));
  sim.run(T0, T0 + 31 * DAY, 6 * HOUR, { pages: { '/': 200, '/a': 200 }, robots: 'timeout' });
  expect(openClocks(sim.state!, sim.site, at(T0 + 31 * DAY))[0]!.summary).toMatch(
    /^robots.txt unreachable for 31d, past Google's 30-day cliff/,
  );
});
