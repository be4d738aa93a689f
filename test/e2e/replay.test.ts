/**
 * Days in seconds: a loopback site whose answers change between `check --once --now …` runs of the
 * real command; the events and the status clocks come out as the rules say.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { behave, startSite, type RunningSite } from '../../demo/site';
import { jsonLines, runCli } from '../support/cli';
import { tempDir } from '../support/store';

let site: RunningSite;
let dir: ReturnType<typeof tempDir>;
let config: string;

beforeAll(async () => {
  site = await startSite({
    '/': behave.ok(),
    '/a': behave.ok(),
    '/robots.txt': behave.text('User-agent: *\nDisallow: /private/\n'),
  });
  dir = tempDir();
  config = join(dir.path, 'monitors.yaml');
  writeFileSync(
    config,
    `version: 1\ndefaults: { interval: 6h, timeout: 1s, retries: 0 }\nsites:\n  - origin: ${site.origin}\n    allowPrivateNetwork: true\n    urls: [/, /a]\n`,
  );
});

afterAll(async () => {
  await site.close();
  dir.cleanup();
});

const hour = (h: number) => new Date(Date.UTC(2026, 11, 1) + h * 3_600_000).toISOString();

async function checkAt(h: number) {
  const run = await runCli([
    'check',
    '--once',
    '--json',
    '--config',
    config,
    '--data-dir',
    join(dir.path, 'data'),
    '--now',
    hour(h),
  ]);
  const lines = jsonLines(run.stdout);
  return {
    code: run.code,
    events: lines
      .filter((l) => l.type === 'event')
      .map((e) => `${e.tier} ${e.url ? String(e.url).slice(site.origin.length) : 'origin'}`),
  };
}

test('an outage replayed over 42 hours', async () => {
  expect(await checkAt(0)).toEqual({ code: 0, events: [] });

  site.route('/a', behave.status(500));
  site.route('/robots.txt', behave.status(503));
  expect(await checkAt(6)).toEqual({ code: 1, events: ['robots-unreachable origin'] });
  expect(await checkAt(12)).toEqual({ code: 1, events: ['url-down /a'] });
  expect(await checkAt(18)).toEqual({ code: 1, events: ['robots-cached-copy origin'] });
  expect(await checkAt(30)).toEqual({ code: 1, events: ['url-deindex-risk /a'] });

  const status = await runCli(['status', '--config', config, '--data-dir', join(dir.path, 'data'), '--now', hour(31)]);
  expect(status.code).toBe(1);
  expect(status.stdout.split('\n').slice(1, 3)).toEqual([
    '● robots.txt unreachable for 1d1h, search engines use the cached copy; 28d23h to the 30-day cliff',
    `● ${site.origin}/a failing for 1d1h (url-deindex-risk); 23h to the 48-hour deindex-critical mark`,
  ]);

  site.route('/a', behave.ok());
  site.route('/robots.txt', behave.text('User-agent: *\nDisallow: /private/\n'));
  expect(await checkAt(36)).toEqual({ code: 0, events: [] });
  expect(await checkAt(42)).toEqual({ code: 0, events: ['recovered /a', 'recovered origin'] });
  const healthy = await runCli(['status', '--config', config, '--data-dir', join(dir.path, 'data'), '--now', hour(42)]);
  expect(healthy).toMatchObject({ code: 0, stdout: `no open incidents at ${hour(42)}\n` });
});

test('replaying a pass already applied changes nothing and raises nothing', async () => {
  const again = await runCli([
    'check',
    '--once',
    '--json',
    '--config',
    config,
    '--data-dir',
    join(dir.path, 'data'),
    '--now',
    hour(42),
  ]);
  const lines = jsonLines(again.stdout);
  expect(lines.filter((l) => l.type === 'event')).toEqual([]);
  expect(lines.at(-1)).toMatchObject({ type: 'summary', applied: false, events: 0 });
});
