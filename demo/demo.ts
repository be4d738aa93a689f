/**
 * `npm run demo`: crawlguard against a misbehaving website on 127.0.0.1, with the embedded store,
 * no network and no AWS account. The first pass shows every outcome; the next ones move the clock on
 * (each pass runs at a fixed instant, as `check --once --now` does) to show the search-engine tiers:
 * confirmation, a robots.txt change, robots.txt answering 503, the 12-hour and 24-hour marks, recovery.
 * It cleans up and exits by itself, in about half a minute.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMonitorsConfig } from '../lambdas/adapters/config-file';
import type { Resolver } from '../lambdas/adapters/http/ssrf';
import { printPass } from '../lambdas/handlers/cli/commands/check';
import { renderDeliveries, renderEvents, renderSummary, renderTable } from '../lambdas/handlers/cli/render';
import { processIo as io } from '../lambdas/handlers/cli/io';
import { LOCAL_SHARD, openLocalRuntime } from '../lambdas/handlers/cli/local-runtime';
import { runPass, type PassReport } from '../lambdas/handlers/pass';
import { reportFromStore } from '../lambdas/handlers/report';
import { behave, closedPort, LEAKY_500, startSite } from './site';

const ROBOTS_V1 = 'User-agent: *\nDisallow: /private/\n\nSitemap: /sitemap.xml\n';
const ROBOTS_V2 = 'User-agent: *\nDisallow: /private/\nDisallow: /pricing\n';

/** Demo host names: *.demo.test is this machine, except gone.demo.test, which does not exist. */
const demoResolver: Resolver = async (hostname) => {
  if (hostname === 'gone.demo.test')
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  if (hostname.endsWith('.demo.test')) return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (the demo resolves only *.demo.test)`), {
    code: 'ENOTFOUND',
  });
};

/** The demo sites whose names only the demo's own resolver knows; left out when the CLI runs the checks. */
function resolverSites(port: number): string {
  return `  - origin: http://gone.demo.test:${port}
    robots: false          # no such host
  - origin: http://intranet.demo.test:${port}
    robots: false          # resolves to 127.0.0.1 without allowPrivateNetwork: the SSRF guard refuses it
`;
}

function monitorsYaml(shop: string, secure: string, port: number, closed: number, extraSites: string): string {
  return `version: 1
defaults:
  interval: 6h         # the demo's passes are 6 hours apart (simulated)
  timeout: 2s          # short, so the hanging page times out quickly
  retries: 1
  retryBackoff: 200ms
sites:
  - origin: ${shop}
    allowPrivateNetwork: true     # the demo site is on 127.0.0.1
    urls:
      - /
      - /pricing
      - path: /api/health
        expectStatus: 200
        bodyContains: '"status":"ok"'
      - /private/report
      - /checkout          # 500 with a leaked stack trace
      - /search            # 429 with Retry-After
      - /old-page          # 404
      - /moved             # 302 with no Location
      - /hang              # never answers
      - /download          # resets mid-body
      - /loop              # redirect loop
  - origin: ${secure}
    allowPrivateNetwork: true
    robots: false
    urls: [/]              # self-signed certificate
  - origin: http://127.0.0.1:${closed}
    allowPrivateNetwork: true
    robots: false          # nothing listens here
${extraSites}`;
}

async function startDemoSites() {
  const site = await startSite({
    '/': behave.ok(),
    '/pricing': behave.ok('<h1>Pricing</h1>'),
    '/api/health': behave.ok('{"status":"degraded"}', { 'x-request-id': 'req-7f3a' }),
    '/private/report': behave.ok(),
    '/checkout': behave.status(500, LEAKY_500, { 'x-request-id': 'req-91c2' }),
    '/search': behave.status(429, 'slow down', { 'retry-after': '120', 'cf-ray': '8d2f1c-AMS' }),
    '/old-page': behave.status(404, 'not found'),
    '/moved': behave.status(302, ''),
    '/hang': behave.hang(),
    '/download': behave.resetMidBody(),
    '/loop': behave.redirect('/loop/'),
    '/loop/': behave.redirect('/loop'),
    '/robots.txt': behave.text(ROBOTS_V1),
  });
  const secure = await startSite({ '/': behave.ok() }, { tls: true });
  const closed = await closedPort();
  const dir = mkdtempSync(join(tmpdir(), 'crawlguard-demo-'));
  const configPath = join(dir, 'monitors.yaml');
  const close = async () => {
    await Promise.all([site.close(), secure.close()]);
    rmSync(dir, { recursive: true, force: true });
  };
  return { site, secure, closed, dir, configPath, close };
}

/**
 * `npm run demo -- --serve`: keeps the demo site up and writes its monitors.yaml, so the real CLI can be
 * pointed at it (`npx crawlguard check --once --config …`). The two sites that need the demo's own
 * resolver are left out: the CLI resolves names with the system's DNS.
 */
async function serve(): Promise<void> {
  const demo = await startDemoSites();
  // `localhost` is in /etc/hosts: the SSRF guard's refusal shows without any DNS query.
  const blocked = `  - origin: http://localhost:${demo.site.port}\n    robots: false          # 127.0.0.1 without allowPrivateNetwork: refused\n`;
  writeFileSync(
    demo.configPath,
    monitorsYaml(demo.site.origin, demo.secure.origin, demo.site.port, demo.closed, blocked),
  );
  io.out(
    `Demo site on ${demo.site.origin}. In another terminal:\n  npx crawlguard check --once --config ${demo.configPath} --data-dir ${join(demo.dir, 'data')}\nCtrl-C stops it.`,
  );
  await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
  await demo.close();
}

async function main(): Promise<void> {
  const { site, secure, closed, dir, configPath, close } = await startDemoSites();
  writeFileSync(configPath, monitorsYaml(site.origin, secure.origin, site.port, closed, resolverSites(site.port)));
  const config = loadMonitorsConfig(configPath);
  const runtime = await openLocalRuntime(config, join(dir, 'data'), demoResolver);
  const startMs = Date.now();
  const pass = (hours: number) =>
    runPass(runtime.deps, config, { shardId: LOCAL_SHARD, nowMs: startMs + hours * 3_600_000 });
  const heading = (text: string) => io.out(`\n${io.colors.bold(io.colors.cyan(text))}`);
  /** Later passes: the robots.txt row, the summary and the events. */
  const brief = (report: PassReport) => {
    for (const line of renderTable(
      report.results.filter((r) => r.kind === 'robots'),
      io.colors,
    ))
      io.out(line);
    io.out(renderSummary(report.results, report.durationMs, io.colors));
    for (const line of renderEvents(report.events, io.colors)) io.out(line);
    for (const line of renderDeliveries(report.deliveries, io.colors)) io.out(line);
  };
  try {
    heading(`Pass 1 (hour 0): every outcome crawlguard knows (site on ${site.origin}; config ${configPath})`);
    printPass(await pass(0), false, io);

    heading('Pass 2 (hour 6): failures confirmed (failureThreshold 2); robots.txt now also disallows /pricing');
    site.route('/robots.txt', behave.text(ROBOTS_V2));
    brief(await pass(6));

    heading('Pass 3 (hour 12): robots.txt answers 503');
    site.route('/robots.txt', behave.status(503, 'Service Unavailable'));
    brief(await pass(12));

    heading('Pass 4 (hour 24): 12 hours of robots.txt errors, 24 hours of page errors');
    const day = await pass(24);
    brief(day);
    const email = day.deliveries.find((d) => d.origin === site.origin)?.notification?.email;
    if (email) {
      heading(
        `The email of pass 4 for ${site.origin}, as sent (every notification is in ${join(dir, 'data', 'notifications.jsonl')})`,
      );
      io.out(email);
    }

    heading(
      'Passes 5 and 6 (hours 30, 36): everything fixed; incidents close after successThreshold (2) healthy passes',
    );
    for (const path of ['/api/health', '/checkout', '/search', '/old-page', '/moved', '/hang', '/download', '/loop'])
      site.route(path, behave.ok('{"status":"ok"}'));
    site.route('/robots.txt', behave.text(ROBOTS_V1));
    await pass(30);
    const last = await pass(36);
    for (const line of renderEvents(
      last.events.filter((e) => e.origin === site.origin),
      io.colors,
    ))
      io.out(line);
    for (const line of renderDeliveries(
      last.deliveries.filter((d) => d.origin === site.origin),
      io.colors,
    ))
      io.out(line);

    // The status page of the demo's 36 hours, left in ./report (git-ignored) to open in a browser.
    const { html, model } = await reportFromStore(runtime.local.store, config, [LOCAL_SHARD], startMs + 36 * 3_600_000);
    mkdirSync('report', { recursive: true });
    writeFileSync(join('report', 'index.html'), html);
    heading('What next');
    io.out(`The demo's status page (${model.clocks.length} clocks running): report/index.html`);
    io.out(
      'Watch your own sites: edit monitors.yaml (or `npx crawlguard add <url>`), then `npx crawlguard check --once` or `npm start`.',
    );
  } finally {
    await runtime.close();
    await close();
  }
}

(process.argv.includes('--serve') ? serve() : main()).catch((error) => {
  io.err(`demo failed: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
});
