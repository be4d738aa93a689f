import {
  addUrls,
  listUrls,
  removeUrls,
  resolveInput,
  spreadEvenly,
  type UrlRef,
} from '../../../lambdas/core/config/edit';
import { ConfigError } from '../../../lambdas/core/config/errors';

const FILES: Record<string, string> = { 'urls/more.txt': '# more pages\n/blog\nhttps://www.example.com/contact\n' };
const read = (name: string): string => {
  if (name in FILES) return FILES[name]!;
  throw new Error(`cannot read ${name}: no such file`);
};

const ref = (url: string): UrlRef => {
  const r = resolveInput(url);
  if ('error' in r) throw new Error(r.error);
  return r;
};
const refs = (...urls: string[]) => urls.map(ref);

/** The lines of `after` that are not in `before`, and the other way round (a diff without order). */
function changedLines(before: string, after: string) {
  const a = before.split('\n');
  const b = after.split('\n');
  return { added: b.filter((l) => !a.includes(l)), removed: a.filter((l) => !b.includes(l)) };
}

const CONFIG = `# crawlguard: the URLs to watch.
version: 1

defaults:
  interval: 5m          # how often
  timeout: 10s          # the whole request

sites:
  - origin: https://www.example.com   # the shop front
    agents: [Googlebot, Bingbot]      # tokens
    urls:
      - /                             # home
      - https://www.example.com/pricing
      - path: /api/health
        expectStatus: [200]           # default: any 2xx
        bodyContains: ok
      # - /old   (commented out on purpose)
    urlsFile: urls/more.txt           # more URLs
  - origin: https://docs.example.com
    urls: [ /a, "/b" ]                # flow style
  - origin: https://status.example.com
    robots: false
# the end
`;

describe('addUrls', () => {
  test('appends to a block list in its indentation; every other byte stays', () => {
    const result = addUrls(
      'monitors.yaml',
      CONFIG,
      refs('https://www.example.com/new', 'https://www.example.com/x?y=1'),
      read,
    );
    expect(result.text).toBe(
      CONFIG.replace('        bodyContains: ok\n', '        bodyContains: ok\n      - /new\n      - /x?y=1\n'),
    );
    expect(result.added.map((a) => a.url)).toEqual(['https://www.example.com/new', 'https://www.example.com/x?y=1']);
  });

  test('appends to a flow list in flow style, quoted like its last item', () => {
    const result = addUrls('monitors.yaml', CONFIG, refs('https://docs.example.com/c'), read);
    expect(changedLines(CONFIG, result.text)).toEqual({
      added: ['    urls: [ /a, "/b", "/c" ]                # flow style'],
      removed: ['    urls: [ /a, "/b" ]                # flow style'],
    });
  });

  test('a new origin becomes a new site at the end of sites:, after the last site and before the trailing comment', () => {
    const result = addUrls(
      'monitors.yaml',
      CONFIG,
      refs('https://blog.example.com/', 'https://blog.example.com/feed'),
      read,
    );
    expect(result.newSites).toEqual(['https://blog.example.com']);
    expect(result.added.every((a) => a.newSite)).toBe(true);
    expect(result.text).toBe(
      CONFIG.replace(
        '    robots: false\n',
        '    robots: false\n  - origin: https://blog.example.com\n    urls:\n      - /\n      - /feed\n',
      ),
    );
  });

  test('a site with no urls: key gets one, and keeps the home page it watched by default', () => {
    const result = addUrls('monitors.yaml', CONFIG, refs('https://status.example.com/incidents'), read);
    expect(result.keptHome).toEqual(['https://status.example.com']);
    expect(result.text).toContain('    robots: false\n    urls:\n      - /\n      - /incidents\n# the end\n');
    expect(listUrls('monitors.yaml', result.text, read)[2]!.urls.map((u) => u.url)).toEqual([
      'https://status.example.com/',
      'https://status.example.com/incidents',
    ]);
  });

  test('skips URLs already monitored after resolution: paths, absolute URLs, object entries, the urlsFile, the default home page', () => {
    const result = addUrls(
      'monitors.yaml',
      CONFIG,
      refs(
        'https://www.example.com:443/#top', // the listed "/"
        'https://WWW.example.com/pricing', // an absolute entry
        'https://www.example.com/api/health', // an object entry
        'https://www.example.com/blog', // in the urlsFile
        'https://status.example.com/', // watched by default
      ),
      read,
    );
    expect(result.added).toEqual([]);
    expect(result.text).toBe(CONFIG);
    expect(result.skipped.map((s) => [s.url, s.source])).toEqual([
      ['https://www.example.com/', { kind: 'config', file: 'monitors.yaml' }],
      ['https://www.example.com/pricing', { kind: 'config', file: 'monitors.yaml' }],
      ['https://www.example.com/api/health', { kind: 'config', file: 'monitors.yaml' }],
      ['https://www.example.com/blog', { kind: 'urlsFile', file: 'urls/more.txt' }],
      ['https://status.example.com/', { kind: 'default' }],
    ]);
  });

  test('a URL given twice is added once', () => {
    const result = addUrls(
      'monitors.yaml',
      CONFIG,
      refs('https://docs.example.com/c', 'https://docs.example.com/c#x'),
      read,
    );
    expect(result.added).toHaveLength(1);
    expect(result.text).toContain('[ /a, "/b", "/c" ]');
  });

  test('quotes what a plain scalar would misread, and the result reads back as the same URL', () => {
    const result = addUrls(
      'monitors.yaml',
      CONFIG,
      refs('https://www.example.com/a,b:', 'https://www.example.com/[x]'),
      read,
    );
    expect(result.text).toContain('      - "/a,b:"\n      - "/[x]"\n');
    expect(listUrls('monitors.yaml', result.text, read)[0]!.urls.map((u) => u.url)).toContain(
      'https://www.example.com/[x]',
    );
  });

  test('limit takes the first new URLs; spread takes them evenly over the order', () => {
    const urls = refs(
      ...Array.from({ length: 10 }, (_, i) => `https://docs.example.com/p${i}`),
      'https://docs.example.com/a',
    );
    const first = addUrls('monitors.yaml', CONFIG, urls, read, { limit: 3 });
    expect(first.added.map((a) => a.url.slice(-2))).toEqual(['p0', 'p1', 'p2']);
    expect(first.skipped).toHaveLength(1);
    expect(first.notTaken).toHaveLength(7);
    const spread = addUrls('monitors.yaml', CONFIG, urls, read, { limit: 3, spread: true });
    expect(spread.added.map((a) => a.url.slice(-2))).toEqual(['p0', 'p3', 'p6']);
  });

  test('keeps CRLF line ends and a missing final newline', () => {
    const crlf = 'version: 1\r\nsites:\r\n  - origin: https://a.example\r\n    urls:\r\n      - /x';
    const result = addUrls('monitors.yaml', crlf, refs('https://a.example/y', 'https://b.example/'), read);
    expect(result.text).toBe(`${crlf}\r\n      - /y\r\n  - origin: https://b.example\r\n    urls:\r\n      - /`);
  });

  test('a flow sites: list gets a flow site', () => {
    const flow = 'version: 1\nsites: [{ origin: "https://a.example", urls: [/x] }]\n';
    const result = addUrls('monitors.yaml', flow, refs('https://b.example/q'), read);
    expect(result.text).toBe(
      'version: 1\nsites: [{ origin: "https://a.example", urls: [/x] }, { origin: https://b.example, urls: [/q] }]\n',
    );
  });

  test('copies the indentation of the file: four spaces, lists flush with their key', () => {
    const wide = 'version: 1\nsites:\n-   origin: https://a.example\n    urls:\n    - /x\n';
    const result = addUrls('monitors.yaml', wide, refs('https://a.example/y', 'https://b.example/'), read);
    expect(result.text).toBe(`${wide}    - /y\n-   origin: https://b.example\n    urls:\n    - /\n`);
  });

  test('new entries go after the last content, not after comment lines that trail it', () => {
    const text =
      'version: 1\nsites:\n  - origin: https://a.example\n    urls:\n      - /x\n      # after\n# tail\n\nhistory:\n  retention: 30d\n';
    const result = addUrls('monitors.yaml', text, refs('https://a.example/y', 'https://b.example/'), read);
    expect(result.text).toBe(
      text.replace('      - /x\n', '      - /x\n      - /y\n  - origin: https://b.example\n    urls:\n      - /\n'),
    );
  });

  test('refuses to edit a list shared through an alias', () => {
    const aliased =
      'version: 1\nsites:\n  - origin: https://a.example\n    urls: &common [/x]\n  - origin: https://b.example\n    urls: *common\n';
    expect(() => addUrls('monitors.yaml', aliased, refs('https://b.example/y'), read)).toThrow(
      /sites\[1\]\.urls: is an alias \(\*common\)/,
    );
  });

  test('an invalid file is refused with its problems, before any edit', () => {
    expect(() =>
      addUrls(
        'monitors.yaml',
        'version: 1\nsites:\n  - origin: https://a.example\n    urlz: [/x]\n',
        refs('https://a.example/y'),
        read,
      ),
    ).toThrow(ConfigError);
  });

  test('an edit whose result is invalid is refused: the problems, and no text to write', () => {
    // The urlsFile is readable for the first parse and gone for the second: the result no longer validates.
    let reads = 0;
    const flaky = (name: string) => {
      reads += 1;
      if (reads > 1) throw new Error(`cannot read ${name}: no such file`);
      return read(name);
    };
    let error: unknown;
    try {
      addUrls('monitors.yaml', CONFIG, refs('https://www.example.com/new'), flaky);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message.split('\n')).toEqual([
      'monitors.yaml: the edit would leave this file invalid, so nothing was written; the problems, at lines of the edited text:',
      'monitors.yaml:19:15 sites[0].urlsFile: cannot read urls/more.txt: no such file',
    ]);
  });
});

describe('removeUrls', () => {
  test('removes path, absolute and object entries with their lines; comments of their own stay', () => {
    const result = removeUrls(
      'monitors.yaml',
      CONFIG,
      refs('https://www.example.com/pricing', 'https://www.example.com/api/health'),
      read,
    );
    expect(result.removed.map((r) => r.url)).toEqual([
      'https://www.example.com/pricing',
      'https://www.example.com/api/health',
    ]);
    expect(changedLines(CONFIG, result.text)).toEqual({
      added: [],
      removed: [
        '      - https://www.example.com/pricing',
        '      - path: /api/health',
        '        expectStatus: [200]           # default: any 2xx',
        '        bodyContains: ok',
      ],
    });
    expect(result.text).toContain(
      '      - /                             # home\n      # - /old   (commented out on purpose)\n',
    );
  });

  test('removes from a flow list with its comma', () => {
    expect(removeUrls('monitors.yaml', CONFIG, refs('https://docs.example.com/a'), read).text).toContain(
      '    urls: [ "/b" ]                # flow style\n',
    );
    expect(removeUrls('monitors.yaml', CONFIG, refs('https://docs.example.com/b'), read).text).toContain(
      '    urls: [ /a ]                # flow style\n',
    );
  });

  test('a list emptied becomes [] and the site is reported as back to its home page', () => {
    const result = removeUrls(
      'monitors.yaml',
      CONFIG,
      refs('https://docs.example.com/a', 'https://docs.example.com/b'),
      read,
    );
    expect(result.text).toContain('    urls: [  ]                # flow style\n');
    expect(result.emptied).toEqual(['https://docs.example.com']);
    const block =
      'version: 1\nsites:\n  - origin: https://a.example\n    urls:   # the list\n      - /x\n      - /y\n    robots: false\n';
    const emptied = removeUrls('monitors.yaml', block, refs('https://a.example/x', 'https://a.example/y'), read);
    expect(emptied.text).toBe(
      'version: 1\nsites:\n  - origin: https://a.example\n    urls: []   # the list\n    robots: false\n',
    );
  });

  test('removing an anchored entry that an alias uses is refused by the validation, nothing to write', () => {
    const text =
      'version: 1\nsites:\n  - origin: https://a.example\n    urls:\n      - &h /x\n      - /y\n  - origin: https://b.example\n    urls:\n      - *h\n';
    expect(() => removeUrls('monitors.yaml', text, refs('https://a.example/x'), read)).toThrow(
      /nothing was written[^]*Unresolved alias/,
    );
    expect(removeUrls('monitors.yaml', text, refs('https://b.example/x'), read).text).toBe(
      'version: 1\nsites:\n  - origin: https://a.example\n    urls:\n      - &h /x\n      - /y\n  - origin: https://b.example\n    urls: []\n',
    );
  });

  test('a URL from the urlsFile is not edited: the file that holds it is named', () => {
    const result = removeUrls('monitors.yaml', CONFIG, refs('https://www.example.com/contact'), read);
    expect(result).toMatchObject({
      text: CONFIG,
      removed: [],
      inUrlsFile: [{ url: 'https://www.example.com/contact', file: 'urls/more.txt' }],
    });
  });

  test('reports URLs not monitored and the default home page, and changes nothing for them', () => {
    const result = removeUrls(
      'monitors.yaml',
      CONFIG,
      refs('https://www.example.com/nope', 'https://other.example/', 'https://status.example.com/'),
      read,
    );
    expect(result.text).toBe(CONFIG);
    expect(result.notMonitored.map((r) => r.url)).toEqual(['https://www.example.com/nope', 'https://other.example/']);
    expect(result.byDefault.map((r) => r.url)).toEqual(['https://status.example.com/']);
  });
});

describe('listUrls', () => {
  test('every URL per site, resolved, in config order, with its source', () => {
    expect(
      listUrls('monitors.yaml', CONFIG, read).map((s) => [
        s.origin,
        s.urls.map((u) => `${u.url} ${u.source.kind === 'default' ? 'default' : u.source.file}`),
      ]),
    ).toEqual([
      [
        'https://www.example.com',
        [
          'https://www.example.com/ monitors.yaml',
          'https://www.example.com/pricing monitors.yaml',
          'https://www.example.com/api/health monitors.yaml',
          'https://www.example.com/blog urls/more.txt',
          'https://www.example.com/contact urls/more.txt',
        ],
      ],
      [
        'https://docs.example.com',
        ['https://docs.example.com/a monitors.yaml', 'https://docs.example.com/b monitors.yaml'],
      ],
      ['https://status.example.com', ['https://status.example.com/ default']],
    ]);
  });
});

describe('resolveInput', () => {
  test.each([
    [
      'https://www.example.com/a#frag',
      undefined,
      { origin: 'https://www.example.com', url: 'https://www.example.com/a' },
    ],
    ['/a b', 'https://www.example.com/', { origin: 'https://www.example.com', url: 'https://www.example.com/a%20b' }],
    [
      'https://www.example.com/a',
      'https://www.example.com',
      { origin: 'https://www.example.com', url: 'https://www.example.com/a' },
    ],
  ])('%s with --site %s', (input, site, expected) => expect(resolveInput(input, site)).toEqual(expected));

  test.each([
    ['/a', undefined, '"/a" is a path: give an absolute URL, or --site ORIGIN to say which site it belongs to'],
    [
      'https://shop.example.com/a',
      'https://www.example.com',
      'https://shop.example.com/a is not on --site https://www.example.com: leave --site out for absolute URLs of other sites, or give a path',
    ],
    ['ftp://www.example.com/a', undefined, 'not an http:// or https:// URL: "ftp://www.example.com/a"'],
    [
      'a',
      'https://www.example.com',
      'expected a path starting with / or an absolute URL of https://www.example.com, got "a"',
    ],
    ['/a', 'www.example.com', '--site: expected an origin such as https://www.example.com, got "www.example.com"'],
  ])('%s with --site %s is refused', (input, site, error) => expect(resolveInput(input, site)).toEqual({ error }));
});

test('spreadEvenly is deterministic and starts at the first item', () => {
  expect(spreadEvenly([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4)).toEqual([0, 2, 5, 7]);
  expect(spreadEvenly([0, 1], 5)).toEqual([0, 1]);
});
