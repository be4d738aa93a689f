import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { behave, startSite, type RunningSite } from '../../demo/site';
import { parseSitemap, readSitemaps, SITEMAP_LIMITS, SitemapError, type LoadSitemap } from '../../lambdas/adapters/sitemap';
import { fetchSitemap, loadSitemap, readSitemapFile } from '../../lambdas/adapters/sitemap-source';

const FIXTURES = join(__dirname, '..', 'fixtures', 'sitemaps');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

/** Serves the fixtures as if they were at https://www.example.com/<name>; nothing leaves the process. */
const fromFixtures: LoadSitemap = async (location) => {
  const name = location.replace('https://www.example.com/', '');
  try {
    return fixture(name);
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
const POSTS = ['https://www.example.com/blog/first-post', 'https://www.example.com/blog/second-post', 'https://shop.example.com/', 'https://shop.example.com/cart'];

describe('parseSitemap', () => {
  test('a urlset: locs trimmed, entities decoded, CDATA read, extension locs (image:loc) left out, in order', () => {
    expect(parseSitemap(fixture('sitemap-pages.xml'), 'pages')).toEqual({ kind: 'urlset', locs: [...PAGES, 'https://www.example.com/pricing'] });
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
      locs: ['https://www.example.com/', 'https://www.example.com/contact', 'https://www.example.com/docs', 'not a url'],
    });
  });

  test('a UTF-8 byte order mark is not content', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fixture('sitemap-index.xml')]);
    expect(parseSitemap(bom, 'bom').kind).toBe('index');
  });

  test('an HTML page or another XML document is not a sitemap, and the message says what it found', () => {
    expect(() => parseSitemap(fixture('not-a-sitemap.html'), 'https://x/sitemap.xml'))
      .toThrow('https://x/sitemap.xml is an HTML page, not a sitemap: expected <urlset> or <sitemapindex>');
    expect(() => parseSitemap(Buffer.from('<?xml version="1.0"?><rss><channel/></rss>'), 'feed.xml'))
      .toThrow('feed.xml is not a sitemap: its root element is <rss>, expected <urlset> or <sitemapindex>');
  });

  test('malformed XML is refused with where it breaks', () => {
    expect(() => parseSitemap(Buffer.from('<urlset>\n<url><loc>https://x/</url>\n</urlset>'), 'bad.xml'))
      .toThrow(/^bad\.xml is not well-formed XML \(line 2, column \d+\): Expected closing tag 'loc'/);
  });

  test('a gzip body that inflates past the cap is refused (a gzip bomb)', () => {
    const bomb = gzipSync(Buffer.alloc(2 * 1024 * 1024, ' '));
    expect(bomb.length).toBeLessThan(10_000);
    expect(() => parseSitemap(bomb, 'bomb.xml', 1024 * 1024)).toThrow('bomb.xml inflates to more than 1 MB, the sitemaps protocol\'s limit for one sitemap; split it');
    expect(() => parseSitemap(Buffer.from([0x1f, 0x8b, 0, 0]), 'broken.gz')).toThrow(/^broken\.gz starts like gzip but does not decompress/);
  });
});

describe('readSitemaps', () => {
  test('follows an index into both children, one gzip, and dedupes the URLs in sitemap order', async () => {
    const found = await readSitemaps('https://www.example.com/sitemap-index.xml', fromFixtures);
    expect(found.urls).toEqual([...PAGES, ...POSTS]);
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
    const load: LoadSitemap = async (location) => (location === 'index' ? Buffer.from(index) : fromFixtures(location));
    await expect(readSitemaps('index', load)).rejects.toThrow('https://www.example.com/gone.xml answered HTTP 404 Not Found; a sitemap must answer 2xx (listed in index)');
  });

  test('caps child sitemaps and index depth, skips cycles and reports what it did not read', async () => {
    const indexOf = (...locs: string[]) => Buffer.from(`<sitemapindex>${locs.map((l) => `<sitemap><loc>${l}</loc></sitemap>`).join('')}</sitemapindex>`);
    const leaf = (n: string) => Buffer.from(`<urlset><url><loc>https://x.example/${n}</loc></url></urlset>`);
    const tree: Record<string, Buffer> = {
      'https://x.example/root': indexOf('https://x.example/root', 'https://x.example/a', 'https://x.example/deep1', 'https://x.example/b', 'https://x.example/c', 'ftp://x.example/d'),
      'https://x.example/deep1': indexOf('https://x.example/deep2'),
      'https://x.example/deep2': indexOf('https://x.example/deep3'),
      'https://x.example/deep3': indexOf('https://x.example/deep4'),
      'https://x.example/a': leaf('a'),
      'https://x.example/b': leaf('b'),
    };
    const loads: string[] = [];
    const load: LoadSitemap = async (location) => (loads.push(location), tree[location]!);
    const found = await readSitemaps('https://x.example/root', load, { ...SITEMAP_LIMITS, maxSitemaps: 5 });
    expect(loads).toEqual(['https://x.example/root', 'https://x.example/a', 'https://x.example/deep1', 'https://x.example/deep2', 'https://x.example/deep3', 'https://x.example/b']);
    expect(found.urls).toEqual(['https://x.example/a', 'https://x.example/b']);
    expect(found.notFollowed).toEqual([
      { location: 'https://x.example/deep4', reason: 'nested more than 3 index levels deep' },
      { location: 'https://x.example/c', reason: 'past the first 5 child sitemaps' },
      { location: 'ftp://x.example/d', reason: 'not an http(s) URL' },
    ]);
  });
});

describe('sitemap bytes from a file or over HTTP (127.0.0.1 only)', () => {
  let site: RunningSite;
  const gz = fixture('sitemap-posts.xml.gz');

  beforeAll(async () => {
    site = await startSite({
      // Served as a file server serves .gz: the bytes as they are, no Content-Encoding.
      '/posts.xml.gz': (_req, res) => res.writeHead(200, { 'content-type': 'application/gzip' }).end(gz),
      // Compressed for the transfer only: fetch undoes it.
      '/pages.xml': (_req, res) => res.writeHead(200, { 'content-type': 'application/xml', 'content-encoding': 'gzip' }).end(gzipSync(fixture('sitemap-pages.xml'))),
      '/moved.xml': behave.redirect('/pages.xml'),
      '/missing.xml': behave.status(404, 'not here'),
      '/huge.xml': behave.huge(3 * 1024 * 1024),
      '/hang.xml': behave.hang(),
    });
  });
  afterAll(() => site.close());

  test('a gzip body keeps its bytes, and parses', async () => {
    const bytes = await fetchSitemap(`${site.origin}/posts.xml.gz`);
    expect(Buffer.compare(Buffer.from(bytes), gz)).toBe(0);
    expect(parseSitemap(bytes, 'posts').locs).toEqual(POSTS);
  });

  test('Content-Encoding is undone and redirects are followed', async () => {
    expect(parseSitemap(await fetchSitemap(`${site.origin}/moved.xml`), 'pages').locs).toHaveLength(6);
  });

  test('a non-2xx answer is an error naming the URL and the status', async () => {
    await expect(fetchSitemap(`${site.origin}/missing.xml`)).rejects.toThrow(`${site.origin}/missing.xml answered HTTP 404 Not Found; a sitemap must answer 2xx`);
  });

  test('a body past the cap, and one that never comes, are errors', async () => {
    await expect(fetchSitemap(`${site.origin}/huge.xml`, 30_000, 1024 * 1024)).rejects.toThrow(`${site.origin}/huge.xml is larger than 1 MB, the sitemaps protocol's limit for one sitemap; split it`);
    await expect(fetchSitemap(`${site.origin}/hang.xml`, 300)).rejects.toThrow(`cannot fetch ${site.origin}/hang.xml: no complete answer within 0.3 s`);
  });

  test('loadSitemap fetches http(s) URLs and reads anything else as a file', async () => {
    expect(parseSitemap(await loadSitemap(join(FIXTURES, 'sitemap-posts.xml.gz')), 'file').locs).toEqual(POSTS);
    expect(() => readSitemapFile(join(FIXTURES, 'nope.xml'))).toThrow(`cannot read ${join(FIXTURES, 'nope.xml')}: no such file`);
  });
});
