/** Timeline simulations: the exact event sequence for the stories the rules exist for. */
import { DAY, HOUR, MINUTE, Simulation, siteOf, T0, timeline, type PassSpec } from '../../support/simulation';
import { sha256Hex } from '../../../lambdas/core/robots/analyse';

const SITE = `sites:\n  - origin: https://shop.example\n    urls: [/, /a, /b, /c]\n`;
const ALL_OK = { '/': 200, '/a': 200, '/b': 200, '/c': 200 } as const;
const every5 = (sim: Simulation, fromMs: number, toMs: number, spec: PassSpec | ((t: number) => PassSpec)) =>
  sim.run(fromMs, toMs, 5 * MINUTE, spec);

test('a 40-day robots.txt outage, passes every 5 minutes (robots.txt specification; RFC 9309 2.3.1.4)', () => {
  const sim = new Simulation(siteOf(SITE));
  every5(sim, T0 - HOUR, T0, { pages: ALL_OK, robots: 200 }); // a good copy first
  every5(sim, T0, T0 + 40 * DAY, { pages: ALL_OK, robots: 503 });
  every5(sim, T0 + 40 * DAY, T0 + 40 * DAY + HOUR, { pages: ALL_OK, robots: 200 });
  expect(timeline(sim.events)).toEqual([
    ['robots-unreachable', 0, 'origin'],
    ['robots-cached-copy', 12, 'origin'],
    ['robots-cliff-warning', 25 * 24, 'origin'],
    ['robots-cliff', 30 * 24, 'origin'],
    ['recovered', 40 * 24 + 0.08, 'origin'], // the second healthy pass closes it
  ]);
  expect(new Set(sim.events.map((e) => e.incidentId)).size).toBe(1);
  expect(sim.events.at(-1)!.detail).toMatchObject({
    durationMs: 40 * DAY,
    tiersReached: ['robots-unreachable', 'robots-cached-copy', 'robots-cliff-warning', 'robots-cliff'],
  });
});

test('a URL flapping 200/500 keeps one incident and one clock (successThreshold 2 never reached)', () => {
  const sim = new Simulation(siteOf(SITE));
  let n = 0;
  every5(sim, T0, T0 + 49 * HOUR, () => ({ pages: { ...ALL_OK, '/a': n++ % 2 === 0 ? 500 : 200 }, robots: 200 }));
  every5(sim, T0 + 49 * HOUR, T0 + 50 * HOUR, { pages: ALL_OK, robots: 200 });
  // Never two failing passes in a row: url-down (failureThreshold 2) is never confirmed, but the clock runs.
  expect(timeline(sim.events)).toEqual([
    ['url-deindex-risk', 24, '/a'],
    ['url-deindex-critical', 48, '/a'],
    ['recovered', 49, '/a'],
  ]);
  expect(new Set(sim.events.map((e) => e.incidentId)).size).toBe(1);
  expect(sim.events.at(-1)!.detail).toMatchObject({ durationMs: 48 * HOUR + 55 * MINUTE });
});

test('a 2-day maintenance window answering 503: no url-down or origin events, but the deindex clock runs (Google, "Pause or disable a website")', () => {
  const sim = new Simulation(
    siteOf(`${SITE}    maintenance:\n      - start: 2026-12-01T01:00:00Z\n        end: 2026-12-03T01:00:00Z\n`),
  );
  every5(sim, T0, T0 + HOUR, { pages: ALL_OK, robots: 200 });
  every5(sim, T0 + HOUR, T0 + 49 * HOUR, { pages: { '/': 503, '/a': 503, '/b': 503, '/c': 503 }, robots: 200 });
  every5(sim, T0 + 49 * HOUR, T0 + 50 * HOUR, { pages: ALL_OK, robots: 200 });
  expect(timeline(sim.events)).toEqual([
    ['url-deindex-risk', 25, '/'],
    ['url-deindex-risk', 25, '/a'],
    ['url-deindex-risk', 25, '/b'],
    ['url-deindex-risk', 25, '/c'],
    ['recovered', 49.08, '/'],
    ['recovered', 49.08, '/a'],
    ['recovered', 49.08, '/b'],
    ['recovered', 49.08, '/c'],
  ]);
  expect(sim.events[0]!.notes).toContain(
    'inside a maintenance window: search engines know nothing of it, their clock keeps running',
  );
});

test('inside a maintenance window, anything but 503 is still alerted, with the hint to answer 503', () => {
  const sim = new Simulation(
    siteOf(`${SITE}    maintenance:\n      - start: 2026-12-01T00:00:00Z\n        end: 2026-12-01T06:00:00Z\n`),
  );
  every5(sim, T0, T0 + HOUR, {
    pages: { ...ALL_OK, '/a': 500, '/b': { status: 200, body: 'assertion' } },
    robots: 503,
  });
  expect(timeline(sim.events)).toEqual([
    ['robots-unreachable', 0, 'origin'],
    ['url-down', 0.08, '/a'],
    ['url-assertion-failed', 0.08, '/b'],
  ]);
  const hint = 'planned downtime should answer 503 with a Retry-After header (Google, "Pause or disable a website")';
  expect(sim.events[1]!.notes.join(' ')).toContain(hint);
  expect(sim.events[2]!.notes.join(' ')).toContain(hint);
  expect(sim.events[0]!.notes.join(' ')).toContain('do not answer 503 for robots.txt during planned downtime');
});

test('a whole-origin outage: origin-outage exactly once beside the per-URL events, then recovery', () => {
  const sim = new Simulation(siteOf(SITE));
  const down: PassSpec = {
    pages: { '/': 'connect', '/a': 'connect', '/b': 'connect', '/c': 'connect' },
    robots: 'connect',
  };
  every5(sim, T0, T0 + 2 * HOUR, down);
  every5(sim, T0 + 2 * HOUR, T0 + 3 * HOUR, { pages: ALL_OK, robots: 200 });
  expect(timeline(sim.events)).toEqual([
    ['robots-unreachable', 0, 'origin'],
    ['url-down', 0.08, '/'],
    ['url-down', 0.08, '/a'],
    ['url-down', 0.08, '/b'],
    ['url-down', 0.08, '/c'],
    ['origin-outage', 0.08, 'origin'],
    ['recovered', 2.08, '/'],
    ['recovered', 2.08, '/a'],
    ['recovered', 2.08, '/b'],
    ['recovered', 2.08, '/c'],
    ['recovered', 2.08, 'origin'],
    ['recovered', 2.08, 'origin'],
  ]);
  const outage = sim.events.find((e) => e.tier === 'origin-outage')!;
  expect(outage).toMatchObject({ url: null, outcome: 'connect', detail: { failingUrls: 4, totalUrls: 4 } });
  expect(outage.checkFirst).toMatch(/web server process is running/);
  expect(sim.events.filter((e) => e.tier === 'origin-crawl-slowdown')).toEqual([]);
});

test('a partial outage escalates: slowdown, then outage when / goes down too', () => {
  const sim = new Simulation(siteOf(SITE));
  every5(sim, T0, T0 + HOUR, { pages: { ...ALL_OK, '/a': 500, '/b': 500 }, robots: 200 });
  every5(sim, T0 + HOUR, T0 + 2 * HOUR, { pages: { ...ALL_OK, '/': 500, '/a': 500, '/b': 500 }, robots: 200 });
  expect(timeline(sim.events).filter(([tier]) => tier.startsWith('origin-'))).toEqual([
    ['origin-crawl-slowdown', 0.08, 'origin'],
    ['origin-outage', 1, 'origin'], // the origin incident is already confirmed: the escalation is immediate
  ]);
});

test('missed passes: the clock counts the gap, and every event of the incident says so', () => {
  const sim = new Simulation(siteOf(SITE));
  every5(sim, T0, T0 + 10 * MINUTE, { pages: { ...ALL_OK, '/a': 500 }, robots: 200 });
  // crawlguard itself does not run for 30 hours (more than 3 intervals), then finds /a still failing.
  sim.pass(T0 + 30 * HOUR, { pages: { ...ALL_OK, '/a': 500 }, robots: 200 });
  expect(timeline(sim.events)).toEqual([
    ['url-down', 0.08, '/a'],
    ['url-deindex-risk', 30, '/a'], // 24 h passed during the gap: raised at once, marked as assumed
  ]);
  const risk = sim.events[1]!;
  expect(risk.gaps).toEqual([
    { from: new Date(T0 + 5 * MINUTE).toISOString(), to: new Date(T0 + 30 * HOUR).toISOString() },
  ]);
  expect(risk.notes.join(' ')).toMatch(
    /crawlguard did not check for 1d5h in all \(last gap 2026-12-01T00:05:00.000Z to 2026-12-02T06:00:00.000Z\); the clock assumes the failure went on meanwhile/,
  );
});

test('several tiers due at once (after a gap) raise only the highest', () => {
  const sim = new Simulation(siteOf(SITE));
  sim.pass(T0, { pages: { ...ALL_OK, '/a': 500 }, robots: 200 });
  sim.pass(T0 + 3 * DAY, { pages: { ...ALL_OK, '/a': 500 }, robots: 200 });
  sim.pass(T0 + 3 * DAY + 5 * MINUTE, { pages: { ...ALL_OK, '/a': 500 }, robots: 200 });
  expect(timeline(sim.events)).toEqual([['url-deindex-critical', 72, '/a']]);
});

test('remindEvery repeats the current tier of an open incident', () => {
  const sim = new Simulation(siteOf(`defaults: { remindEvery: 6h }\n${SITE}`));
  every5(sim, T0, T0 + 13 * HOUR, { pages: { ...ALL_OK, '/a': 500 }, robots: 200 });
  expect(timeline(sim.events)).toEqual([
    ['url-down', 0.08, '/a'],
    ['url-down', 6.08, '/a'],
    ['url-down', 12.08, '/a'],
  ]);
  expect(sim.events.map((e) => e.reminder)).toEqual([0, 1, 2]);
  expect(new Set(sim.events.map((e) => e.id)).size).toBe(3);
});

test('an incident that heals before any tier fired closes silently', () => {
  const sim = new Simulation(siteOf(SITE));
  sim.pass(T0, { pages: { ...ALL_OK, '/a': 500 }, robots: 200 });
  every5(sim, T0 + 5 * MINUTE, T0 + HOUR, { pages: ALL_OK, robots: 200 });
  expect(sim.events).toEqual([]);
  expect(sim.state!.urls['https://shop.example/a']!.crawl).toBeNull();
});

test('the first good robots.txt is the baseline: robots-changed fires only on later changes', () => {
  const sim = new Simulation(siteOf(SITE));
  every5(sim, T0, T0 + HOUR, { pages: ALL_OK, robots: 200, robotsText: 'User-agent: *\nDisallow: /x\n' });
  expect(sim.events).toEqual([]);
  sim.pass(T0 + HOUR, { pages: ALL_OK, robots: 200, robotsText: 'User-agent: *\nDisallow: /y\n' });
  expect(sim.events.map((e) => [e.tier, e.detail])).toEqual([
    [
      'robots-changed',
      {
        changes: [
          { agent: 'Googlebot', added: ['Disallow: /y'], removed: ['Disallow: /x'], addedCount: 1, removedCount: 1 },
        ],
        copyHash: sha256Hex('User-agent: *\nDisallow: /y\n'),
      },
    ],
  ]);
});

test('a URL going from 500 to 404 closes the crawl incident and opens a content one', () => {
  const sim = new Simulation(siteOf(SITE));
  every5(sim, T0, T0 + HOUR, { pages: { ...ALL_OK, '/a': 500 }, robots: 200 });
  every5(sim, T0 + HOUR, T0 + 2 * HOUR, { pages: { ...ALL_OK, '/a': 404 }, robots: 200 });
  expect(timeline(sim.events)).toEqual([
    ['url-down', 0.08, '/a'],
    ['recovered', 1.08, '/a'],
    ['url-assertion-failed', 1.08, '/a'],
  ]);
});
