/**
 * Rendered messages against golden files (test/fixtures/messages; UPDATE_GOLDEN=1 rewrites them), and
 * properties: no input breaks the SMS, subject or SNS size limits.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { OutboxEntry } from '../../../lambdas/core/alerts/route';
import {
  buildNotification,
  MAX_SMS,
  MAX_SUBJECT,
  type Notification,
} from '../../../lambdas/core/messages/notification';
import { testNotification } from '../../../lambdas/core/messages/test-notification';
import type { CrawlEvent } from '../../../lambdas/core/rules/event';
import { eventWith } from '../../support/events';
import { DAY, HOUR, MINUTE, Simulation, siteOf, T0, type PassSpec } from '../../support/simulation';

const GOLDEN = join(__dirname, '..', '..', 'fixtures', 'messages');

function golden(name: string, n: Notification | null): void {
  expect(n).not.toBeNull();
  const rendered = `SUBJECT: ${n!.subject}\nCHANNELS: ${n!.channels.join('+')}\nSMS: ${n!.sms ?? '(none)'}\n\n${n!.email}\n`;
  const file = join(GOLDEN, `${name}.txt`);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, rendered);
  expect(existsSync(file)).toBe(true); // run once with UPDATE_GOLDEN=1 to create it
  expect(rendered).toBe(readFileSync(file, 'utf8'));
}

const entries = (events: CrawlEvent[], channels: OutboxEntry['channels'] = ['sms', 'email']): OutboxEntry[] =>
  events.map((event) => ({ event, channels }));
const at = (ms: number) => new Date(ms).toISOString();
const SITE = 'sites:\n  - origin: https://www.example.com\n    urls: [/, /pricing, /checkout]\n';
const DEFAULT_SITE = siteOf(SITE);

function eventsOf(yaml: string, play: (sim: Simulation) => void): CrawlEvent[] {
  const sim = new Simulation(siteOf(yaml));
  play(sim);
  return sim.events;
}

describe('golden messages', () => {
  test('robots.txt unreachable, the issue example: 503 since 09:12Z (2h10m)', () => {
    const start = T0 + 9 * HOUR + 12 * MINUTE;
    const events = eventsOf(SITE.replace('www.example.com', 'shop.example'), (sim) =>
      sim.pass(start, { pages: { '/': 200, '/pricing': 200, '/checkout': 200 }, robots: 503 }),
    );
    const event = {
      ...events[0]!,
      origin: 'https://www.example.com',
      at: at(start + 2 * HOUR + 10 * MINUTE),
      elapsedMs: 2 * HOUR + 10 * MINUTE,
    };
    const n = buildNotification({
      site: DEFAULT_SITE,
      origin: 'https://www.example.com',
      at: event.at,
      entries: entries([event]),
    });
    expect(n!.sms).toBe('CRIT www.example.com robots.txt 503 since 09:12Z (2h10m): Google stopped crawling the site');
    golden('robots-unreachable', n);
  });

  test('a 50-URL origin outage is one notification', () => {
    const urls = Array.from({ length: 49 }, (_, i) => `/product/${i + 1}`);
    const yaml = `sites:\n  - origin: https://shop.example\n    urls: [/, ${urls.join(', ')}]\n`;
    const down: PassSpec = { pages: Object.fromEntries(['/', ...urls].map((p) => [p, 503])), robots: 200 };
    const events = eventsOf(yaml, (sim) => sim.run(T0, T0 + 10 * MINUTE, 5 * MINUTE, down));
    expect(events.map((e) => e.tier).filter((t) => t === 'url-down')).toHaveLength(50);
    const n = buildNotification({
      site: DEFAULT_SITE,
      origin: 'https://shop.example',
      at: at(T0 + 5 * MINUTE),
      entries: entries(
        events.filter((e) => e.severity === 'critical'),
        ['sms', 'email'],
      ).concat(
        entries(
          events.filter((e) => e.severity === 'warning'),
          ['email'],
        ),
      ),
    });
    expect(n!.eventIds).toHaveLength(51);
    expect(n!.sms).toBe('CRIT shop.example 50 of 50 URLs failing since 00:00Z (5m): site down for crawlers');
    golden('origin-outage-50-urls', n);
  });

  test('deindex risk with a leak, and the recovery', () => {
    const events = eventsOf(SITE, (sim) => {
      sim.run(T0, T0 + 25 * HOUR, 5 * MINUTE, {
        pages: { '/': 200, '/pricing': 200, '/checkout': { status: 500, leak: ['stack-trace', 'sql'] } },
        robots: 200,
      });
      sim.run(T0 + 25 * HOUR, T0 + 26 * HOUR, 5 * MINUTE, {
        pages: { '/': 200, '/pricing': 200, '/checkout': 200 },
        robots: 200,
      });
    });
    const risk = events.filter((e) => e.tier === 'url-deindex-risk');
    golden(
      'url-deindex-risk',
      buildNotification({
        site: DEFAULT_SITE,
        origin: 'https://shop.example',
        at: risk[0]!.at,
        entries: entries(risk),
      }),
    );
    const recovered = events.filter((e) => e.tier === 'recovered');
    golden(
      'recovered',
      buildNotification({
        site: DEFAULT_SITE,
        origin: 'https://shop.example',
        at: recovered[0]!.at,
        entries: entries(recovered, ['sms', 'email']),
      }),
    );
  });

  test('robots.txt falls back to the cached copy; the SMS budget is spent', () => {
    const events = eventsOf(SITE, (sim) => {
      sim.pass(T0, {
        pages: { '/': 200, '/pricing': 200, '/checkout': 200 },
        robots: 200,
        robotsText: 'User-agent: *\nDisallow: /cart/\n',
      });
      sim.run(T0 + HOUR, T0 + 14 * HOUR, HOUR, {
        pages: { '/': 200, '/pricing': 200, '/checkout': 200 },
        robots: 'timeout',
      });
    });
    const cached = events.filter((e) => e.tier === 'robots-cached-copy');
    const n = buildNotification({
      site: DEFAULT_SITE,
      origin: 'https://shop.example',
      at: cached[0]!.at,
      entries: entries(cached),
      smsBudgetSpent: { smsPerDay: 10 },
    });
    expect(n!.channels).toEqual(['email']);
    expect(n!.sms).toBeNull();
    golden('robots-cached-copy-budget-spent', n);
  });

  test('the alerts test notification', () => {
    golden(
      'alerts-test',
      testNotification('critical', ['sms', 'email'], '2026-12-01T09:00:00.000Z', {
        email: ['ops@example.com'],
        sms: ['+15555550100'],
      }),
    );
  });

  test('info events go nowhere by default: no notification', () => {
    const events = eventsOf(SITE, (sim) =>
      sim.run(T0, T0 + 3 * DAY, DAY, { pages: { '/': 200, '/pricing': 200, '/checkout': 200 }, robots: 200 }),
    );
    expect(
      buildNotification({
        site: DEFAULT_SITE,
        origin: 'https://www.example.com',
        at: at(T0),
        entries: entries(events, []),
      }),
    ).toBeNull();
  });
});

describe('limits hold for any input', () => {
  const unicodeHost = fc.stringMatching(/^[a-zäöüßçéñ漢字日本]{1,40}$/).map((label) => `https://${label}.example`);
  const path = fc
    .array(fc.string({ minLength: 0, maxLength: 300 }), { maxLength: 5 })
    .map((parts) => `/p/${parts.map(encodeURIComponent).join('/')}`);
  const tier = fc.constantFrom(
    'url-down',
    'url-deindex-risk',
    'origin-outage',
    'robots-unreachable',
    'robots-cliff',
    'recovered',
    'url-error-leak',
  ) as fc.Arbitrary<CrawlEvent['tier']>;

  const eventArb = fc
    .record({
      host: unicodeHost,
      path,
      tier,
      elapsedMs: fc.nat({ max: 60 * DAY }),
      status: fc.option(fc.integer({ min: 100, max: 599 }), { nil: null }),
    })
    .map(({ host, path: p, tier: t, elapsedMs, status }): CrawlEvent =>
      eventWith(t, {
        id: `inc-x:${t}`,
        severity: t === 'url-down' ? 'warning' : t === 'recovered' ? 'info' : 'critical',
        origin: new URL(host).origin,
        url: t.startsWith('url-') ? new URL(p, host).href : null,
        incidentId: 'inc-x',
        incidentStart: at(T0),
        at: at(T0 + elapsedMs),
        elapsedMs,
        status,
        outcome: 'server_error',
        requestId: 'r'.repeat(200),
        searchEngines: 'Ünïcode “quotes” — and… more',
        source: 'test',
        nextTier: null,
        checkFirst: 'x'.repeat(500),
        gaps: [],
        notes: ['ü'.repeat(300)],
        reminder: 0,
      }),
    );

  test('SMS: one line of plain ASCII, at most 160 characters; Subject: ASCII, under 100; the whole message under 256 KB', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 300 }), fc.boolean(), (events, budgetSpent) => {
        const origin = events[0]!.origin;
        const n = buildNotification({
          site: DEFAULT_SITE,
          origin,
          at: at(T0),
          entries: entries(events.map((e) => ({ ...e, origin }))),
          smsBudgetSpent: budgetSpent ? { smsPerDay: 10 } : undefined,
        })!;
        if (n.sms !== null) {
          expect(n.sms.length).toBeLessThanOrEqual(MAX_SMS);
          expect(n.sms).toMatch(/^[\x20-\x7e]+$/);
        }
        expect(n.subject.length).toBeLessThanOrEqual(MAX_SUBJECT);
        expect(n.subject).toMatch(/^[\x20-\x7e]+$/);
        const message = JSON.stringify({ default: n.default, email: n.email, sms: n.sms });
        expect(Buffer.byteLength(message) + Buffer.byteLength(n.subject)).toBeLessThan(256 * 1024);
      }),
      { numRuns: 200 },
    );
  });
});
