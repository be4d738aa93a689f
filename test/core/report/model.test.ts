import { expect } from '@jest/globals';
import { renderReport } from '../../../lambdas/core/report/html';
import { buildReport, incidentsOf, type Sample } from '../../../lambdas/core/report/model';
import { HOUR, MINUTE, ORIGIN, Simulation, siteOf, T0 } from '../../support/simulation';

const SITE = `sites:\n  - origin: ${ORIGIN}\n    urls: [/, /a]\n`;
const at = (ms: number) => new Date(ms).toISOString();

function reportOf(sim: Simulation, nowMs: number, samples: Sample[] = []) {
  const config = { alerts: { email: [], sms: [], smsPerDay: 10, routing: { critical: [], warning: [], info: [] } }, limits: { concurrency: 1, perOriginConcurrency: 1, maxUrlsPerShard: 500 }, history: { retentionMs: 1 }, report: { everyMs: null }, sites: [sim.site], privateNetworkOrigins: [] };
  return buildReport({ config, nowIso: at(nowMs), states: new Map([[ORIGIN, sim.state!]]), events: new Map([[ORIGIN, sim.events]]), samples, robotsCopies: new Map([[ORIGIN, sim.lastGood]]) });
}

test('uptime counts confirmed failures only: a one-pass blip is not downtime', () => {
  const sim = new Simulation(siteOf(SITE));
  sim.run(T0, T0 + 2 * HOUR, 5 * MINUTE, { pages: { '/': 200, '/a': 200 }, robots: 200 });
  sim.pass(T0 + 2 * HOUR, { pages: { '/': 200, '/a': 500 }, robots: 200 }); // a blip: never confirmed
  sim.run(T0 + 2 * HOUR + 5 * MINUTE, T0 + 4 * HOUR, 5 * MINUTE, { pages: { '/': 200, '/a': 200 }, robots: 200 });
  expect(reportOf(sim, T0 + 4 * HOUR).origins[0]!.uptime).toEqual({ '24h': 1, '7d': 1, '30d': 1 });
});

test('a confirmed outage counts from its first failing check to its recovery, over the time monitored', () => {
  const sim = new Simulation(siteOf(SITE));
  sim.run(T0, T0 + 10 * HOUR, 5 * MINUTE, { pages: { '/': 200, '/a': 200 }, robots: 200 });
  sim.run(T0 + 10 * HOUR, T0 + 12 * HOUR, 5 * MINUTE, { pages: { '/': 200, '/a': 503 }, robots: 200 });
  sim.run(T0 + 12 * HOUR, T0 + 20 * HOUR, 5 * MINUTE, { pages: { '/': 200, '/a': 200 }, robots: 200 });
  const origin = reportOf(sim, T0 + 20 * HOUR).origins[0]!;
  // /a down 2 h of 20 h monitored: 90%; / 100%; the site: the mean.
  expect(origin.uptime['24h']).toBeCloseTo(0.95, 6);
  expect(origin.incidents).toEqual([{ incidentId: expect.any(String), subject: '/a', start: at(T0 + 10 * HOUR), end: at(T0 + 12 * HOUR), durationMs: 2 * HOUR, tiers: ['url-down'] }]);
  expect(origin.health).toBe('up');
});

test('hourly latency percentiles from answered checks; timeouts are not latencies', () => {
  const sim = new Simulation(siteOf(SITE));
  sim.pass(T0, { pages: { '/': 200, '/a': 200 }, robots: 200 });
  const samples: Sample[] = [10, 20, 30, 40, 1000].map((latencyMs, i) => ({ url: `${ORIGIN}/`, checkedAt: at(T0 + i * MINUTE), outcome: 'ok', latencyMs }));
  samples.push({ url: `${ORIGIN}/a`, checkedAt: at(T0 + MINUTE), outcome: 'timeout', latencyMs: 10_000 });
  expect(reportOf(sim, T0 + HOUR, samples).origins[0]!.latency).toEqual([{ hour: at(T0), p50: 30, p95: 1000, checks: 5 }]);
});

test('an open incident has no end, and its clock is in the report', () => {
  const sim = new Simulation(siteOf(SITE));
  sim.run(T0, T0 + 3 * HOUR, 5 * MINUTE, { pages: { '/': 200, '/a': 502 }, robots: 200 });
  const report = reportOf(sim, T0 + 3 * HOUR);
  expect(report.clocks.map((c) => c.summary)).toEqual([`${ORIGIN}/a failing for 3h (url-down); 21h to the 24-hour deindex-risk mark`]);
  expect(report.origins[0]).toMatchObject({ health: 'degraded', summary: '1 of 2 URLs not answering as they should; open: URL failing' });
  expect(incidentsOf(sim.events, at(T0 + 3 * HOUR))[0]).toMatchObject({ end: null, durationMs: 3 * HOUR });
});

test('the page escapes what it shows, loads nothing from anywhere, and has no script', () => {
  const sim = new Simulation(siteOf(`sites:\n  - origin: ${ORIGIN}\n    urls: ['/search?q=<script>alert(1)</script>']\n`));
  sim.run(T0, T0 + HOUR, 5 * MINUTE, { pages: { '/search?q=<script>alert(1)</script>': 500 }, robots: 200, robotsText: 'User-agent: *\nDisallow: /<b>x</b>\n' });
  const html = renderReport(reportOf(sim, T0 + HOUR));
  expect(html).not.toMatch(/<script/i);
  expect(html).toContain('%3Cscript%3E'); // the URL as resolved, and never as markup
  expect(html).toContain('Disallow: /&lt;b&gt;x&lt;/b&gt;');
  expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//);
  expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
});
