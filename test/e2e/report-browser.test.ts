/**
 * The status page as a person sees it: rendered by the real command from a replayed outage, opened in
 * headless Chromium (Debian's package, installed by scripts/install-chromium.sh; .ci/run does that).
 * The screenshots are kept in test-artifacts/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { runCli } from '../support/cli';
import { REPLAY_NOW, replayOutage } from '../support/replay';
import { tempDir } from '../support/store';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
// Without Chromium (a developer machine that did not run scripts/install-chromium.sh) this suite cannot
// run; CI installs it first, so there it always runs.
const describeWithChromium = existsSync(CHROMIUM) ? describe : describe.skip;

describeWithChromium('the status report in Chromium', () => {
  let dir: ReturnType<typeof tempDir>;
  let page: string;
  let shop: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = tempDir();
    const replay = await replayOutage(dir.path);
    shop = replay.shop;
    const run = await runCli([
      'report',
      '--config',
      replay.config,
      '--data-dir',
      replay.dataDir,
      '--out',
      join(dir.path, 'out'),
      '--now',
      REPLAY_NOW,
    ]);
    expect(run.stdout).toBe(`wrote ${join(dir.path, 'out', 'index.html')}: 2 sites, 3 clocks running\n`);
    page = `file://${join(dir.path, 'out', 'index.html')}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    dir?.cleanup();
  });

  test('the open clocks come first, with the time left to the next tier', async () => {
    const tab = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    await tab.goto(page);
    const clocks = tab.getByRole('region', { name: '3 search-engine clocks running' });
    await clocks.waitFor();
    const items = await clocks.getByRole('listitem').allInnerTexts();
    expect(items).toEqual([
      `url-down ${shop}/checkout failing for 1h30m (url-down); 22h30m to the 24-hour deindex-risk mark`,
      `url-blocked-by-robots ${shop}/pricing disallowed by robots.txt for 13h30m`,
      'robots-missing robots.txt missing (4xx) for 3d1h: crawlers apply no restrictions',
    ]);
    const box = await clocks.boundingBox();
    expect(box!.y).toBeLessThan(250); // above the fold
    await tab.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
  });

  test('uptime figures, the latency chart and the incident timeline of each site', async () => {
    const tab = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    await tab.goto(page);
    const site = tab.getByRole('region', { name: new RegExp(`Degraded ${shop.replace(/[.:/]/g, '\\$&')}`) });
    const uptime = await site.getByRole('group', { name: `Uptime of ${shop}` }).innerText();
    // /checkout failed (confirmed) for 10 h of 73.5, then 1.5 h: the mean over three URLs.
    expect(uptime.replace(/\s+/g, ' ')).toBe('24 hours 97.92% 7 days 94.78% 30 days 94.78%');
    const chart = site.getByRole('img', { name: 'Latency, last 24 hours (ms)' });
    expect(await chart.getAttribute('aria-labelledby')).toMatch(/-t .*-d$/);
    const rows = await site
      .getByRole('table', { name: 'Incidents, last 30 days, newest first' })
      .getByRole('row')
      .allInnerTexts();
    expect(rows.map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
      'Started Ended Lasted What Tiers reached',
      '2026-12-04 00:00 UTC open 1h30m /checkout url-down',
      '2026-12-03 12:00 UTC open 13h30m /pricing url-blocked-by-robots',
      '2026-12-03 12:00 UTC 2026-12-03 12:00 UTC 0ms robots.txt robots-changed', // same start: by what, then tier
      '2026-12-03 02:00 UTC 2026-12-03 12:00 UTC 10h robots.txt robots-unreachable',
      '2026-12-01 20:00 UTC 2026-12-02 06:00 UTC 10h /checkout url-down',
    ]);
    expect(await site.innerText()).toContain('Googlebot: may not crawl');
  });

  test('landmarks, dark mode, and a phone-sized screen', async () => {
    const dark = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    await dark.goto(page);
    for (const role of ['banner', 'navigation', 'main', 'contentinfo'] as const)
      expect(await dark.getByRole(role).count()).toBe(1);
    // Evaluated in the page (as text: this project's TypeScript has no DOM types).
    const background = await dark.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(background).toBe('rgb(18, 20, 23)');
    // Nothing wider than the phone but the tables, which scroll in their own box.
    expect(await dark.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await dark.screenshot({ path: join(ARTIFACTS, 'report-phone-dark.png'), fullPage: true });
  });
});
