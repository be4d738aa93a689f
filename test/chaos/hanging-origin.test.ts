/**
 * The pass's schedule under a hanging origin (issue "Alerts you can trust", part 4), scaled down 20x in
 * time: one origin of 100 URLs that all hang (timeout 500 ms instead of 10 s, retries 2,
 * perOriginConcurrency 4) among 99 healthy origins, at a 20 s interval (the full-size 5 minutes would be
 * 15 s: a loaded test machine's per-request overhead needs the extra room at this scale). The healthy
 * origins see exactly what they see without it; the hanging one reaches origin-outage within the usual
 * threshold; every attempt a result reports was a request the server received. The full-size run is
 * `npm run bench` (scenario "hanging origin").
 */
import { createProber, type Prober } from '../../lambdas/adapters/http/prober';
import { LocalNotifier } from '../../lambdas/adapters/notify/local-notifier';
import type { Resolver } from '../../lambdas/adapters/http/ssrf';
import { parseMonitorsConfig } from '../../lambdas/core/config/parse';
import type { MonitorsConfig } from '../../lambdas/core/config/types';
import type { CheckResult } from '../../lambdas/core/probe/types';
import { runPass } from '../../lambdas/handlers/pass';
import { behave, startSite, type RunningSite } from '../../demo/site';
import { tempStore } from '../support/store';

const loopback: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
let site: RunningSite;
let prober: Prober;
/** Requests per host and path: what the servers actually received. */
const received = new Map<string, number>();

const healthy = Array.from({ length: 99 }, (_, i) => `s${i}.test`);
const config = (withHanging: boolean): MonitorsConfig =>
  parseMonitorsConfig(
    'monitors.yaml',
    [
      'version: 1',
      'defaults: { interval: 20s, timeout: 500ms, retries: 2, retryBackoff: 100ms }',
      'limits: { concurrency: 50, perOriginConcurrency: 4 }',
      'sites:',
      ...(withHanging
        ? [
            `  - origin: http://hang.test:${site.port}`,
            '    allowPrivateNetwork: true',
            `    urls: [${Array.from({ length: 100 }, (_, i) => `/p${i}`).join(', ')}]`,
          ]
        : []),
      // The healthy origins answer in milliseconds; their timeout is not scaled down, so that a loaded test
      // machine cannot make one of their answers late (the hanging origin's is what the scenario is about).
      ...healthy.flatMap((host) => [
        `  - origin: http://${host}:${site.port}`,
        '    allowPrivateNetwork: true',
        '    timeout: 5s',
        '    urls: [/, /a, /b, /c, /d]',
      ]),
    ].join('\n'),
    () => '',
  );

beforeAll(async () => {
  site = await startSite({});
  const serve = behave.ok();
  const hang = behave.hang();
  // One server for every origin: the Host header says which one was asked.
  for (const path of ['/', '/a', '/b', '/c', '/d', '/robots.txt', ...Array.from({ length: 100 }, (_, i) => `/p${i}`)]) {
    site.route(path, (req, res) => {
      const key = `${req.headers.host?.split(':')[0]}${path}`;
      received.set(key, (received.get(key) ?? 0) + 1);
      return req.headers.host?.startsWith('hang.test') ? hang(req, res) : serve(req, res);
    });
  }
  prober = createProber({ concurrency: 50, perOriginConcurrency: 4, resolve: loopback });
});

afterAll(async () => {
  await prober.close();
  await site.close();
});

const brief = (results: CheckResult[]) =>
  results.filter((r) => !r.origin.startsWith('http://hang.test')).map((r) => [r.url, r.outcome, r.status, r.attempts]);

test('a hanging origin of 100 URLs starves nobody, reaches origin-outage on time, and claims no request it did not make', async () => {
  const alone = await tempStore();
  const shared = await tempStore();
  try {
    const baseline = await runPass(
      { prober, store: alone.store, notifier: new LocalNotifier(alone.dataDir) },
      config(false),
      { shardId: 'local', nowMs: Date.UTC(2026, 11, 1, 9) },
    );
    const deps = { prober, store: shared.store, notifier: new LocalNotifier(shared.dataDir) };
    const passes = [];
    for (const m of [0, 1]) {
      received.clear();
      const report = await runPass(deps, config(true), {
        shardId: 'local',
        nowMs: Date.UTC(2026, 11, 1, 9, 0, 20 * m),
      });
      passes.push(report);
      // The 99 healthy origins: exactly what they saw without the hanging one.
      expect(brief(report.results)).toEqual(brief(baseline.results));
      // Every attempt a result reports is a request the server received, and no other request was made.
      for (const r of report.results)
        expect([r.url, r.attempts]).toEqual([
          r.url,
          received.get(new URL(r.url).host.split(':')[0] + new URL(r.url).pathname) ?? 0,
        ]);
      // Every first attempt of the hanging origin fit the pass: each is a real timeout, none "not checked".
      const hanging = report.results.filter((r) => r.origin.startsWith('http://hang.test'));
      expect(hanging.map((r) => r.outcome)).toEqual(Array(101).fill('timeout'));
    }
    expect(passes[0]!.events.map((e) => e.tier)).toEqual(['robots-unreachable']);
    // failureThreshold 2: the second pass confirms the URLs down and the origin out.
    expect(passes[1]!.events.filter((e) => e.tier === 'origin-outage')).toHaveLength(1);
    expect(passes[1]!.events.filter((e) => e.tier === 'url-down')).toHaveLength(100);
    expect(passes.flatMap((p) => p.events).filter((e) => !e.origin.startsWith('http://hang.test'))).toEqual([]);
  } finally {
    await alone.cleanup();
    await shared.cleanup();
  }
}, 120_000);
