import { ConfigError } from '../../../lambdas/core/config/errors';
import { parseMonitorsConfig } from '../../../lambdas/core/config/parse';

const noFiles = (name: string): string => {
  throw new Error(`cannot read ${name}: no such file`);
};

function problemsOf(yaml: string, read = noFiles): string[] {
  try {
    parseMonitorsConfig('monitors.yaml', yaml, read);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const minimal = 'version: 1\nsites:\n  - origin: https://www.example.com\n';

describe('parseMonitorsConfig: valid documents', () => {
  test('fills every default and watches / when a site lists no URL', () => {
    const config = parseMonitorsConfig('monitors.yaml', minimal, noFiles);
    expect(config.sites).toEqual([
      {
        origin: 'https://www.example.com',
        robots: true,
        agents: ['Googlebot'],
        allowPrivateNetwork: false,
        urls: [{ url: 'https://www.example.com/', expectStatus: null, bodyContains: [], bodyNotContains: [] }],
        maintenance: [],
        intervalMs: 300_000,
        timeoutMs: 10_000,
        retries: 2,
        retryBackoffMs: 2_000,
        failureThreshold: 2,
        successThreshold: 2,
        userAgent: 'crawlguard/0.1 (+synthetic uptime check)',
        deindexRiskAfterMs: 86_400_000,
        deindexCriticalAfterMs: 172_800_000,
        remindEveryMs: null,
        robotsCachedCopyAfterMs: 43_200_000,
        robotsCliffWarningAfterMs: 25 * 86_400_000,
        robotsCliffAfterMs: 30 * 86_400_000,
        routing: { critical: ['sms', 'email'], warning: ['email'], info: [] },
      },
    ]);
    expect(config.alerts).toEqual({
      email: [],
      sms: [],
      smsPerDay: 10,
      routing: { critical: ['sms', 'email'], warning: ['email'], info: [] },
    });
    expect(config.limits).toEqual({ concurrency: 50, perOriginConcurrency: 4, maxUrlsPerShard: 500 });
    expect(config.history).toEqual({ retentionMs: 30 * 86_400_000 });
  });

  test('a site may turn reminders off that the defaults turn on', () => {
    const config = parseMonitorsConfig(
      'monitors.yaml',
      'version: 1\ndefaults: { remindEvery: 6h }\nsites:\n  - origin: https://a.example\n  - origin: https://b.example\n    remindEvery: off\n',
      noFiles,
    );
    expect(config.sites.map((s) => s.remindEveryMs)).toEqual([21_600_000, null]);
  });

  test('routing: top-level per severity, then per site', () => {
    const config = parseMonitorsConfig(
      'monitors.yaml',
      [
        'version: 1',
        'alerts:',
        '  smsPerDay: 3',
        '  routing: { warning: [email, sms], info: [email] }',
        'sites:',
        '  - origin: https://a.example',
        '  - origin: https://b.example',
        '    alerts: { routing: { critical: [email] } }',
      ].join('\n'),
      noFiles,
    );
    expect(config.alerts.smsPerDay).toBe(3);
    expect(config.sites.map((s) => s.routing)).toEqual([
      { critical: ['sms', 'email'], warning: ['email', 'sms'], info: ['email'] },
      { critical: ['email'], warning: ['email', 'sms'], info: ['email'] },
    ]);
  });

  test('sites inherit defaults and may override them', () => {
    const config = parseMonitorsConfig(
      'monitors.yaml',
      [
        'version: 1',
        'defaults: { interval: 1m, timeout: 5s, retries: 0 }',
        'sites:',
        '  - origin: https://a.example',
        '  - origin: https://b.example',
        '    interval: 30s',
        '    retries: 3',
      ].join('\n'),
      noFiles,
    );
    expect(config.sites.map((s) => [s.intervalMs, s.timeoutMs, s.retries])).toEqual([
      [60_000, 5_000, 0],
      [30_000, 5_000, 3],
    ]);
  });

  test('normalises origins and resolves paths, absolute URLs and urlsFile lines', () => {
    const config = parseMonitorsConfig(
      'monitors.yaml',
      [
        'version: 1',
        'sites:',
        '  - origin: HTTPS://WWW.Example.com:443/',
        '    urls:',
        '      - /pricing#plans',
        '      - https://www.example.com/about?x=1',
        '      - path: /api/health',
        '        expectStatus: 200',
        '        bodyContains: ok',
        '    urlsFile: urls.txt',
      ].join('\n'),
      (name) => (name === 'urls.txt' ? '# comment\n\n/blog\nhttps://www.example.com/contact\n' : noFiles(name)),
    );
    const site = config.sites[0]!;
    expect(site.origin).toBe('https://www.example.com');
    expect(site.urls).toEqual([
      { url: 'https://www.example.com/pricing', expectStatus: null, bodyContains: [], bodyNotContains: [] },
      { url: 'https://www.example.com/about?x=1', expectStatus: null, bodyContains: [], bodyNotContains: [] },
      { url: 'https://www.example.com/api/health', expectStatus: [200], bodyContains: ['ok'], bodyNotContains: [] },
      { url: 'https://www.example.com/blog', expectStatus: null, bodyContains: [], bodyNotContains: [] },
      { url: 'https://www.example.com/contact', expectStatus: null, bodyContains: [], bodyNotContains: [] },
    ]);
  });

  test('an empty block such as `defaults:` with its children commented out means all defaults', () => {
    const config = parseMonitorsConfig(
      'monitors.yaml',
      `version: 1\ndefaults:\n  # interval: 1m\nalerts:\n${minimal.slice(11)}`,
      noFiles,
    );
    expect(config.sites[0]!.intervalMs).toBe(300_000);
  });

  test('maintenance windows are normalised to UTC', () => {
    const config = parseMonitorsConfig(
      'monitors.yaml',
      `${minimal}    maintenance:\n      - start: 2026-12-01T03:00:00+01:00\n        end: 2026-12-01T04:00:00Z\n`,
      noFiles,
    );
    expect(config.sites[0]!.maintenance).toEqual([
      { start: '2026-12-01T02:00:00.000Z', end: '2026-12-01T04:00:00.000Z', reason: null },
    ]);
  });
});

// Each case: the document, and the exact lines a user sees (file:line:column path: message).
const errorCases: [string, string, string[]][] = [
  [
    'expectStatus out of range',
    [
      'version: 1',
      'sites:',
      '  - origin: https://www.example.com',
      '    urls:',
      '      - /',
      '      - /pricing',
      '      - path: /api/health',
      '        expectStatus: [200, 700]',
    ].join('\n'),
    ['monitors.yaml:8:29 sites[0].urls[2].expectStatus[1]: expected an HTTP status 100-599, got 700'],
  ],
  [
    'unknown key with a suggestion',
    'version: 1\ndefaults:\n  intervall: 5m\nsites:\n  - origin: https://a.example\n',
    ['monitors.yaml:3:3 defaults.intervall: unknown key "intervall" (did you mean "interval"?)'],
  ],
  [
    'unknown key without a plausible suggestion',
    'version: 1\nsites:\n  - origin: https://a.example\n    colour: red\n',
    ['monitors.yaml:4:5 sites[0].colour: unknown key "colour"'],
  ],
  [
    'unknown key in a URL entry',
    'version: 1\nsites:\n  - origin: https://a.example\n    urls:\n      - path: /\n        bodyContain: ok\n',
    ['monitors.yaml:6:9 sites[0].urls[0].bodyContain: unknown key "bodyContain" (did you mean "bodyContains"?)'],
  ],
  [
    'bad duration',
    'version: 1\ndefaults:\n  timeout: 10 seconds\nsites:\n  - origin: https://a.example\n',
    ['monitors.yaml:3:12 defaults.timeout: expected a duration such as 30s, 5m or 1h for timeout, got "10 seconds"'],
  ],
  [
    'unquoted phone number',
    'version: 1\nalerts:\n  sms: [+15555550100]\nsites:\n  - origin: https://a.example\n',
    [
      'monitors.yaml:3:9 alerts.sms[0]: expected a phone number in E.164 form in quotes, such as "+15555550100", got 15555550100',
    ],
  ],
  [
    'wrong version and missing sites',
    'version: 2\n',
    [
      'monitors.yaml:1:1 sites: missing: expected a list of sites',
      'monitors.yaml:1:10 version: expected version: 1, got 2',
    ],
  ],
  [
    'origin with a path',
    'version: 1\nsites:\n  - origin: https://a.example/blog\n',
    [
      'monitors.yaml:3:13 sites[0].origin: expected scheme://host[:port] with no path, got "https://a.example/blog"; list paths under urls:',
    ],
  ],
  [
    'origin of another scheme',
    'version: 1\nsites:\n  - origin: ftp://a.example\n',
    ['monitors.yaml:3:13 sites[0].origin: expected an http:// or https:// origin, got "ftp://a.example"'],
  ],
  [
    'the same origin twice',
    'version: 1\nsites:\n  - origin: https://a.example\n  - origin: https://A.example:443\n',
    ['monitors.yaml:4:13 sites[1].origin: https://a.example is already configured in sites[0]; merge the two'],
  ],
  [
    'a URL of another origin',
    'version: 1\nsites:\n  - origin: https://a.example\n    urls: [https://b.example/x]\n',
    ['monitors.yaml:4:12 sites[0].urls[0]: https://b.example/x is not on https://a.example; give it a site of its own'],
  ],
  [
    'a relative path',
    'version: 1\nsites:\n  - origin: https://a.example\n    urls: [pricing]\n',
    [
      'monitors.yaml:4:12 sites[0].urls[0]: expected a path starting with / or an absolute URL of https://a.example, got "pricing"',
    ],
  ],
  [
    'a URL listed twice',
    'version: 1\nsites:\n  - origin: https://a.example\n    urls:\n      - /x\n      - /y\n      - /x#frag\n',
    ['monitors.yaml:7:9 sites[0].urls[2]: https://a.example/x is listed twice for this site'],
  ],
  [
    'a maintenance window that ends first',
    'version: 1\nsites:\n  - origin: https://a.example\n    maintenance:\n      - start: 2026-12-01T04:00:00Z\n        end: 2026-12-01T02:00:00Z\n',
    ['monitors.yaml:6:14 sites[0].maintenance[0].end: the window must end after it starts'],
  ],
  [
    'a time without zone',
    'version: 1\nsites:\n  - origin: https://a.example\n    maintenance:\n      - start: 2026-12-01T04:00:00\n        end: 2026-12-01T05:00:00Z\n',
    [
      'monitors.yaml:5:16 sites[0].maintenance[0].start: expected an ISO-8601 time with a zone, such as 2026-12-01T02:00:00Z, got "2026-12-01T04:00:00"',
    ],
  ],
  [
    'a timeout longer than the interval',
    'version: 1\nsites:\n  - origin: https://a.example\n    interval: 30s\n    timeout: 1m\n',
    ['monitors.yaml:5:14 sites[0].timeout: timeout must be shorter than interval for https://a.example'],
  ],
  [
    'a deindex-risk clock longer than the critical one',
    'version: 1\ndefaults:\n  deindexRiskAfter: 3d\nsites:\n  - origin: https://a.example\n',
    [
      'monitors.yaml:3:21 defaults.deindexRiskAfter: deindexRiskAfter must be shorter than deindexCriticalAfter for https://a.example',
    ],
  ],
  [
    'remindEvery neither off nor a duration',
    'version: 1\ndefaults:\n  remindEvery: never\nsites:\n  - origin: https://a.example\n',
    ['monitors.yaml:3:16 defaults.remindEvery: expected off or a duration such as 6h, got "never"'],
  ],
  [
    'a missing urlsFile',
    'version: 1\nsites:\n  - origin: https://a.example\n    urlsFile: urls/missing.txt\n',
    ['monitors.yaml:4:15 sites[0].urlsFile: cannot read urls/missing.txt: no such file'],
  ],
  [
    'a bad agent token',
    'version: 1\nsites:\n  - origin: https://a.example\n    agents: ["Googlebot/2.1"]\n',
    [
      'monitors.yaml:4:14 sites[0].agents[0]: expected a robots.txt product token such as Googlebot, got "Googlebot/2.1"',
    ],
  ],
  [
    'YAML syntax',
    'version: 1\nsites:\n  - origin: x\n bad: [\n',
    [
      'monitors.yaml:4:1 YAML: All mapping items must start at the same column',
      'monitors.yaml:5:1 YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
  ],
  [
    'an unknown channel',
    'version: 1\nalerts:\n  routing: { critical: [pager] }\nsites:\n  - origin: https://a.example\n',
    ['monitors.yaml:3:25 alerts.routing.critical[0]: expected sms or email, got "pager"'],
  ],
  [
    'an alias to no anchor',
    'version: 1\nsites: *nowhere\n',
    ['monitors.yaml:2:8 YAML: Unresolved alias (the anchor must be set before the alias): nowhere'],
  ],
  [
    'a billion laughs',
    `a: &a [x,x,x,x,x,x,x,x,x]\n${'bcdefgh'
      .split('')
      .map(
        (c) =>
          `${c}: &${c} [${Array(9)
            .fill(`*${String.fromCharCode(c.charCodeAt(0) - 1)}`)
            .join(',')}]`,
      )
      .join('\n')}\n`,
    ['monitors.yaml:2:8 YAML: Excessive alias count indicates a resource exhaustion attack'],
  ],
  ['a duplicate key', 'version: 1\nversion: 1\nsites: []\n', ['monitors.yaml:2:1 YAML: Map keys must be unique']],
  [
    'an empty file',
    '',
    [
      'monitors.yaml:1:1 version: missing: expected version: 1',
      'monitors.yaml:1:1 sites: missing: expected a list of sites',
    ],
  ],
];

describe('parseMonitorsConfig: errors name file:line:column and the key', () => {
  test.each(errorCases)('%s', (_name, yaml, expected) => {
    expect(problemsOf(yaml)).toEqual(expected);
  });

  test('for a deployment, intervals must be whole minutes (EventBridge Scheduler)', () => {
    const yaml =
      'version: 1\ndefaults: { interval: 30s, timeout: 5s }\nsites:\n  - origin: https://a.example\n  - origin: https://b.example\n    interval: 90s\n';
    expect(() => parseMonitorsConfig('monitors.yaml', yaml, noFiles)).not.toThrow();
    let message = '';
    try {
      parseMonitorsConfig('monitors.yaml', yaml, noFiles, { forDeploy: true });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'monitors.yaml:2:23 defaults.interval: EventBridge Scheduler runs whole minutes, at most once a minute: use 1m or more for https://a.example to deploy it (shorter intervals run locally)',
      'monitors.yaml:6:15 sites[1].interval: EventBridge Scheduler runs whole minutes, at most once a minute: use 1m or more for https://b.example to deploy it (shorter intervals run locally)',
    ]);
  });

  test('the largest site accepted: 50,000 URLs of up to 2,048 characters, 20 agents (sitemaps protocol limits)', () => {
    const long = `/${'a'.repeat(2_048 - 'https://a.example/'.length)}`;
    expect(problemsOf(`version: 1\nsites:\n  - origin: https://a.example\n    urls: [${long}x]\n`)).toEqual([
      "monitors.yaml:4:12 sites[0].urls[0]: the URL is 2049 characters long; crawlguard monitors URLs of up to 2048 (the sitemaps protocol's limit)",
    ]);
    expect(() =>
      parseMonitorsConfig(
        'monitors.yaml',
        `version: 1\nsites:\n  - origin: https://a.example\n    urls: [${long}]\n`,
        noFiles,
      ),
    ).not.toThrow();
    const lines = (n: number) => () => Array.from({ length: n }, (_, i) => `/p/${i}`).join('\n');
    const site = 'version: 1\nsites:\n  - origin: https://a.example\n    urlsFile: urls.txt\n';
    expect(parseMonitorsConfig('monitors.yaml', site, lines(50_000)).sites[0]!.urls).toHaveLength(50_000);
    expect(problemsOf(site, lines(50_001))).toEqual([
      'urls.txt:50001:1 sites[0].urlsFile: a site holds at most 50000 URLs (this one has 50001); split it across sites or keep the pages that matter',
    ]);
    const agents = Array.from({ length: 21 }, (_, i) => `Bot${String.fromCharCode(97 + i)}`).join(', ');
    expect(problemsOf(`version: 1\nsites:\n  - origin: https://a.example\n    agents: [${agents}]\n`)).toEqual([
      'monitors.yaml:4:13 sites[0].agents: expected at most 20 agents, got a list of 21',
    ]);
  });

  test('urlsFile problems name the URL file and its line', () => {
    const read = () => '/ok\n\n  relative/path\nhttps://other.example/\n';
    expect(problemsOf('version: 1\nsites:\n  - origin: https://a.example\n    urlsFile: urls.txt\n', read)).toEqual([
      'urls.txt:3:3 sites[0].urlsFile: expected a path starting with / or an absolute URL of https://a.example',
      'urls.txt:4:1 sites[0].urlsFile: a URL of https://other.example is not on https://a.example; give it a site of its own',
    ]);
  });
});
