/**
 * The `crawlguard` command as a user runs it: a spawned process, real exit statuses, a loopback site,
 * the embedded store in a temporary data directory.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { behave, closedPort, LEAKY_500, startSite, type RunningSite } from '../../demo/site';
import { jsonLines, runCli } from '../support/cli';
import { tempDir } from '../support/store';

let site: RunningSite;
let tls: RunningSite;
let dir: ReturnType<typeof tempDir>;
let refused: number;

beforeAll(async () => {
  site = await startSite({
    '/': behave.ok('<p>ok</p>', { 'x-request-id': 'req-home' }),
    '/500': behave.status(500, LEAKY_500),
    '/502': behave.status(502),
    '/503': behave.status(503, '', { 'retry-after': '60' }),
    '/504': behave.status(504),
    '/429': behave.status(429),
    '/404': behave.status(404),
    '/hang': behave.hang(),
    '/reset': behave.resetMidBody(),
    '/loop': behave.redirect('/loop2'),
    '/loop2': behave.redirect('/loop'),
    '/huge': behave.huge(1024 * 1024),
    '/drip': behave.drip(200),
    '/robots.txt': behave.text('User-agent: *\nDisallow: /private\n'),
  });
  tls = await startSite({ '/': behave.ok() }, { tls: true });
  refused = await closedPort();
  dir = tempDir();
});

afterAll(async () => {
  await site.close();
  await tls.close();
  dir.cleanup();
});

function writeConfig(name: string, yaml: string): string {
  const path = join(dir.path, name);
  writeFileSync(path, yaml);
  return path;
}

const healthyConfig = () =>
  writeConfig(
    'healthy.yaml',
    `version: 1
sites:
  - origin: ${site.origin}
    allowPrivateNetwork: true
    urls: [/]
`,
  );

describe('validate', () => {
  test('exit 0 with a one-line summary for a valid file', async () => {
    const run = await runCli(['validate', '--config', healthyConfig()]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(`${join(dir.path, 'healthy.yaml')}: valid (1 site, 1 URL, 1 robots.txt)\n`);
  });

  test('exit 2 with file:line:column messages and no stack trace', async () => {
    const path = writeConfig(
      'broken.yaml',
      [
        'version: 1',
        'defaults:',
        '  intervall: 5m',
        'sites:',
        '  - origin: https://www.example.com',
        '    urls:',
        '      - /',
        '      - path: /api/health',
        '        expectStatus: [700]',
      ].join('\n'),
    );
    const run = await runCli(['validate', '--config', path]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      `${path}:3:3 defaults.intervall: unknown key "intervall" (did you mean "interval"?)`,
      `${path}:9:24 sites[0].urls[1].expectStatus[0]: expected an HTTP status 100-599, got 700`,
    ]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('a missing file is exit 2 and says what to do', async () => {
    const run = await runCli(['validate', '--config', 'nope.yaml'], { cwd: dir.path });
    expect(run).toMatchObject({
      code: 2,
      stderr: 'nope.yaml: cannot read nope.yaml: no such file; create it or pass --config FILE\n',
    });
  });
});

describe('check --once', () => {
  test('a healthy site: exit 0, a table with status, outcome, latency and request id', async () => {
    const run = await runCli([
      'check',
      '--once',
      '--config',
      healthyConfig(),
      '--data-dir',
      join(dir.path, 'data-healthy'),
    ]);
    expect(run.code).toBe(0);
    const [header, robots, , home] = run.stdout.split('\n');
    expect(header).toMatch(/^STATUS\s+OUTCOME\s+LATENCY\s+TRIES\s+REQUEST ID\s+URL$/);
    expect(robots).toMatch(new RegExp(`^200\\s+ok\\s+\\d+ ms\\s+1\\s+-\\s+${site.origin}/robots.txt$`));
    expect(home).toMatch(new RegExp(`^200\\s+ok\\s+\\d+ ms\\s+1\\s+req-home\\s+${site.origin}/$`));
    expect(run.stdout).toMatch(/2 checks in \d+(ms|s): 2 ok/);
  });

  test('--json classifies every case on a loopback site, exit 1', async () => {
    const config = writeConfig(
      'all.yaml',
      `version: 1
defaults: { timeout: 1s, retries: 0 }
sites:
  - origin: ${site.origin}
    allowPrivateNetwork: true
    urls: [/, /500, /502, /503, /504, /429, /404, /hang, /reset, /loop, /huge, /drip, /private]
  - origin: ${tls.origin}
    allowPrivateNetwork: true
    robots: false
  - origin: http://127.0.0.1:${refused}
    allowPrivateNetwork: true
    robots: false
  - origin: http://localhost:${site.port}
    robots: false
`,
    );
    const run = await runCli([
      'check',
      '--once',
      '--json',
      '--config',
      config,
      '--data-dir',
      join(dir.path, 'data-all'),
      '--now',
      '2026-12-01T09:00:00Z',
    ]);
    expect(run.code).toBe(1);
    const lines = jsonLines(run.stdout);
    const results = lines.filter((l) => l.type === 'result');
    const outcomeOf = (url: string) => results.find((r) => r.url === url)?.outcome;
    expect(Object.fromEntries(results.map((r) => [String(r.url).replace(site.origin, ''), r.outcome]))).toMatchObject({
      '/robots.txt': 'ok',
      '/': 'ok',
      '/500': 'server_error',
      '/502': 'server_error',
      '/503': 'server_error',
      '/504': 'server_error',
      '/429': 'rate_limited',
      '/404': 'client_error',
      '/hang': 'timeout',
      '/reset': 'reset',
      '/loop': 'too_many_redirects',
      '/huge': 'ok',
      '/drip': 'timeout',
      '/private': 'client_error',
    });
    expect(outcomeOf(`${tls.origin}/`)).toBe('tls');
    expect(outcomeOf(`http://127.0.0.1:${refused}/`)).toBe('connect');
    expect(outcomeOf(`http://localhost:${site.port}/`)).toBe('blocked');

    // Every documented field, with its format.
    const leaky = results.find((r) => r.url === `${site.origin}/500`)!;
    expect(Object.keys(leaky).sort()).toEqual(
      [
        'attemptLog',
        'attempts',
        'bytes',
        'checkedAt',
        'error',
        'finalUrl',
        'kind',
        'latencyMs',
        'leak',
        'origin',
        'outcome',
        'redirects',
        'requestId',
        'retryAfter',
        'status',
        'truncated',
        'type',
        'url',
      ].sort(),
    );
    expect(leaky).toMatchObject({
      kind: 'page',
      origin: site.origin,
      checkedAt: '2026-12-01T09:00:00.000Z',
      status: 500,
      attempts: 1,
      leak: ['stack-trace', 'file-path', 'sql', 'version-banner'],
    });
    expect(typeof leaky.latencyMs).toBe('number');
    expect(results.find((r) => r.url === `${site.origin}/503`)!.retryAfter).toBe(60);
    const robots = results.find((r) => r.kind === 'robots')!;
    expect(robots).toMatchObject({
      robotsState: 'available',
      robots: { rulesFrom: 'fetched', disallowed: { Googlebot: [{ url: `${site.origin}/private` }] } },
    });
    expect(lines.at(-1)).toMatchObject({
      type: 'summary',
      passAt: '2026-12-01T09:00:00.000Z',
      checks: 17,
      healthy: 3,
      unhealthy: 14,
    });
  });

  test('exit 2 for a bad --now, a broken config, or a missing --once', async () => {
    const bad = await runCli([
      'check',
      '--once',
      '--config',
      healthyConfig(),
      '--now',
      'yesterday',
      '--data-dir',
      join(dir.path, 'd2'),
    ]);
    expect(bad).toMatchObject({
      code: 2,
      stderr: '--now expects an ISO-8601 instant with a zone, such as 2026-12-01T09:00:00Z; got "yesterday"\n',
    });
    const broken = await runCli(['check', '--once', '--config', writeConfig('v2.yaml', 'version: 2\nsites: []\n')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('v2.yaml:1:10 version: expected version: 1, got 2');
    const once = await runCli(['check', '--config', healthyConfig()]);
    expect(once.code).toBe(2);
    expect(once.stderr).toContain("required option '--once' not specified");
  });
});

describe('robots test', () => {
  test('allowed and disallowed with the deciding rule; exit 1 when any is disallowed', async () => {
    const file = writeConfig('robots.txt', 'User-agent: *\nDisallow: /private\nAllow: /private/ok\n');
    const run = await runCli([
      'robots',
      'test',
      file,
      'https://a.example/',
      'https://a.example/private/x',
      'https://a.example/private/ok',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').filter(Boolean)).toEqual([
      'allowed     https://a.example/  (no rule matches)',
      'disallowed  https://a.example/private/x  (Disallow: /private, line 2)',
      'allowed     https://a.example/private/ok  (Allow: /private/ok, line 3)',
    ]);
    const allowed = await runCli(['robots', 'test', file, 'https://a.example/public', '--agent', 'Bingbot']);
    expect(allowed.code).toBe(0);
  });

  test('a live robots.txt URL, and one that answers 503', async () => {
    const live = await runCli(['robots', 'test', `${site.origin}/robots.txt`, `${site.origin}/private`]);
    expect(live).toMatchObject({
      code: 1,
      stdout: `disallowed  ${site.origin}/private  (Disallow: /private, line 2)\n`,
    });
    const down = await runCli(['robots', 'test', `${site.origin}/503`, `${site.origin}/`]);
    expect(down.code).toBe(1);
    expect(down.stdout).toContain('robots.txt unreachable (HTTP 503): Google stops crawling the whole site');
  });

  test('an empty URL is a usage error', async () => {
    const file = writeConfig('robots2.txt', 'User-agent: *\nDisallow: /\n');
    const run = await runCli(['robots', 'test', file, '']);
    expect(run).toMatchObject({
      code: 2,
      stderr: 'URL is empty: give an absolute URL such as https://example.com/page\n',
    });
  });
});

test('--help works on every command', async () => {
  for (const args of [
    ['--help'],
    ['validate', '--help'],
    ['check', '--help'],
    ['run', '--help'],
    ['robots', 'test', '--help'],
  ]) {
    const run = await runCli(args);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: crawlguard/);
  }
});
