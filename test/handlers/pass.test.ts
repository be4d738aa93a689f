/** runPass end to end in-process: a loopback site, the real prober and the store on dynalite. */
import { createProber, type Prober } from '../../lambdas/adapters/http/prober';
import { LocalNotifier } from '../../lambdas/adapters/notify/local-notifier';
import { parseMonitorsConfig } from '../../lambdas/core/config/parse';
import type { MonitorsConfig } from '../../lambdas/core/config/types';
import { runPass } from '../../lambdas/handlers/pass';
import { behave, startSite, type RunningSite } from '../../demo/site';
import { tempStore } from '../support/store';

let site: RunningSite;
let local: Awaited<ReturnType<typeof tempStore>>;
let prober: Prober;
let config: MonitorsConfig;
const at = (minute: number) => Date.UTC(2026, 11, 1, 9, minute);

beforeEach(async () => {
  site = await startSite({
    '/': behave.ok(),
    '/private/a': behave.ok(),
    '/broken': behave.status(500),
    '/robots.txt': behave.text('User-agent: *\nDisallow: /private/\n'),
  });
  local = await tempStore();
  prober = createProber({ concurrency: 10, perOriginConcurrency: 4 });
  config = parseMonitorsConfig(
    'monitors.yaml',
    [
      'version: 1',
      'defaults: { retries: 0, timeout: 2s }',
      'sites:',
      `  - origin: ${site.origin}`,
      '    allowPrivateNetwork: true',
      '    urls: [/, /private/a, /broken]',
    ].join('\n'),
    () => '',
  );
});

afterEach(async () => {
  await prober.close();
  await local.cleanup();
  await site.close();
});

const pass = (minute: number) =>
  runPass({ prober, store: local.store, notifier: new LocalNotifier(local.dataDir) }, config, {
    shardId: 'local',
    nowMs: at(minute),
  });

test('a pass stores the latest state, the robots.txt copy and the history', async () => {
  const report = await pass(0);
  expect(report.passAt).toBe('2026-12-01T09:00:00.000Z');
  expect(report.results.map((r) => [r.kind, r.url.slice(site.origin.length), r.outcome, r.checkedAt])).toEqual([
    ['robots', '/robots.txt', 'ok', report.passAt],
    ['page', '/', 'ok', report.passAt],
    ['page', '/private/a', 'ok', report.passAt],
    ['page', '/broken', 'server_error', report.passAt],
  ]);
  expect(report.results[0]!.robots?.disallowed.Googlebot!.map((d) => d.url)).toEqual([`${site.origin}/private/a`]);
  expect(report).toMatchObject({ stateWrites: 1, applied: true });

  const state = (await local.store.loadStates([site.origin])).get(site.origin)!.state;
  expect(state.urls[`${site.origin}/broken`]!.latest).toEqual({
    outcome: 'server_error',
    status: 500,
    since: report.passAt,
    streak: 1,
  });
  expect(state.urls[`${site.origin}/broken`]!.crawl).toMatchObject({
    startedAt: report.passAt,
    failStreak: 1,
    fired: [],
  });
  expect(state.robots?.latest).toMatchObject({ state: 'available', outcome: 'ok' });
  expect(await local.store.loadRobotsCopy(site.origin)).toMatchObject({
    fetchedAt: report.passAt,
    text: 'User-agent: *\nDisallow: /private/\n',
  });
  expect(await local.store.history('local', at(0), at(0))).toHaveLength(4);
});

test('steady passes stop writing state once streaks reach the threshold', async () => {
  site.route('/broken', behave.ok()); // an open incident writes its clock every pass; a healthy origin does not
  await pass(0);
  expect((await pass(5)).stateWrites).toBe(1); // streaks 1 → 2
  expect((await pass(10)).stateWrites).toBe(0); // capped: nothing changed
  expect(await local.store.history('local', at(0), at(10))).toHaveLength(12);
});

test('replaying a pass changes nothing', async () => {
  await pass(5);
  const before = (await local.store.loadStates([site.origin])).get(site.origin)!;
  site.route('/broken', behave.ok());
  const replay = await pass(5);
  expect(replay).toMatchObject({ applied: false, stateWrites: 0, events: [] });
  const state = (await local.store.loadStates([site.origin])).get(site.origin)!;
  expect(state.version).toBe(before.version);
  expect(state.state.urls[`${site.origin}/broken`]!.latest.outcome).toBe('server_error');
});

test('a changed robots.txt is reported against the stored copy and replaces it', async () => {
  await pass(0);
  site.route('/robots.txt', behave.text('User-agent: *\nDisallow: /\n'));
  const report = await pass(5);
  expect(report.results[0]!.robots).toMatchObject({
    blocksSite: ['Googlebot'],
    changes: [{ agent: 'Googlebot', added: ['Disallow: /'], removed: ['Disallow: /private/'] }],
  });
  expect((await local.store.loadRobotsCopy(site.origin))?.text).toBe('User-agent: *\nDisallow: /\n');
});

test('a concurrent pass that wrote first is built upon, not overwritten', async () => {
  await pass(0); // /broken answers 500: its crawl incident opens
  site.route('/broken', behave.ok()); // two healthy passes close it (successThreshold 2)
  // Both passes read the state before either writes, and 09:05 writes first: 09:06 must hit the
  // version check, reload, and apply on top. A blind overwrite would leave the incident open.
  let arrived = 0;
  let release!: () => void;
  const bothRead = new Promise<void>((resolve) => (release = resolve));
  let firstSaved!: () => void;
  const nineOhFiveSaved = new Promise<void>((resolve) => (firstSaved = resolve));
  const store = Object.create(local.store) as typeof local.store;
  store.loadStates = async (origins) => {
    const states = await local.store.loadStates(origins);
    if (++arrived === 2) release();
    await bothRead;
    return states;
  };
  store.saveState = async (state, version) => {
    if (state.appliedAt.endsWith('09:06:00.000Z')) await nineOhFiveSaved;
    const saved = await local.store.saveState(state, version);
    if (state.appliedAt.endsWith('09:05:00.000Z')) firstSaved();
    return saved;
  };
  const racing = (minute: number) =>
    runPass({ prober, store, notifier: new LocalNotifier(local.dataDir) }, config, {
      shardId: 'local',
      nowMs: at(minute),
    });
  await Promise.all([racing(5), racing(6)]);
  const state = (await local.store.loadStates([site.origin])).get(site.origin)!.state;
  expect(state.appliedAt).toBe('2026-12-01T09:06:00.000Z');
  expect(state.urls[`${site.origin}/broken`]!.crawl).toBeNull();
  expect(state.urls[`${site.origin}/broken`]!.latest).toMatchObject({ outcome: 'ok', streak: 2 });
});
