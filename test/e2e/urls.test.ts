/**
 * `crawlguard add`, `remove`, `list` and `import-sitemap` end to end, in process through main() (and
 * once through the spawned binary), real files in a
 * temporary directory, and sitemaps served by a loopback site. Nothing leaves 127.0.0.1: the page URLs
 * the sitemaps list are written to monitors.yaml, never fetched.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { startSite, type RunningSite } from '../../demo/site';
import { main } from '../../lambdas/handlers/cli/main';
import { jsonLines, runCli } from '../support/cli';
import { captureIo } from '../support/io';
import { tempDir } from '../support/store';

const FIXTURES = join(__dirname, '..', 'fixtures', 'sitemaps');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

/** The real command line, in process: main() maps errors to exit statuses as the binary does. */
async function crawlguard(...args: string[]): Promise<{ status: number; out: string[]; err: string[] }> {
  const io = captureIo();
  const status = await main(args, io);
  return { status, out: io.lines, err: io.errors };
}

const CONFIG = `# crawlguard: the URLs to watch and how.
version: 1

defaults:
  interval: 5m          # how often each site is checked
  timeout: 10s          # the whole request

sites:
  - origin: https://www.example.com   # the shop front
    agents: [Googlebot, Bingbot]      # robots.txt product tokens
    urls:
      - /                             # home
      - /pricing
      - path: /api/health
        expectStatus: [200]           # default: any 2xx
    urlsFile: urls/example.txt        # more URLs, one per line
`;

let site: RunningSite;
let dir: ReturnType<typeof tempDir>;
let config: string;
/** The monitors file of the import tests: the shop front is the loopback site, opted in to private addresses. */
let importConfig: string;

/** A fixture as the loopback site serves it: its www.example.com URLs moved to the site (shop.example.com stays put). */
const served = (name: string) => {
  const bytes = fixture(name);
  const gz = name.endsWith('.gz');
  const text = (gz ? gunzipSync(bytes) : bytes).toString('utf8').replaceAll('https://www.example.com', site.origin);
  return gz ? gzipSync(text) : Buffer.from(text);
};

beforeAll(async () => {
  site = await startSite({});
  site.route('/sitemap_index.xml', (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/xml' }).end(served('sitemap-index.xml')),
  );
  site.route('/sitemap-pages.xml', (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/xml' }).end(served('sitemap-pages.xml')),
  );
  // As a static file server sends a .gz: the gzip bytes as they are, no Content-Encoding.
  site.route('/sitemap-posts.xml.gz', (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/x-gzip' }).end(served('sitemap-posts.xml.gz')),
  );
  site.route('/broken-index.xml', (_req, res) =>
    res
      .writeHead(200, { 'content-type': 'application/xml' })
      .end(
        `<sitemapindex><sitemap><loc>${site.origin}/sitemap-pages.xml</loc></sitemap><sitemap><loc>${site.origin}/gone.xml</loc></sitemap></sitemapindex>`,
      ),
  );
  importConfig = CONFIG.replace(
    '  - origin: https://www.example.com   # the shop front\n',
    `  - origin: ${site.origin}   # the shop front\n    allowPrivateNetwork: true\n`,
  );
  dir = tempDir();
});

afterAll(async () => {
  await site.close();
  dir.cleanup();
});

beforeEach(() => {
  const here = join(dir.path, String(Date.now() + Math.random()));
  mkdirSync(join(here, 'urls'), { recursive: true });
  writeFileSync(join(here, 'urls', 'example.txt'), '# more pages\n/blog\n');
  config = join(here, 'monitors.yaml');
  writeFileSync(config, CONFIG);
});

const written = () => readFileSync(config, 'utf8');

describe('import-sitemap', () => {
  beforeEach(() => writeFileSync(config, importConfig));

  test('reads an index and its gzip child over HTTP, adds the new URLs of its host, skips other hosts, keeps the file as it was around them', async () => {
    const run = await crawlguard('import-sitemap', `${site.origin}/sitemap_index.xml`, '--config', config);
    expect(run.err).toEqual([]);
    expect(run.status).toBe(0);
    expect(written()).toBe(
      importConfig.replace(
        '        expectStatus: [200]           # default: any 2xx\n',
        [
          '        expectStatus: [200]           # default: any 2xx',
          '      - /search?q=crawl&page=2',
          '      - /about',
          '      - /blog/first-post',
          '      - /blog/second-post',
          '',
        ].join('\n'),
      ),
    );
    const o = site.origin;
    expect(run.out).toEqual([
      `read ${o}/sitemap_index.xml: 3 sitemaps, 1 index among them; 7 URLs (1 more listed twice)`,
      'added 4 URLs:',
      `  ${o}: 4`,
      `    + ${o}/search?q=crawl&page=2`,
      `    + ${o}/about`,
      `    + ${o}/blog/first-post`,
      `    + ${o}/blog/second-post`,
      'skipped 3 already monitored:',
      `    ${o}/ (${config})`,
      `    ${o}/pricing (${config})`,
      `    ${o}/blog (urls/example.txt)`,
      'skipped 2 entries not taken:',
      `    ${o}/sitemap-posts.xml.gz, entry 3: on shop.example.com, not 127.0.0.1:${site.port}: a sitemap lists only URLs of its own host (sitemaps.org)`,
      `    ${o}/sitemap-posts.xml.gz, entry 4: on shop.example.com, not 127.0.0.1:${site.port}: a sitemap lists only URLs of its own host (sitemaps.org)`,
      `${config}: added 4 URLs`,
    ]);
    // Atomic write: no temporary file left beside it.
    expect(readdirSync(join(config, '..')).sort()).toEqual(['monitors.yaml', 'urls']);

    const again = await crawlguard('import-sitemap', `${site.origin}/sitemap_index.xml`, '--config', config);
    expect(again.status).toBe(0);
    expect(again.out.at(-1)).toBe(`${config}: nothing to add, unchanged`);
  });

  test('--sample N spreads over the sitemap order; --limit N takes the first', async () => {
    const sample = await crawlguard(
      'import-sitemap',
      `${site.origin}/sitemap_index.xml`,
      '--sample',
      '2',
      '-c',
      config,
    );
    expect(sample.out.filter((l) => l.includes('+ '))).toEqual([
      // 4 new URLs, 2 taken: the 1st and 3rd.
      `    + ${site.origin}/search?q=crawl&page=2`,
      `    + ${site.origin}/blog/first-post`,
    ]);
    expect(sample.out).toContain('skipped 2 past --sample 2:');
    const limit = await crawlguard('import-sitemap', `${site.origin}/sitemap_index.xml`, '--limit', '1', '-c', config);
    expect(limit.out.filter((l) => l.includes('+ '))).toEqual([`    + ${site.origin}/about`]);
    const both = await crawlguard(
      'import-sitemap',
      `${site.origin}/sitemap_index.xml`,
      '--limit',
      '1',
      '--sample',
      '1',
      '-c',
      config,
    );
    expect(both.status).toBe(2);
    expect(both.err.join('\n')).toMatch(/cannot be used with option '--limit/);
  });

  test('a child sitemap answering 404 stops the import: the URL and status named, nothing written', async () => {
    const run = await crawlguard('import-sitemap', `${site.origin}/broken-index.xml`, '-c', config);
    expect(run.status).toBe(2);
    expect(run.err).toEqual([
      `${site.origin}/gone.xml answered HTTP 404 Not Found; a sitemap must answer 2xx (listed in ${site.origin}/broken-index.xml)`,
    ]);
    expect(written()).toBe(importConfig);
  });

  test('a text sitemap from a file: lines that are not URLs are located, never quoted, the rest added', async () => {
    const run = await crawlguard('import-sitemap', join(FIXTURES, 'sitemap.txt'), '-c', config);
    expect(run.status).toBe(0);
    expect(run.out).toContain('skipped 1 entry not taken:');
    expect(run.out).toContain(`    ${join(FIXTURES, 'sitemap.txt')}, entry 4: not an absolute URL`);
    expect(run.out.join('\n')).not.toContain('not a url');
    expect(written()).toContain(
      '  - origin: https://www.example.com\n    urls:\n      - /\n      - /contact\n      - /docs\n',
    );
  });
});

describe('add, remove, list', () => {
  test('add: paths with --site, absolute URLs, a new site appended; already monitored ones reported', async () => {
    const run = await crawlguard(
      'add',
      '/new',
      'https://www.example.com/blog',
      '--site',
      'https://www.example.com',
      '-c',
      config,
    );
    expect(run).toMatchObject({ status: 0, err: [] });
    expect(run.out).toEqual([
      '+ https://www.example.com/new',
      '= https://www.example.com/blog already monitored (in urls/example.txt)',
      `${config}: added 1 URL; 1 already monitored`,
    ]);
    const other = await crawlguard('add', 'http://127.0.0.1:8080/health', '-c', config);
    expect(other.out).toEqual([
      '+ http://127.0.0.1:8080/health (new site)',
      'note: http://127.0.0.1:8080 is a loopback or private address: add allowPrivateNetwork: true to its site to check it',
      `${config}: added 1 URL (1 new site)`,
    ]);
    expect(written()).toBe(
      `${CONFIG.replace('    urlsFile:', '      - /new\n    urlsFile:')}  - origin: http://127.0.0.1:8080\n    urls:\n      - /health\n`,
    );
  });

  test('add: an absolute URL at another origin than --site is a usage error, and nothing is written', async () => {
    const run = await crawlguard(
      'add',
      'https://shop.example.com/',
      '/x',
      '--site',
      'https://www.example.com',
      '-c',
      config,
    );
    expect(run.status).toBe(2);
    expect(run.err).toEqual([
      'https://shop.example.com/ is not on --site https://www.example.com: leave --site out for absolute URLs of other sites, or give a path',
    ]);
    expect(written()).toBe(CONFIG);
  });

  test('remove: exit 0 when one was removed, 1 when nothing matched; the urlsFile is named, not edited', async () => {
    const run = await crawlguard(
      'remove',
      'https://www.example.com/pricing',
      'https://www.example.com/blog',
      '-c',
      config,
    );
    expect(run.status).toBe(0);
    expect(run.out).toEqual([
      '- https://www.example.com/pricing',
      `! https://www.example.com/blog is listed in urls/example.txt: delete its line there (crawlguard edits only ${config})`,
      `${config}: removed 1 URL`,
    ]);
    expect(written()).toBe(CONFIG.replace('      - /pricing\n', ''));
    const none = await crawlguard('remove', '/pricing', '-c', config);
    expect(none.status).toBe(1);
    expect(none.out).toEqual([
      '? https://www.example.com/pricing is not monitored',
      `${config}: nothing matched, unchanged`,
    ]);
  });

  test('list: every URL with its source; --json one object per line', async () => {
    const run = await crawlguard('list', '-c', config);
    expect(run.out).toEqual([
      'https://www.example.com (4 URLs)',
      `  https://www.example.com/            ${config}`,
      `  https://www.example.com/pricing     ${config}`,
      `  https://www.example.com/api/health  ${config}`,
      '  https://www.example.com/blog        urls/example.txt',
    ]);
    const json = await crawlguard('list', '--json', '-c', config);
    expect(json.out.map((l) => JSON.parse(l))).toEqual([
      { type: 'url', origin: 'https://www.example.com', url: 'https://www.example.com/', source: config },
      { type: 'url', origin: 'https://www.example.com', url: 'https://www.example.com/pricing', source: config },
      { type: 'url', origin: 'https://www.example.com', url: 'https://www.example.com/api/health', source: config },
      {
        type: 'url',
        origin: 'https://www.example.com',
        url: 'https://www.example.com/blog',
        source: 'urls/example.txt',
      },
    ]);
  });

  test('an invalid monitors file: its problems, exit 2, nothing written', async () => {
    const broken = CONFIG.replace('    urlsFile:', '    urlzFile:');
    writeFileSync(config, broken);
    const run = await crawlguard('add', 'https://www.example.com/new', '-c', config);
    expect(run.status).toBe(2);
    expect(run.err).toEqual([`${config}:16:5 sites[0].urlzFile: unknown key "urlzFile" (did you mean "urlsFile"?)`]);
    expect(written()).toBe(broken);
  });
});

describe('through the spawned command', () => {
  test('add, list --json and remove edit monitors.yaml and exit as documented', async () => {
    const dir = tempDir();
    try {
      const config = join(dir.path, 'monitors.yaml');
      writeFileSync(
        config,
        'version: 1\n# the shop\nsites:\n  - origin: https://shop.example   # main site\n    urls:\n      - /\n',
      );
      const add = await runCli([
        'add',
        'https://shop.example/pricing',
        'https://blog.example/post',
        '--config',
        config,
      ]);
      expect(add.code).toBe(0);
      expect(readFileSync(config, 'utf8')).toContain('# the shop');
      expect(readFileSync(config, 'utf8')).toContain('https://shop.example   # main site');
      const list = await runCli(['list', '--json', '--config', config]);
      expect(jsonLines(list.stdout).map((l) => l.url)).toEqual([
        'https://shop.example/',
        'https://shop.example/pricing',
        'https://blog.example/post',
      ]);
      const remove = await runCli(['remove', 'https://shop.example/pricing', '--config', config]);
      expect(remove.code).toBe(0);
      const none = await runCli(['remove', 'https://shop.example/nope', '--config', config]);
      expect(none.code).toBe(1);
      expect((await runCli(['validate', '--config', config])).code).toBe(0);
    } finally {
      dir.cleanup();
    }
  });
});
