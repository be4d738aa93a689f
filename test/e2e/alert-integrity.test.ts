/**
 * The reproductions of the issue "Alerts you can trust", through the spawned CLI as a user runs it,
 * against loopback sites. Each once jammed or falsified alerts; each must now give the right result.
 * (The lost recovery in AWS is proven against the template: test/infra/alert-routing.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { behave, startSite, type RunningSite } from '../../demo/site';
import { jsonLines, runCli } from '../support/cli';
import { tempDir } from '../support/store';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 9) + seconds * 1000).toISOString();
let dir: ReturnType<typeof tempDir>;
const sites: RunningSite[] = [];

beforeEach(() => {
  dir = tempDir();
});
afterEach(async () => {
  await Promise.all(sites.splice(0).map((s) => s.close()));
  dir.cleanup();
});

async function site(routes: Parameters<typeof startSite>[0]) {
  const s = await startSite(routes);
  sites.push(s);
  return s;
}

async function check(seconds: number) {
  const run = await runCli([
    'check',
    '--once',
    '--json',
    '--now',
    at(seconds),
    '--config',
    join(dir.path, 'monitors.yaml'),
    '--data-dir',
    join(dir.path, 'data'),
  ]);
  const lines = jsonLines(run.stdout);
  return {
    code: run.code,
    stderr: run.stderr,
    lines,
    summary: lines.find((l) => l.type === 'summary') as Record<string, unknown>,
    events: lines.filter((l) => l.type === 'event').map((l) => l.tier),
  };
}

const notified = () => {
  const file = join(dir.path, 'data', 'notifications.jsonl');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map(
          (l) =>
            JSON.parse(l) as { request: { Subject: string; MessageAttributes: { origin: { StringValue: string } } } },
        )
    : [];
};

describe.each([
  [
    '256 KB of ordinary rules for two agents',
    `User-agent: *\n${Array.from({ length: 7_700 }, (_, i) => `Disallow: /private/section-${i}/`).join('\n')}\n`,
  ],
  [
    '480 KB of random rules',
    `User-agent: *\n${Array.from({ length: 11_000 }, () => `Disallow: /${randomBytes(24).toString('base64url')}`).join('\n')}\n`,
  ],
])('a large robots.txt (%s) that goes down jams nothing', (_name, robotsText) => {
  test("its outage is raised and sent, and a second site's alert goes out in the same pass", async () => {
    const big = await site({ '/': behave.ok(), '/robots.txt': behave.text(robotsText) });
    const other = await site({
      '/': behave.ok(),
      '/x': behave.ok(),
      '/robots.txt': behave.text('User-agent: *\nAllow: /\n'),
    });
    writeFileSync(
      join(dir.path, 'monitors.yaml'),
      `version: 1\ndefaults: { retries: 0, timeout: 2s }\nsites:\n  - origin: ${big.origin}\n    allowPrivateNetwork: true\n    agents: [Googlebot, Bingbot]\n  - origin: ${other.origin}\n    allowPrivateNetwork: true\n    urls: [/, /x]\n`,
    );
    expect((await check(0)).code).toBe(0);
    big.route('/robots.txt', behave.status(503));
    other.route('/x', behave.status(500));
    const down = await check(300);
    expect([down.code, down.events]).toEqual([1, ['robots-unreachable']]);
    const confirmed = await check(600);
    expect([confirmed.code, confirmed.events]).toEqual([1, ['url-down']]);
    expect(
      notified().map((n) => [
        n.request.MessageAttributes.origin.StringValue,
        n.request.Subject.replace(/^\S+ \S+ /, ''),
      ]),
    ).toEqual([
      [big.origin, 'robots.txt 503: Google stopped crawling the site'],
      [other.origin, '/x 500: Google slows crawling'],
    ]);
    const event = down.lines.find((l) => l.type === 'event')!;
    expect((event.detail as { rulesInForceCount: Record<string, number> }).rulesInForceCount.Googlebot).toBe(
      robotsText.split('\n').length - 2,
    );
    // robots.txt answers again: two healthy passes close the incident, and the recovery is sent.
    big.route('/robots.txt', behave.text(robotsText));
    other.route('/x', behave.ok());
    expect((await check(900)).code).toBe(0);
    const healed = await check(1200);
    expect([healed.code, healed.events]).toEqual([0, ['recovered', 'recovered']]);
    expect(healed.summary).toMatchObject({
      notifications: 2,
      pendingAlerts: 0,
      deliveryFailures: [],
      storeFailures: [],
    });
  }, 60_000);
});

test('a 500-check shard of URLs in a redirect loop, default retries, is saved and read back', async () => {
  const loop = await site({});
  for (let i = 0; i < 499; i += 1) {
    loop.route(`/loop/${i}`, behave.redirect(`/loop/${i}-b`, 302));
    loop.route(`/loop/${i}-b`, behave.redirect(`/loop/${i}`, 302));
  }
  writeFileSync(
    join(dir.path, 'monitors.yaml'),
    `version: 1\ndefaults: { retryBackoff: 50ms }\nlimits: { concurrency: 100, perOriginConcurrency: 50 }\nsites:\n  - origin: ${loop.origin}\n    allowPrivateNetwork: true\n    urls: [${Array.from({ length: 499 }, (_, i) => `/loop/${i}`).join(', ')}]\n`,
  );
  const first = await check(0);
  expect([first.code, first.summary.checks, first.summary.storeFailures]).toEqual([1, 500, []]);
  const results = first.lines.filter((l) => l.type === 'result' && l.kind === 'page');
  expect(results.every((r) => r.outcome === 'too_many_redirects' && r.attempts === 3)).toBe(true);
  const report = await runCli([
    'report',
    '--now',
    at(60),
    '--config',
    join(dir.path, 'monitors.yaml'),
    '--data-dir',
    join(dir.path, 'data'),
    '--out',
    join(dir.path, 'report'),
  ]);
  expect([report.code, report.stderr]).toEqual([0, '']);
}, 60_000);

test('a local site of 20,000 URLs (urlsFile) is checked, saved and checked again', async () => {
  const big = await site({ '/robots.txt': behave.text('User-agent: *\nAllow: /\n') });
  const paths = Array.from({ length: 20_000 }, (_, i) => `/products/item-${i}`);
  const serve = behave.ok('ok');
  for (const path of paths) big.route(path, serve);
  writeFileSync(join(dir.path, 'urls.txt'), paths.join('\n'));
  writeFileSync(
    join(dir.path, 'monitors.yaml'),
    `version: 1\ndefaults: { retries: 0, timeout: 5s }\nlimits: { concurrency: 200, perOriginConcurrency: 50 }\nsites:\n  - origin: ${big.origin}\n    allowPrivateNetwork: true\n    urlsFile: urls.txt\n`,
  );
  const first = await check(0);
  expect([first.code, first.summary.healthy, first.summary.storeFailures]).toEqual([0, 20_001, []]);
  big.route('/products/item-7', behave.status(500));
  const second = await check(300);
  expect([second.code, second.summary.unhealthy, second.summary.stateWrites]).toEqual([1, 1, 1]);
}, 120_000);

test('checks the pass had no time for are not_checked, not timeouts, and page nobody; the next pass checks the healthy ones first', async () => {
  const s = await site({});
  for (let i = 0; i < 4; i += 1) s.route(`/hang${i}`, behave.hang());
  for (let i = 0; i < 20; i += 1) s.route(`/ok${i}`, behave.ok());
  const urls = [
    ...Array.from({ length: 4 }, (_, i) => `/hang${i}`),
    ...Array.from({ length: 20 }, (_, i) => `/ok${i}`),
  ];
  // The 10 s interval and 4 s timeout, halved: two hanging URLs fill the 4.5 s budget.
  writeFileSync(
    join(dir.path, 'monitors.yaml'),
    `version: 1\ndefaults: { interval: 5s, timeout: 2s, retries: 0 }\nlimits: { perOriginConcurrency: 1 }\nsites:\n  - origin: ${s.origin}\n    allowPrivateNetwork: true\n    robots: false\n    urls: [${urls.join(', ')}]\n`,
  );
  const first = await check(0);
  expect(first.code).toBe(1);
  expect(first.summary).toMatchObject({ checks: 24, healthy: 0, unhealthy: 2, notChecked: 22 });
  expect(first.events).toEqual([]); // failureThreshold 2: not even the two real timeouts are confirmed yet
  for (let i = 0; i < 20; i += 1) expect(s.hits.get(`/ok${i}`)).toBeUndefined();
  const second = await check(5);
  // Known-good URLs first, never-checked next, last pass's timeouts last: the other two hanging URLs
  // get their turn, so no URL is failing twice in a row yet and nothing is confirmed down.
  expect(second.summary).toMatchObject({ healthy: 20, unhealthy: 2, notChecked: 2 });
  expect(second.lines.filter((l) => l.outcome === 'timeout').map((l) => l.url)).toEqual([
    `${s.origin}/hang2`,
    `${s.origin}/hang3`,
  ]);
  expect(second.events).toEqual(['checks-skipped']);
  const skipped = second.lines.find((l) => l.tier === 'checks-skipped')!;
  expect(skipped).toMatchObject({ severity: 'warning', detail: { notChecked: 2, checks: 24 } });
  expect(notified().map((n) => n.request.Subject)).toEqual([expect.stringMatching(/^\[WARN\] /)]); // email only: no SMS
}, 60_000);
