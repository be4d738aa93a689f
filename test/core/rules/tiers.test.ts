/**
 * One row per tier: the smallest timeline that raises it, and the source of the rule (SEO-RULES.md).
 * Passes are 5 minutes apart unless a row says otherwise; failureThreshold and successThreshold are 2.
 */
import type { Tier } from '../../../lambdas/core/rules/tiers';
import { SEVERITY, SOURCE, TIERS } from '../../../lambdas/core/rules/tiers';
import { DAY, HOUR, MINUTE, Simulation, siteOf, T0, timeline, type PassSpec } from '../../support/simulation';

const SITE = `sites:\n  - origin: https://shop.example\n    urls: [/, /a, /b, /c]\n`;
const healthy: PassSpec = { pages: { '/': 200, '/a': 200, '/b': 200, '/c': 200 }, robots: 200 };
const withPages = (pages: PassSpec['pages'], robots: PassSpec['robots'] = 200, robotsText?: string): PassSpec => ({
  pages: { ...healthy.pages, ...pages },
  robots,
  robotsText,
});

interface Row {
  tier: Tier;
  source: string;
  /** Builds the timeline; returns nothing, the simulation collects events. */
  play: (sim: Simulation) => void;
  /** The first event of this tier: hours after T0, and the url path (or 'origin'). */
  first: [number, string];
  severity?: string;
}

const every5 = (sim: Simulation, fromMs: number, toMs: number, spec: PassSpec) =>
  sim.run(fromMs, toMs, 5 * MINUTE, spec);

const rows: Row[] = [
  {
    tier: 'url-down',
    source: 'Google, "HTTP status codes, network and DNS errors": 5xx slow crawling',
    play: (sim) => every5(sim, T0, T0 + HOUR, withPages({ '/a': 500 })),
    first: [5 / 60, '/a'], // confirmed by the second failing pass
  },
  {
    tier: 'url-deindex-risk',
    source: 'Google, "Reduce the Googlebot crawl rate": "1-2 days" acceptable',
    play: (sim) => every5(sim, T0, T0 + 25 * HOUR, withPages({ '/a': 503 })),
    first: [24, '/a'],
  },
  {
    tier: 'url-deindex-critical',
    source: 'Google, "Reduce the Googlebot crawl rate": "multiple days" and the URL may be dropped',
    play: (sim) => every5(sim, T0, T0 + 49 * HOUR, withPages({ '/a': 'timeout' })),
    first: [48, '/a'],
  },
  {
    tier: 'url-assertion-failed',
    source: 'Google, "HTTP status codes": an error page with 200 is a soft 404',
    play: (sim) => every5(sim, T0, T0 + HOUR, withPages({ '/a': { status: 200, body: 'assertion' } })),
    first: [5 / 60, '/a'],
  },
  {
    tier: 'url-blocked-by-robots',
    source: 'Google, "How Google interprets the robots.txt specification"',
    play: (sim) => {
      every5(sim, T0, T0 + HOUR, healthy);
      every5(sim, T0 + HOUR, T0 + 2 * HOUR, withPages({}, 200, 'User-agent: *\nDisallow: /b\n'));
    },
    first: [1, '/b'],
  },
  {
    tier: 'url-error-leak',
    source: 'crawlguard: a production 5xx must not expose internals',
    play: (sim) => every5(sim, T0, T0 + HOUR, withPages({ '/c': { status: 500, leak: ['stack-trace'] } })),
    first: [0, '/c'],
  },
  {
    tier: 'origin-crawl-slowdown',
    source: 'Google, "Reduce the Googlebot crawl rate": the drop applies to the whole hostname',
    play: (sim) => every5(sim, T0, T0 + HOUR, withPages({ '/a': 500, '/b': 500 })), // 2 of 4 = 50%, but / is fine
    first: [5 / 60, 'origin'],
  },
  {
    tier: 'origin-outage',
    source: 'Google, robots.txt specification: "general availability problems"',
    play: (sim) => every5(sim, T0, T0 + HOUR, withPages({ '/': 502, '/a': 502 })),
    first: [5 / 60, 'origin'],
  },
  {
    tier: 'robots-unreachable',
    source: 'Google, robots.txt specification: 5xx stops crawling of the whole site',
    play: (sim) => every5(sim, T0, T0 + HOUR, withPages({}, 503)),
    first: [0, 'origin'], // confirmed once: the in-pass retries are the confirmation
  },
  {
    tier: 'robots-cached-copy',
    source: 'Google, robots.txt specification: 12 hours, then the last good copy',
    play: (sim) => every5(sim, T0, T0 + 13 * HOUR, withPages({}, 'timeout')),
    first: [12, 'origin'],
  },
  {
    tier: 'robots-cliff-warning',
    source: 'Google, robots.txt specification: the 30-day mark, five days ahead',
    play: (sim) => sim.run(T0, T0 + 26 * DAY, HOUR, withPages({}, 500)),
    first: [25 * 24, 'origin'],
  },
  {
    tier: 'robots-cliff',
    source: 'Google, robots.txt specification; RFC 9309 2.3.1.4: "a reasonably long period (for example, 30 days)"',
    play: (sim) => sim.run(T0, T0 + 31 * DAY, HOUR, withPages({}, 500)),
    first: [30 * 24, 'origin'],
  },
  {
    tier: 'robots-missing',
    source: 'Google, robots.txt specification: 4xx other than 429 means no restrictions',
    play: (sim) => every5(sim, T0, T0 + HOUR, withPages({}, 404)),
    first: [5 / 60, 'origin'],
    severity: 'warning',
  },
  {
    tier: 'robots-blocks-site',
    source: 'Google, robots.txt specification',
    play: (sim) => every5(sim, T0, T0 + HOUR, withPages({}, 200, 'User-agent: Googlebot\nDisallow: /\n')),
    first: [0, 'origin'],
  },
  {
    tier: 'robots-changed',
    source: 'Google, robots.txt specification: cached up to 24 hours',
    play: (sim) => {
      every5(sim, T0, T0 + HOUR, healthy);
      every5(sim, T0 + HOUR, T0 + 2 * HOUR, withPages({}, 200, 'User-agent: *\nDisallow: /admin/\nDisallow: /tmp/\n'));
    },
    first: [1, 'origin'],
  },
  {
    tier: 'robots-truncated',
    source: 'Google, robots.txt specification: only the first 500 KiB; RFC 9309 section 2.5',
    play: (sim) => every5(sim, T0, T0 + HOUR, { ...healthy, robotsTruncated: true }),
    first: [0, 'origin'],
  },
  {
    tier: 'checks-skipped',
    source: 'crawlguard: a check not made is no observation; two passes in a row are a pattern worth a warning',
    play: (sim) => every5(sim, T0, T0 + HOUR, withPages({ '/c': 'not_checked' })),
    first: [5 / 60, 'origin'],
  },
  {
    tier: 'recovered',
    source: 'Google, "Reduce the Googlebot crawl rate": the rate recovers gradually',
    play: (sim) => {
      every5(sim, T0, T0 + HOUR, withPages({ '/a': 500 }));
      every5(sim, T0 + HOUR, T0 + 2 * HOUR, healthy);
    },
    first: [1 + 5 / 60, '/a'],
  },
];

describe('each tier fires on its documented trigger', () => {
  test.each(rows.map((row) => [`${row.tier} (${row.source})`, row] as const))('%s', (_name, row) => {
    const sim = new Simulation(siteOf(SITE));
    row.play(sim);
    const events = sim.events.filter((e) => e.tier === row.tier);
    expect(events.length).toBeGreaterThan(0);
    const [hours, where] = timeline(events)[0]!.slice(1) as [number, string];
    expect([hours, where]).toEqual([Math.round(row.first[0] * 100) / 100, row.first[1]]);
    expect(events[0]!.severity).toBe(row.severity ?? SEVERITY[row.tier]);
    expect(events[0]!.source).toBe(SOURCE[row.tier]);
    // Each tier at most once per incident (remindEvery is off by default).
    const perIncident = new Set(events.map((e) => e.incidentId));
    expect(perIncident.size).toBe(events.length);
  });

  test('every tier id has a row', () => {
    expect(rows.map((r) => r.tier).sort()).toEqual([...TIERS].sort());
  });
});

describe('severities and details', () => {
  test('robots-missing is critical when the last good copy had disallow rules', () => {
    const sim = new Simulation(siteOf(SITE));
    every5(sim, T0, T0 + HOUR, withPages({}, 200, 'User-agent: *\nDisallow: /private/\n'));
    every5(sim, T0 + HOUR, T0 + 2 * HOUR, withPages({}, 410));
    const missing = sim.events.find((e) => e.tier === 'robots-missing')!;
    expect(missing).toMatchObject({ severity: 'critical', detail: { lastGoodDisallows: true } });
    expect(missing.searchEngines).toContain('disallow rules of the last good copy no longer protect anything');
  });

  test('robots-cached-copy shows the rules search engines fall back to', () => {
    const sim = new Simulation(siteOf(SITE));
    every5(sim, T0, T0 + HOUR, withPages({}, 200, 'User-agent: *\nDisallow: /checkout/\n'));
    every5(sim, T0 + HOUR, T0 + 14 * HOUR, withPages({}, 503));
    const cached = sim.events.find((e) => e.tier === 'robots-cached-copy')!;
    expect(cached.detail).toMatchObject({
      rulesInForce: { Googlebot: ['Disallow: /checkout/'] },
      copyFetchedAt: new Date(T0).toISOString(),
    });
    expect(cached.searchEngines).toBe('after 12 hours Google crawls again, obeying its last good copy of robots.txt');
  });

  test('robots-cached-copy without any good copy: no restrictions', () => {
    const sim = new Simulation(siteOf(SITE));
    every5(sim, T0, T0 + 13 * HOUR, withPages({}, 503));
    expect(sim.events.find((e) => e.tier === 'robots-cached-copy')!.searchEngines).toContain('no restrictions');
  });

  test('robots-cliff reads differently when the site is failing too, and states both readings', () => {
    const available = new Simulation(siteOf(SITE));
    available.run(T0, T0 + 31 * DAY, HOUR, withPages({}, 500));
    const failing = new Simulation(siteOf(SITE));
    failing.run(T0, T0 + 31 * DAY, HOUR, withPages({ '/': 500, '/a': 500, '/b': 500 }, 500));
    const cliff = (sim: Simulation) => sim.events.find((e) => e.tier === 'robots-cliff')!;
    expect(cliff(available).searchEngines).toContain('Google treats robots.txt as absent');
    expect(cliff(failing).searchEngines).toContain('the site is failing too, so Google stops crawling it');
    expect(cliff(available).notes.join(' ')).toContain('sources differ');
  });

  test('url-blocked-by-robots names the agent and the rule', () => {
    const sim = new Simulation(siteOf(SITE.replace('urls:', 'agents: [Googlebot, Bingbot]\n    urls:')));
    every5(sim, T0, T0 + 10 * MINUTE, withPages({}, 200, 'User-agent: Bingbot\nDisallow: /c\n'));
    expect(sim.events.find((e) => e.tier === 'url-blocked-by-robots')!.detail).toEqual({
      disallowedFor: [{ agent: 'Bingbot', rule: 'Disallow: /c (line 2)' }],
    });
  });

  test('every event carries the fields of the contract', () => {
    const sim = new Simulation(siteOf(SITE));
    every5(sim, T0, T0 + 25 * HOUR, withPages({ '/a': 502 }));
    const risk = sim.events.find((e) => e.tier === 'url-deindex-risk')!;
    expect(risk).toMatchObject({
      tier: 'url-deindex-risk',
      severity: 'critical',
      origin: 'https://shop.example',
      url: 'https://shop.example/a',
      incidentStart: new Date(T0).toISOString(),
      at: new Date(T0 + 24 * HOUR).toISOString(),
      elapsedMs: 24 * HOUR,
      status: 502,
      outcome: 'server_error',
      requestId: `req-${new Date(T0 + 24 * HOUR).toISOString()}`,
      nextTier: { tier: 'url-deindex-critical', inMs: 24 * HOUR },
      checkFirst: 'a dead upstream: PHP-FPM, the app server or container behind the proxy',
    });
    expect(risk.id).toBe(`${risk.incidentId}:url-deindex-risk`);
    expect(risk.searchEngines).toMatch(/1-2 days/);
  });
});

describe('check-first hints by cause', () => {
  test.each<[string, PassSpec['pages'], string, RegExp]>([
    [
      'the same 5xx on every URL: server configuration',
      { '/': 500, '/a': 500, '/b': 500, '/c': 500 },
      '/a',
      /\.htaccess|permissions|full disk/,
    ],
    ['one URL: application code', { '/a': 500 }, '/a', /application code/],
    ['502: a dead upstream', { '/a': 502 }, '/a', /PHP-FPM/],
    ['504: slow upstreams or time limits', { '/a': 504 }, '/a', /time limit/],
    ['timeouts: slow upstreams or time limits', { '/a': 'timeout' }, '/a', /time limit/],
    ['429: rate limiting or a WAF', { '/a': 429 }, '/a', /WAF/],
    ['dns: DNS records', { '/a': 'dns' }, '/a', /DNS records/],
    ['tls: certificates', { '/a': 'tls' }, '/a', /certificate/],
  ])('%s', (_name, pages, path, hint) => {
    const sim = new Simulation(siteOf(SITE));
    every5(sim, T0, T0 + 10 * MINUTE, withPages(pages));
    const down = sim.events.find((e) => e.tier === 'url-down' && e.url?.endsWith(path))!;
    expect(down.checkFirst).toMatch(hint);
  });
});
