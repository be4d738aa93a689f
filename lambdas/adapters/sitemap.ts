/**
 * Sitemaps (sitemaps.org protocol) → the page URLs they list: XML urlsets, sitemap indexes followed
 * recursively, gzip (recognised by its magic bytes, whatever the name or Content-Type says) and plain-text
 * sitemaps. Where the bytes come from is injected (./sitemap-source reads files and fetches URLs).
 */
import { gunzipSync } from 'node:zlib';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const SITEMAP_LIMITS = {
  /** The protocol's cap for one sitemap, uncompressed; also the most a gzip file may inflate to. */
  maxBytes: 50 * 1024 * 1024,
  /** Child sitemaps read in all, below the one given (an index lists at most 50,000; most need a few). */
  maxSitemaps: 50,
  /** Index levels followed below the one given: an index of indexes of sitemaps is already unusual. */
  maxDepth: 3,
};
export type SitemapLimits = typeof SITEMAP_LIMITS;

/** A sitemap that cannot be read or is not a sitemap: the message names it and says why. */
export class SitemapError extends Error {
  override readonly name = 'SitemapError';
}

/** The bytes at a location (a URL or a file path); throws SitemapError naming it. */
export type LoadSitemap = (location: string) => Promise<Uint8Array>;

export interface ParsedSitemap {
  kind: 'urlset' | 'index' | 'text';
  /** Trimmed `<loc>` values (page URLs, or child sitemaps for an index), in document order. */
  locs: string[];
}

const GZIP_MAGIC = [0x1f, 0x8b];

function gunzip(bytes: Uint8Array, where: string, maxBytes: number): Uint8Array {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new SitemapError(`${where} inflates to more than ${maxBytes / 1024 / 1024} MB, the sitemaps protocol's limit for one sitemap; split it`);
    }
    throw new SitemapError(`${where} starts like gzip but does not decompress: ${(error as Error).message}`);
  }
}

const parser = new XMLParser({
  ignoreAttributes: true,
  // Keep every value a string: a loc such as 1e5 must not turn into a number.
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // DOCTYPE entities stay unexpanded (no "billion laughs"); the five XML ones (&amp; in URLs) are decoded.
  processEntities: true,
});

const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * Elements are matched in the namespace prefix of the root (`<urlset>`, `<sm:urlset>`): extensions nest
 * their own `<image:loc>` and the like inside `<url>`, under other prefixes, and those are not pages.
 */
function parseXml(text: string, where: string): ParsedSitemap {
  // The likeliest wrong answer: a page (a "soft 404", a login wall), which need not be well-formed XML.
  if (/^\s*<(!doctype\s+html|html)[\s>]/i.test(text)) throw new SitemapError(`${where} is an HTML page, not a sitemap: expected <urlset> or <sitemapindex>`);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new SitemapError(`${where} is not well-formed XML (line ${valid.err.line}, column ${valid.err.col}): ${valid.err.msg}`);
  const document = parser.parse(text) as Record<string, unknown>;
  const rootName = Object.keys(document).find((name) => !name.startsWith('#') && !name.startsWith('?'));
  const [prefix, local] = rootName?.includes(':') ? [`${rootName.split(':')[0]}:`, rootName.split(':')[1]] : ['', rootName];
  const entry = local === 'urlset' ? 'url' : local === 'sitemapindex' ? 'sitemap' : null;
  if (!rootName || !entry) {
    throw new SitemapError(`${where} is not a sitemap: its root element is <${rootName ?? 'nothing'}>, expected <urlset> or <sitemapindex>`);
  }
  const root = document[rootName];
  const locs = asList(root && typeof root === 'object' ? (root as Record<string, unknown>)[prefix + entry] : undefined)
    .flatMap((item) => asList(item && typeof item === 'object' ? (item as Record<string, unknown>)[`${prefix}loc`] : undefined).slice(0, 1))
    .filter((loc): loc is string => typeof loc === 'string')
    .map((loc) => loc.trim())
    .filter(Boolean);
  return { kind: entry === 'url' ? 'urlset' : 'index', locs };
}

/** One sitemap's bytes → its locs. Gzip is unpacked first; text that does not start with `<` is a text sitemap. */
export function parseSitemap(bytes: Uint8Array, where: string, maxBytes = SITEMAP_LIMITS.maxBytes): ParsedSitemap {
  const raw = bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1] ? gunzip(bytes, where, maxBytes) : bytes;
  if (raw.byteLength > maxBytes) throw new SitemapError(`${where} is larger than ${maxBytes / 1024 / 1024} MB, the sitemaps protocol's limit for one sitemap; split it`);
  // The protocol requires UTF-8; a BOM is dropped by the decoder.
  const text = new TextDecoder('utf-8').decode(raw);
  if (text.trimStart().startsWith('<')) return parseXml(text, where);
  // A text sitemap is one URL per line and nothing else; blank lines are tolerated.
  return { kind: 'text', locs: text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean) };
}

export interface SitemapUrls {
  /** Page URLs in the order the sitemaps list them, each once. */
  urls: string[];
  /** Locations read, the one given first. */
  read: { location: string; kind: ParsedSitemap['kind']; locs: number }[];
  /** Page URLs listed more than once. */
  repeated: number;
  /** Child sitemaps not read, with why (past a limit, not an http(s) URL). */
  notFollowed: { location: string; reason: string }[];
}

const isHttpUrl = (text: string) => {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

/** Reads a sitemap and, depth first in document order, the sitemaps its index entries name. */
export async function readSitemaps(location: string, load: LoadSitemap, limits: SitemapLimits = SITEMAP_LIMITS): Promise<SitemapUrls> {
  const result: SitemapUrls = { urls: [], read: [], repeated: 0, notFollowed: [] };
  const seenUrls = new Set<string>();
  const visited = new Set<string>([location]);
  let children = 0;

  async function visit(where: string, depth: number, listedIn: string | null): Promise<void> {
    let parsed: ParsedSitemap;
    try {
      parsed = parseSitemap(await load(where), where, limits.maxBytes);
    } catch (error) {
      if (listedIn && error instanceof SitemapError) throw new SitemapError(`${error.message} (listed in ${listedIn})`);
      throw error;
    }
    result.read.push({ location: where, kind: parsed.kind, locs: parsed.locs.length });
    if (parsed.kind !== 'index') {
      for (const url of parsed.locs) {
        if (seenUrls.has(url)) {
          result.repeated += 1;
        } else {
          seenUrls.add(url);
          result.urls.push(url);
        }
      }
      return;
    }
    for (const child of parsed.locs) {
      if (visited.has(child)) continue; // an index that lists itself, or a cycle
      visited.add(child);
      if (!isHttpUrl(child)) result.notFollowed.push({ location: child, reason: 'not an http(s) URL' });
      else if (depth >= limits.maxDepth) result.notFollowed.push({ location: child, reason: `nested more than ${limits.maxDepth} index levels deep` });
      else if (children >= limits.maxSitemaps) result.notFollowed.push({ location: child, reason: `past the first ${limits.maxSitemaps} child sitemaps` });
      else {
        children += 1;
        await visit(child, depth + 1, where);
      }
    }
  }

  await visit(location, 0, null);
  return result;
}
