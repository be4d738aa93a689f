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

/** A sitemap's bytes and, for one fetched over HTTP, the URL that answered (after redirects); null for a file. */
export interface LoadedSitemap {
  bytes: Uint8Array;
  finalUrl: string | null;
}

/** The bytes at a location (a URL or a file path); throws SitemapError naming it. */
export type LoadSitemap = (location: string) => Promise<LoadedSitemap>;

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
      throw new SitemapError(
        `${where} inflates to more than ${maxBytes / 1024 / 1024} MB, the sitemaps protocol's limit for one sitemap; split it`,
      );
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
  // The five XML entities (&amp; in URLs) and character references (&#50;) are decoded; htmlEntities is what
  // decodes the latter. A document that declares or uses any other entity is refused before it gets here
  // (refuseEntities), so no HTML-only name (&nbsp;) ever reaches the parser.
  processEntities: true,
  htmlEntities: true,
});

/** How much of a name taken from a fetched document a message may show. */
const NAME_CHARS = 40;
const shortName = (name: string) => (name.length > NAME_CHARS ? `${name.slice(0, NAME_CHARS)}…` : name);

/** The entity references XML predefines, and character references: the only ones a sitemap needs. */
const ENTITY_REFERENCE = /&(?!(?:amp|lt|gt|quot|apos);|#[0-9]+;|#x[0-9a-f]+;)([A-Za-z_:][\w.:-]*);/i;

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

/**
 * A sitemap has no DOCTYPE, and the sitemaps protocol allows only the five XML entity escapes. A DOCTYPE
 * (where entities are declared: external ones read files or URLs, nested ones blow up) or a reference to
 * any other entity is an input error, never expanded and never taken for part of a URL.
 */
function refuseEntities(text: string, where: string): void {
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype)
    throw new SitemapError(
      `${where} has a DOCTYPE (line ${lineOf(text, doctype.index)}): a sitemap has none, and crawlguard expands no entities it could declare`,
    );
  const reference = ENTITY_REFERENCE.exec(text);
  if (reference) {
    throw new SitemapError(
      `${where} uses the entity &${shortName(reference[1]!)}; (line ${lineOf(text, reference.index)}): a sitemap may use only &amp; &lt; &gt; &quot; &apos;`,
    );
  }
}

const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * Elements are matched in the namespace prefix of the root (`<urlset>`, `<sm:urlset>`): extensions nest
 * their own `<image:loc>` and the like inside `<url>`, under other prefixes, and those are not pages.
 */
function parseXml(text: string, where: string): ParsedSitemap {
  // The likeliest wrong answer: a page (a "soft 404", a login wall), which need not be well-formed XML.
  if (/^\s*<(!doctype\s+html|html)[\s>]/i.test(text))
    throw new SitemapError(`${where} is an HTML page, not a sitemap: expected <urlset> or <sitemapindex>`);
  refuseEntities(text, where);
  const valid = XMLValidator.validate(text);
  // The validator's message quotes the document: only where it breaks is said.
  if (valid !== true)
    throw new SitemapError(`${where} is not well-formed XML (line ${valid.err.line}, column ${valid.err.col})`);
  let document: Record<string, unknown>;
  try {
    document = parser.parse(text) as Record<string, unknown>;
  } catch {
    throw new SitemapError(`${where} could not be read as XML`);
  }
  const rootName = Object.keys(document).find((name) => !name.startsWith('#') && !name.startsWith('?'));
  const [prefix, local] = rootName?.includes(':')
    ? [`${rootName.split(':')[0]}:`, rootName.split(':')[1]]
    : ['', rootName];
  const entry = local === 'urlset' ? 'url' : local === 'sitemapindex' ? 'sitemap' : null;
  if (!rootName || !entry) {
    throw new SitemapError(
      `${where} is not a sitemap: its root element is <${shortName(rootName ?? 'nothing')}>, expected <urlset> or <sitemapindex>`,
    );
  }
  const root = document[rootName];
  const locs = asList(root && typeof root === 'object' ? (root as Record<string, unknown>)[prefix + entry] : undefined)
    .flatMap((item) =>
      asList(item && typeof item === 'object' ? (item as Record<string, unknown>)[`${prefix}loc`] : undefined).slice(
        0,
        1,
      ),
    )
    .filter((loc): loc is string => typeof loc === 'string')
    .map((loc) => loc.trim())
    .filter(Boolean);
  return { kind: entry === 'url' ? 'urlset' : 'index', locs };
}

/** One sitemap's bytes → its locs. Gzip is unpacked first; text that does not start with `<` is a text sitemap. */
export function parseSitemap(bytes: Uint8Array, where: string, maxBytes = SITEMAP_LIMITS.maxBytes): ParsedSitemap {
  const raw = bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1] ? gunzip(bytes, where, maxBytes) : bytes;
  if (raw.byteLength > maxBytes)
    throw new SitemapError(
      `${where} is larger than ${maxBytes / 1024 / 1024} MB, the sitemaps protocol's limit for one sitemap; split it`,
    );
  // The protocol requires UTF-8; a BOM is dropped by the decoder.
  const text = new TextDecoder('utf-8').decode(raw);
  if (text.trimStart().startsWith('<')) return parseXml(text, where);
  // A text sitemap is one URL per line and nothing else; blank lines are tolerated.
  const locs = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  // Something else entirely (a page, a password file): said once, never listed line by line.
  if (locs.length > 0 && !locs.some((loc) => /^https?:\/\//i.test(loc))) {
    throw new SitemapError(`${where} is not a sitemap: neither XML nor a list of http(s) URLs`);
  }
  return { kind: 'text', locs };
}

/** An entry of a sitemap that was not taken, and why; never its text, which came from the sitemap. */
export interface SkippedEntry {
  sitemap: string;
  /** 1-based position among the sitemap's locs (its line, for a text sitemap). */
  entry: number;
  reason: string;
}

export interface SitemapUrls {
  /** Page URLs in the order the sitemaps list them, each once. */
  urls: string[];
  /** Locations read, the one given first. */
  read: { location: string; kind: ParsedSitemap['kind']; locs: number }[];
  /** Page URLs listed more than once. */
  repeated: number;
  /** Child sitemaps not read, with why (past a limit, not an http(s) URL, on another host). */
  notFollowed: { location: string; reason: string }[];
  /** Entries not taken: not an http(s) URL, credentials, or on another host than their sitemap. */
  skipped: SkippedEntry[];
}

/** An entry as a URL crawlguard may take, or why not (the reason quotes no more than the URL's origin). */
function checkEntry(loc: string, host: string | null): URL | string {
  let url: URL;
  try {
    url = new URL(loc);
  } catch {
    return 'not an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'not an http(s) URL';
  if (url.username || url.password) return `a URL of ${url.origin} with credentials (user:password@)`;
  if (host !== null && url.host !== host)
    return `on ${url.host}, not ${host}: a sitemap lists only URLs of its own host (sitemaps.org)`;
  return url;
}

/**
 * Reads a sitemap and, depth first in document order, the sitemaps its index entries name. Every entry
 * must be on the sitemap's own host (sitemaps.org: "all URLs ... must ... reside on the same host as the
 * Sitemap", and an index lists only sitemaps of its own site): the host the first sitemap answered from
 * after redirects, for one given as a URL; for one given as a file (no host), each child's own host.
 */
export async function readSitemaps(
  location: string,
  load: LoadSitemap,
  limits: SitemapLimits = SITEMAP_LIMITS,
): Promise<SitemapUrls> {
  const result: SitemapUrls = { urls: [], read: [], repeated: 0, notFollowed: [], skipped: [] };
  const seenUrls = new Set<string>();
  const visited = new Set<string>([location]);
  let children = 0;

  async function visit(
    where: string,
    depth: number,
    listedIn: string | null,
    listedHost: string | null,
  ): Promise<void> {
    let parsed: ParsedSitemap;
    let host = listedHost;
    try {
      const loaded = await load(where);
      if (listedIn === null && loaded.finalUrl !== null) host = new URL(loaded.finalUrl).host;
      parsed = parseSitemap(loaded.bytes, where, limits.maxBytes);
    } catch (error) {
      if (listedIn && error instanceof SitemapError) throw new SitemapError(`${error.message} (listed in ${listedIn})`);
      throw error;
    }
    result.read.push({ location: where, kind: parsed.kind, locs: parsed.locs.length });
    const entries: URL[] = [];
    parsed.locs.forEach((loc, index) => {
      const checked = checkEntry(loc, host);
      if (typeof checked === 'string') result.skipped.push({ sitemap: where, entry: index + 1, reason: checked });
      else entries.push(checked);
    });
    if (parsed.kind !== 'index') {
      for (const { href } of entries) {
        if (seenUrls.has(href)) {
          result.repeated += 1;
        } else {
          seenUrls.add(href);
          result.urls.push(href);
        }
      }
      return;
    }
    for (const child of entries) {
      if (visited.has(child.href)) continue; // an index that lists itself, or a cycle
      visited.add(child.href);
      if (depth >= limits.maxDepth)
        result.notFollowed.push({
          location: child.href,
          reason: `nested more than ${limits.maxDepth} index levels deep`,
        });
      else if (children >= limits.maxSitemaps)
        result.notFollowed.push({
          location: child.href,
          reason: `past the first ${limits.maxSitemaps} child sitemaps`,
        });
      else {
        children += 1;
        await visit(child.href, depth + 1, where, host ?? child.host);
      }
    }
  }

  await visit(location, 0, null, null);
  return result;
}
