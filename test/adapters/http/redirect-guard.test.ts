/**
 * The SSRF guard hop by hop, against real servers on loopback (127.0.0.1, 127.0.0.2 and ::1): a site's
 * allowPrivateNetwork covers its own origin and the other configured sites that opted in, never an
 * origin a redirect names. Targets come from a parsed config, as a pass builds them.
 */
import { createProber, type Prober } from '../../../lambdas/adapters/http/prober';
import { parseMonitorsConfig } from '../../../lambdas/core/config/parse';
import { targetsOf } from '../../../lambdas/core/probe/targets';
import type { CheckResult } from '../../../lambdas/core/probe/types';
import { LocalNotifier } from '../../../lambdas/adapters/notify/local-notifier';
import { runPass } from '../../../lambdas/handlers/pass';
import { reportFromStore } from '../../../lambdas/handlers/report';
import { behave, startSite, type RunningSite } from '../../../demo/site';
import { tempStore } from '../../support/store';

let site: RunningSite; // configured, with the opt-in
let sibling: RunningSite; // configured, with the opt-in
let unlisted: RunningSite; // 127.0.0.1 too, but no site of the config
let second: RunningSite; // 127.0.0.2: another loopback address
let v6: RunningSite; // ::1
let prober: Prober;

const SECRET = 'internal-secret-7f3a';

beforeAll(async () => {
  const secret = { '/': behave.ok(SECRET), '/robots.txt': behave.text(`User-agent: *\nDisallow: /${SECRET}\n`) };
  [sibling, unlisted, second, v6] = await Promise.all([
    startSite({ '/': behave.ok('sibling') }),
    startSite(secret),
    startSite(secret, { host: '127.0.0.2' }),
    startSite(secret, { host: '::1' }),
  ]);
  const port = (s: RunningSite) => s.port;
  site = await startSite({
    '/': behave.ok(),
    '/same-origin': behave.redirect('/hop'),
    '/hop': behave.redirect('/'),
    '/to-sibling': behave.redirect(`${sibling.origin}/`),
    '/to-unlisted': behave.redirect(`${unlisted.origin}/`),
    '/to-localhost': behave.redirect(`http://localhost:${port(unlisted)}/`),
    '/to-second': behave.redirect(`${second.origin}/`),
    '/to-v6': behave.redirect(`${v6.origin}/`),
    '/to-mapped': behave.redirect(`http://[::ffff:127.0.0.1]:${port(unlisted)}/`),
    '/to-compatible': behave.redirect(`http://[::127.0.0.1]:${port(unlisted)}/`),
    '/to-decimal': behave.redirect(`http://2130706433:${port(unlisted)}/`),
    '/via-sibling-to-v6': behave.redirect(`${sibling.origin}/bounce`),
    '/metadata': behave.redirect('http://169.254.169.254/latest/meta-data/'),
    '/robots.txt': behave.redirect(`${v6.origin}/robots.txt`),
  });
  sibling.route('/bounce', behave.redirect(`${v6.origin}/`));
  site.route('/to-self-spelled-otherwise', behave.redirect(`http://localhost:${site.port}/`));
  prober = createProber({ concurrency: 10, perOriginConcurrency: 4 });
});

afterAll(async () => {
  await prober.close();
  await Promise.all([site, sibling, unlisted, second, v6].map((s) => s.close()));
});

async function check(path: string, { siteOptIn = true } = {}): Promise<CheckResult> {
  const config = parseMonitorsConfig(
    'monitors.yaml',
    [
      'version: 1',
      'defaults: { retries: 0, timeout: 3s }',
      'sites:',
      `  - origin: ${site.origin}`,
      `    allowPrivateNetwork: ${siteOptIn}`,
      `    urls: ["${path}"]`,
      `  - origin: ${sibling.origin}`,
      '    allowPrivateNetwork: true',
      '    robots: false',
    ].join('\n'),
    () => '',
  );
  const targets = targetsOf(config).filter((t) => t.url === `${site.origin}${path}`);
  const [output] = await prober.probeAll(targets, { deadline: performance.now() + 10_000, clock: Date.now });
  return output!.result;
}

describe('a redirect is decided by the origin it leads to', () => {
  test.each<[string, string, string]>([
    ['within the site', '/same-origin', 'ok'],
    ['to another configured site with the opt-in', '/to-sibling', 'ok'],
    ['to an unconfigured origin on the same address', '/to-unlisted', 'blocked'],
    ['to localhost (a name for 127.0.0.1)', '/to-localhost', 'blocked'],
    ['to another loopback address, 127.0.0.2', '/to-second', 'blocked'],
    ['to the IPv6 loopback [::1]', '/to-v6', 'blocked'],
    ['to IPv4-mapped [::ffff:127.0.0.1]', '/to-mapped', 'blocked'],
    ['to IPv4-compatible [::127.0.0.1]', '/to-compatible', 'blocked'],
    ['to 127.0.0.1 spelled as a number', '/to-decimal', 'blocked'],
    ["to the site's own address under another name (another origin)", '/to-self-spelled-otherwise', 'blocked'],
    ['through a configured sibling on to [::1]', '/via-sibling-to-v6', 'blocked'],
    ['to the instance metadata address', '/metadata', 'blocked'],
  ])('%s: %s → %s', async (_name, path, outcome) => {
    const result = await check(path);
    expect(result.outcome).toBe(outcome);
    if (outcome === 'blocked') {
      expect(result.redirects).toBeGreaterThan(0);
      expect(result.error).toMatch(
        /^SSRF guard refused .*: the redirect left http:\/\/127\.0\.0\.1:\d+ for .*, which is not a configured site with allowPrivateNetwork: true$/,
      );
    }
  });

  test('the body of a refused hop is never read', async () => {
    const before = (unlisted.hits.get('/') ?? 0) + (v6.hits.get('/') ?? 0) + (second.hits.get('/') ?? 0);
    await Promise.all(['/to-unlisted', '/to-v6', '/to-second', '/to-localhost', '/to-mapped'].map((p) => check(p)));
    expect((unlisted.hits.get('/') ?? 0) + (v6.hits.get('/') ?? 0) + (second.hits.get('/') ?? 0)).toBe(before);
  });

  test('a site without the opt-in reaches no private address, not even an opted-in sibling', async () => {
    const result = await check('/to-sibling', { siteOptIn: false });
    expect(result).toMatchObject({ outcome: 'blocked', redirects: 0 });
    expect(result.error).toContain('need allowPrivateNetwork: true on the site');
  });
});

describe('a robots.txt redirected to another private origin', () => {
  test('is refused: nothing of that origin is stored as the last good copy or shown on the status page', async () => {
    const store = await tempStore();
    try {
      const config = parseMonitorsConfig(
        'monitors.yaml',
        `version: 1\ndefaults: { retries: 0 }\nsites:\n  - origin: ${site.origin}\n    allowPrivateNetwork: true\n    urls: [/]\n`,
        () => '',
      );
      const deps = { prober, store: store.store, notifier: new LocalNotifier(store.dataDir) };
      const report = await runPass(deps, config, { shardId: 'local', nowMs: Date.parse('2026-12-01T09:00:00Z') });
      expect(report.results.find((r) => r.kind === 'robots')).toMatchObject({ outcome: 'blocked', redirects: 1 });
      expect(await store.store.loadRobotsCopy(site.origin)).toBeNull();
      const { html } = await reportFromStore(store.store, config, ['local'], Date.parse('2026-12-01T09:01:00Z'));
      expect(html).not.toContain(SECRET);
    } finally {
      await store.cleanup();
    }
  });
});
