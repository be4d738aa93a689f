/**
 * Words follow the configuration: with robotsCachedCopyAfter 6h and deindexRiskAfter 36h, every message,
 * status line and the report say 6 hours and 36 hours (and Google's own 12 hours only as Google's).
 */
import { parseMonitorsConfig } from '../../../lambdas/core/config/parse';
import { buildNotification } from '../../../lambdas/core/messages/notification';
import { renderReport } from '../../../lambdas/core/report/html';
import { buildReport } from '../../../lambdas/core/report/model';
import { openClocks } from '../../../lambdas/core/rules/clocks';
import { HOUR, ORIGIN, Simulation, T0 } from '../../support/simulation';
import { withPages } from './support';

const YAML = `version: 1\ndefaults: { robotsCachedCopyAfter: 6h, deindexRiskAfter: 36h }\nsites:\n  - origin: ${ORIGIN}\n    urls: [/, /a, /b, /c]\n`;
const config = parseMonitorsConfig('monitors.yaml', YAML, () => '');
const site = config.sites[0]!;
const at = (h: number) => new Date(T0 + h * HOUR).toISOString();

function outage() {
  const sim = new Simulation(site);
  sim.run(T0, T0 + 37 * HOUR, HOUR / 12, withPages({ '/a': 502 }, 503));
  return sim;
}

test('the alerts: robots.txt down 6 hours, the URL failing for 36 hours, in subject, text and email', () => {
  const sim = outage();
  const pick = (tier: string) =>
    sim.events
      .filter((e) => e.tier === tier)
      .map((event) => ({ event, channels: ['sms', 'email'] as ('sms' | 'email')[] }));
  const cached = buildNotification({ origin: ORIGIN, site, at: at(6), entries: pick('robots-cached-copy') })!;
  const risk = buildNotification({ origin: ORIGIN, site, at: at(36), entries: pick('url-deindex-risk') })!;
  expect(sim.events.find((e) => e.tier === 'robots-cached-copy')!.at).toBe(at(6));
  expect(sim.events.find((e) => e.tier === 'url-deindex-risk')!.at).toBe(at(36));
  expect(cached.email).toContain('robots.txt down 6 hours: still no crawling [robots-cached-copy]');
  expect(cached.email.replace(/\s+/g, ' ')).toContain(
    'unreachable for 6 hours: Google still crawls nothing; at 12 hours (in 6 hours) it crawls again',
  );
  expect(cached.sms).toMatch(/Google crawls again at 12 hours$/);
  expect(risk.email).toContain('URL failing for 36 hours: deindex risk [url-deindex-risk]');
  expect(risk.email.replace(/\s+/g, ' ')).toContain('failing for 36 hours: Google tolerates errors');
  for (const text of [cached.email, risk.email, cached.subject, risk.subject]) {
    expect(text).not.toMatch(/down 12 hours|failing for 24 hours|for a day/);
  }
});

test('the status lines count to the 6-hour and 36-hour marks', () => {
  const sim = new Simulation(site);
  sim.run(T0, T0 + 3 * HOUR, HOUR / 12, withPages({ '/a': 502 }, 503));
  const summaries = openClocks(sim.state!, site, at(3)).map((c) => c.summary);
  expect(summaries).toContain(
    'robots.txt unreachable for 3h, Google has stopped crawling the site; 3h to the 6-hour cached-copy fallback',
  );
  expect(summaries).toContain(`${ORIGIN}/a failing for 3h (url-down); 1d9h to the 36-hour deindex-risk mark`);
});

test('the report says the configured marks', () => {
  const sim = outage();
  const model = buildReport({
    config,
    nowIso: at(37),
    states: new Map([[ORIGIN, sim.state!]]),
    events: new Map([[ORIGIN, sim.events]]),
    samples: [],
    robotsCopies: new Map(),
  });
  const html = renderReport(model);
  expect(html).toContain('deindex-risk mark at 36 hours');
  expect(html).toContain('cached-copy fallback at 6 hours');
  expect(html).not.toContain('deindex-risk mark at 24 hours');
});
