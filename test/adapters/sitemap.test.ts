import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { behave, startSite, type RunningSite } from '../../demo/site';
import {
  parseSitemap,
  readSitemaps,
  SITEMAP_LIMITS,
  SitemapError,
  type LoadSitemap,
} from '../../lambdas/adapters/sitemap';
import { privateNetworkOn } from '../../lambdas/adapters/http/ssrf';
import { createSitemapLoader, readSitemapFile, type SitemapLoader } from '../../lambdas/adapters/sitemap-source';

const FIXTURES = join(__dirname, '..', 'fixtures', 'sitemaps');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

/** Serves the fixtures as if they were at https://www.example.com/<name>; nothing leaves the process. */
const fromFixtures: LoadSitemap = async (location) => {
  const name = location.replace('https://www.example.com/', '');
  try {
    return { bytes: fixture(name), finalUrl: location };
  } catch {
    throw new SitemapError(`${location} answered HTTP 404 Not Found; a sitemap must answer 2xx`);
  }
};

const PAGES = [
  'https://www.example.com/',
  'https://www.example.com/pricing',
  'https://www.example.com/search?q=crawl&page=2',
  'https://www.example.com/about',
  'https://www.example.com/blog',
];
const POSTS = [
  'https://www.example.com/blog/first-post',
  'https://www.example.com/blog/second-post',
  'https://shop.example.com/',
  'https://shop.example.com/cart',
];

describe('parseSitemap', () => {
  test('a urlset: locs trimmed, entities decoded, CDATA read, extension locs (image:loc) left out, in order', () => {
    expect(parseSitemap(fixture('sitemap-pages.xml'), 'pages')).toEqual({
      kind: 'urlset',
      locs: [...PAGES, 'https://www.example.com/pricing'],
    });
  });

  test('gzip is recognised by its magic bytes, and prefixed elements (sm:urlset, sm:loc) are read in the root prefix', () => {
    const bytes = fixture('sitemap-posts.xml.gz');
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    expect(parseSitemap(bytes, 'posts')).toEqual({ kind: 'urlset', locs: POSTS });
  });

  test('a name ending in .gz does not make plain XML gzip, nor does plain gzip need the name', () => {
    expect(parseSitemap(fixture('sitemap-pages.xml'), 'https://x/sitemap.xml.gz').locs).toHaveLength(6);
    expect(parseSitemap(gzipSync(fixture('sitemap-index.xml')), 'https://x/sitemap').kind).toBe('index');
  });

  test('a sitemap index lists its child sitemaps', () => {
    expect(parseSitemap(fixture('sitemap-index.xml'), 'index')).toEqual({
      kind: 'index',
      locs: ['https://www.example.com/sitemap-pages.xml', 'https://www.example.com/sitemap-posts.xml.gz'],
    });
  });

  test('a text sitemap: one URL per line, blank lines and CRLF tolerated', () => {
    expect(parseSitemap(fixture('sitemap.txt'), 'txt')).toEqual({
      kind: 'text',
      locs: [
        'https://www.example.com/',
        'https://www.example.com/contact',
        'https://www.example.com/docs',
        'not a url',
      ],
    });
  });

  test('a UTF-8 byte order mark is not content', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fixture('sitemap-index.xml')]);
    expect(parseSitemap(bom, 'bom').kind).toBe('index');
  });

  test('an HTML page or another XML document is not a sitemap, and the message says what it found', () => {
    expect(() => parseSitemap(fixture('not-a-sitemap.html'), 'https://x/sitemap.xml')).toThrow(
      'https://x/sitemap.xml is an HTML page, not a sitemap: expected <urlset> or <sitemapindex>',
    );
    expect(() => parseSitemap(Buffer.from('<?xml version="1.0"?><rss><channel/></rss>'), 'feed.xml')).toThrow(
      'feed.xml is not a sitemap: its root element is <rss>, expected <urlset> or <sitemapindex>',
    );
  });

  test('malformed XML is refused with where it breaks, quoting nothing of it', () => {
    expect(() => parseSitemap(Buffer.from('<urlset>\n<url><loc>https://x/</url>\n</urlset>'), 'bad.xml')).toThrow(
      /^bad\.xml is not well-formed XML \(line 2, column \d+\)$/,
    );
  });

  test.each<[string, string, RegExp]>([
    [
      'an external entity',
      '<?xml version="1.0"?>\n<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<urlset><url><loc>https://x/&xxe;</loc></url></urlset>',
      /^ent\.xml has a DOCTYPE \(line 2\): a sitemap has none, and crawlguard expands no entities it could declare$/,
    ],
    [
      'nested entities (billion laughs)',
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><urlset><url><loc>https://x/&lol2;</loc></url></urlset>',
      /^ent\.xml has a DOCTYPE \(line 1\)/,
    ],
    [
      'a reference to an undeclared entity',
      '<urlset>\n<url><loc>https://x/&lol9;</loc></url></urlset>',
      /^ent\.xml uses the entity &lol9; \(line 2\): a sitemap may use only &amp; &lt; &gt; &quot; &apos;$/,
    ],
  ])('%s is an input error, never expanded and never part of a URL', (_name, xml, message) => {
    expect(() => parseSitemap(Buffer.from(xml), 'ent.xml')).toThrow(message);
    expect(() => parseSitemap(Buffer.from(xml), 'ent.xml')).toThrow(SitemapError);
  });

  test('the five XML escapes and character references are decoded', () => {
    const xml = '<urlset><url><loc>https://x/?a=1&amp;b=&#50;&#x33;&apos;</loc></url></urlset>';
    expect(parseSitemap(Buffer.from(xml), 'ok.xml').locs).toEqual(["https://x/?a=1&b=23'"]);
  });

  test('a text "sitemap" that lists no URL at all is not a sitemap, and none of it is quoted', () => {
    expect(() =>
      parseSitemap(
        Buffer.from('root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n'),
        'passwd',
      ),
    ).toThrow(/^passwd is not a sitemap: neither XML nor a list of http\(s\) URLs$/);
  });

  test('a gzip body that inflates past the cap is refused (a gzip bomb)', () => {
    const bomb = gzipSync(Buffer.alloc(2 * 1024 * 1024, ' '));
    expect(bomb.length).toBeLessThan(10_000);
    expect(() => parseSitemap(bomb, 'bomb.xml', 1024 * 1024)).toThrow(
      "bomb.xml inflates to more than 1 MB, the sitemaps protocol's limit for one sitemap; split it",
    );
    expect(() => parseSitemap(Buffer.from([0x1f, 0x8b, 0, 0]), 'broken.gz')).toThrow(
      /^broken\.gz starts like gzip but does not decompress/,
    );
  });
});

describe('readSitemaps', () => {
  test('follows an index into both children, one gzip, and dedupes the URLs in sitemap order', async () => {
    const found = await readSitemaps('https://www.example.com/sitemap-index.xml', fromFixtures);
    expect(found.urls).toEqual([...PAGES, ...POSTS.slice(0, 2)]);
    // shop.example.com is another host: the sitemaps protocol keeps a sitemap to its own.
    expect(found.skipped).toEqual(
      [3, 4].map((entry) => ({
        sitemap: 'https://www.example.com/sitemap-posts.xml.gz',
        entry,
        reason: 'on shop.example.com, not www.example.com: a sitemap lists only URLs of its own host (sitemaps.org)',
      })),
    );
    expect(found.repeated).toBe(1);
    expect(found.read).toEqual([
      { location: 'https://www.example.com/sitemap-index.xml', kind: 'index', locs: 2 },
      { location: 'https://www.example.com/sitemap-pages.xml', kind: 'urlset', locs: 6 },
      { location: 'https://www.example.com/sitemap-posts.xml.gz', kind: 'urlset', locs: 4 },
    ]);
    expect(found.notFollowed).toEqual([]);
  });

  test('a child that cannot be read stops the whole read, naming the index that lists it', async () => {
    const index = '<sitemapindex><sitemap><loc>https://www.example.com/gone.xml</loc></sitemap></sitemapindex>';
    const load: LoadSitemap = async (location) =>
      location === 'index' ? { bytes: Buffer.from(index), finalUrl: null } : fromFixtures(location);
    await expect(readSitemaps('index', load)).rejects.toThrow(
      'https://www.example.com/gone.xml answered HTTP 404 Not Found; a sitemap must answer 2xx (listed in index)',
    );
  });

  test('caps child sitemaps and index depth, skips cycles and reports what it did not read', async () => {
    const indexOf = (...locs: string[]) =>
      Buffer.from(`<sitemapindex>${locs.map((l) => `<sitemap><loc>${l}</loc></sitemap>`).join('')}</sitemapindex>`);
    const leaf = (n: string) => Buffer.from(`<urlset><url><loc>https://x.example/${n}</loc></url></urlset>`);
    const tree: Record<string, Buffer> = {
      'https://x.example/root': indexOf(
        'https://x.example/root',
        'https://x.example/a',
        'https://x.example/deep1',
        'https://x.example/b',
        'https://x.example/c',
        'ftp://x.example/d',
      ),
      'https://x.example/deep1': indexOf('https://x.example/deep2'),
      'https://x.example/deep2': indexOf('https://x.example/deep3'),
      'https://x.example/deep3': indexOf('https://x.example/deep4'),
      'https://x.example/a': leaf('a'),
      'https://x.example/b': leaf('b'),
    };
    const loads: string[] = [];
    const load: LoadSitemap = async (location) => (
      loads.push(location),
      { bytes: tree[location]!, finalUrl: location }
    );
    const found = await readSitemaps('https://x.example/root', load, { ...SITEMAP_LIMITS, maxSitemaps: 5 });
    expect(loads).toEqual([
      'https://x.example/root',
      'https://x.example/a',
      'https://x.example/deep1',
      'https://x.example/deep2',
      'https://x.example/deep3',
      'https://x.example/b',
    ]);
    expect(found.urls).toEqual(['https://x.example/a', 'https://x.example/b']);
    expect(found.notFollowed).toEqual([
      { location: 'https://x.example/deep4', reason: 'nested more than 3 index levels deep' },
      { location: 'https://x.example/c', reason: 'past the first 5 child sitemaps' },
    ]);
    expect(found.skipped).toEqual([{ sitemap: 'https://x.example/root', entry: 6, reason: 'not an http(s) URL' }]);
  });

  test('an index names only sitemaps of its own host, and its children only URLs of that host; a file index sets no host', async () => {
    const tree: Record<string, string> = {
      'https://www.example.com/index.xml':
        '<sitemapindex><sitemap><loc>https://www.example.com/a.xml</loc></sitemap><sitemap><loc>http://169.254.169.254/latest/</loc></sitemap><sitemap><loc>https://attacker.example/b.xml</loc></sitemap></sitemapindex>',
      'https://www.example.com/a.xml':
        '<urlset><url><loc>https://www.example.com/a</loc></url><url><loc>https://internal.corp/admin</loc></url><url><loc>https://u:p@www.example.com/x</loc></url></urlset>',
      'index-file': '<sitemapindex><sitemap><loc>https://one.example/s.xml</loc></sitemap></sitemapindex>',
      'https://one.example/s.xml':
        '<urlset><url><loc>https://one.example/ok</loc></url><url><loc>https://two.example/no</loc></url></urlset>',
    };
    const loads: string[] = [];
    const load: LoadSitemap = async (location) => (
      loads.push(location),
      { bytes: Buffer.from(tree[location]!), finalUrl: location.startsWith('https:') ? location : null }
    );
    const remote = await readSitemaps('https://www.example.com/index.xml', load);
    expect(loads).toEqual(['https://www.example.com/index.xml', 'https://www.example.com/a.xml']);
    expect(remote.urls).toEqual(['https://www.example.com/a']);
    const other = (host: string) =>
      `on ${host}, not www.example.com: a sitemap lists only URLs of its own host (sitemaps.org)`;
    expect(remote.skipped.map((s) => [s.sitemap, s.entry, s.reason])).toEqual([
      ['https://www.example.com/index.xml', 2, other('169.254.169.254')],
      ['https://www.example.com/index.xml', 3, other('attacker.example')],
      ['https://www.example.com/a.xml', 2, other('internal.corp')],
      ['https://www.example.com/a.xml', 3, 'a URL of https://www.example.com with credentials (user:password@)'],
    ]);
    expect(JSON.stringify(remote.skipped)).not.toContain('u:p@');
    const fromFile = await readSitemaps('index-file', load);
    expect(fromFile.urls).toEqual(['https://one.example/ok']);
    expect(fromFile.skipped).toHaveLength(1);
  });

  test('the host is the one the first sitemap answered from, after its redirects', async () => {
    const load: LoadSitemap = async () => ({
      bytes: Buffer.from(
        '<urlset><url><loc>https://www.example.com/a</loc></url><url><loc>https://example.com/b</loc></url></urlset>',
      ),
      finalUrl: 'https://www.example.com/sitemap.xml',
    });
    const found = await readSitemaps('https://example.com/sitemap.xml', load);
    expect(found.urls).toEqual(['https://www.example.com/a']);
    expect(found.skipped).toHaveLength(1);
  });
});

describe('sitemap bytes from a file or over HTTP (loopback only)', () => {
  let site: RunningSite;
  let other: RunningSite;
  let loader: SitemapLoader;
  const gz = fixture('sitemap-posts.xml.gz');

  beforeAll(async () => {
    other = await startSite(
      { '/secret.xml': behave.ok('<urlset><url><loc>internal-secret</loc></url></urlset>') },
      { host: '::1' },
    );
    site = await startSite({
      // Served as a file server serves .gz: the bytes as they are, no Content-Encoding.
      '/posts.xml.gz': (_req, res) => res.writeHead(200, { 'content-type': 'application/gzip' }).end(gz),
      // Compressed for the transfer only: fetch undoes it.
      '/pages.xml': (_req, res) =>
        res
          .writeHead(200, { 'content-type': 'application/xml', 'content-encoding': 'gzip' })
          .end(gzipSync(fixture('sitemap-pages.xml'))),
      '/moved.xml': behave.redirect('/pages.xml'),
      '/elsewhere.xml': behave.redirect(`${other.origin}/secret.xml`),
      '/missing.xml': behave.status(404, 'not here'),
      '/huge.xml': behave.huge(3 * 1024 * 1024),
      '/hang.xml': behave.hang(),
    });
    loader = createSitemapLoader({
      privateNetwork: privateNetworkOn([site.origin]),
      timeoutMs: 2_000,
      maxBytes: 1024 * 1024,
    });
  });
  afterAll(async () => {
    await loader.close();
    await site.close();
    await other.close();
  });

  test('a gzip body keeps its bytes, and parses', async () => {
    const { bytes } = await loader.load(`${site.origin}/posts.xml.gz`);
    expect(Buffer.compare(Buffer.from(bytes), gz)).toBe(0);
    expect(parseSitemap(bytes, 'posts').locs).toEqual(POSTS);
  });

  test('Content-Encoding is undone and redirects are followed; the final URL is reported', async () => {
    const loaded = await loader.load(`${site.origin}/moved.xml`);
    expect(parseSitemap(loaded.bytes, 'pages').locs).toHaveLength(6);
    expect(loaded.finalUrl).toBe(`${site.origin}/pages.xml`);
  });

  test('a non-2xx answer is an error naming the URL and the status, never the body', async () => {
    await expect(loader.load(`${site.origin}/missing.xml`)).rejects.toThrow(
      new SitemapError(`${site.origin}/missing.xml answered HTTP 404 Not Found; a sitemap must answer 2xx`),
    );
  });

  test('a body past the cap, and one that never comes, are errors', async () => {
    await expect(loader.load(`${site.origin}/huge.xml`)).rejects.toThrow(
      `${site.origin}/huge.xml is larger than 1 MiB, the sitemaps protocol's limit for one sitemap; split it`,
    );
    await expect(loader.load(`${site.origin}/hang.xml`)).rejects.toThrow(
      `cannot fetch ${site.origin}/hang.xml: no response within 2000 ms`,
    );
  });

  test('a private address is fetched only on an allowed origin: not without the opt-in, not after a redirect elsewhere', async () => {
    const guarded = createSitemapLoader({ privateNetwork: privateNetworkOn([]) });
    try {
      await expect(guarded.load(`${site.origin}/pages.xml`)).rejects.toThrow(
        /^cannot fetch http:\/\/127\.0\.0\.1:\d+\/pages\.xml: SSRF guard refused 127\.0\.0\.1.*--allow-private-network$/,
      );
    } finally {
      await guarded.close();
    }
    const before = other.hits.get('/secret.xml') ?? 0;
    await expect(loader.load(`${site.origin}/elsewhere.xml`)).rejects.toThrow(
      /SSRF guard refused \[::1\].*the redirect left .* for http:\/\/\[::1\]:\d+, which is not a configured site/,
    );
    expect(other.hits.get('/secret.xml') ?? 0).toBe(before);
  });

  test('anything else is read as a file', async () => {
    expect(parseSitemap((await loader.load(join(FIXTURES, 'sitemap-posts.xml.gz'))).bytes, 'file').locs).toEqual(POSTS);
    expect(() => readSitemapFile(join(FIXTURES, 'nope.xml'))).toThrow(
      `cannot read ${join(FIXTURES, 'nope.xml')}: no such file`,
    );
  });
});
