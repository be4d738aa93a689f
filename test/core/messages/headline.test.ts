import { headline } from '../../../lambdas/core/messages/headline';
import { HOUR, MINUTE, Simulation, siteOf, T0 } from '../../support/simulation';

const SITE = `sites:\n  - origin: https://www.example.com\n    urls: [/, /checkout]\n`;

test('the issue example: robots.txt 503 since 09:12Z (2h10m)', () => {
  const sim = new Simulation(siteOf(SITE.replace('www.example.com', 'shop.example')));
  const start = T0 + 9 * HOUR + 12 * MINUTE;
  sim.pass(start, { pages: { '/': 200, '/checkout': 200 }, robots: 503 });
  const event = sim.events[0]!;
  expect(
    headline({
      ...event,
      origin: 'https://www.example.com',
      at: new Date(start + 2 * HOUR + 10 * MINUTE).toISOString(),
      elapsedMs: 2 * HOUR + 10 * MINUTE,
    }),
  ).toBe(
    'CRIT www.example.com robots.txt 503 since 09:12Z (2h10m): robots.txt cannot be fetched: Google stops crawling the whole site and retries for up to 12 hours',
  );
});

test('an incident that began on another day shows its date', () => {
  const sim = new Simulation(siteOf(SITE.replace('www.example.com', 'shop.example')));
  sim.run(T0, T0 + 25 * HOUR, 5 * MINUTE, { pages: { '/': 200, '/checkout': 502 }, robots: 200 });
  const risk = sim.events.find((e) => e.tier === 'url-deindex-risk')!;
  expect(headline(risk)).toMatch(/^CRIT shop.example \/checkout 502 since Dec 1 00:00Z \(1d\): /);
});
