/**
 * The URL list of monitors.yaml: what is monitored and where each URL comes from, and the edits of
 * `crawlguard add`, `remove` and `import-sitemap`. Pure: text in, text out.
 *
 * URLs compare after resolution (the same resolved URL is the same URL, however it is spelled), using
 * the real parser, so the urlsFile and the home page a site without URLs watches count too. Edits are
 * spliced into the source text (./yaml-splice) and the result is parsed again before it is returned:
 * an edit that would leave the file invalid, or monitoring other URLs than intended, is refused.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { ConfigError, formatKeyPath, type KeyPath } from './errors';
import { parseMonitorsConfig } from './parse';
import { CREDENTIALS_REFUSED, excerpt, normaliseOrigin, resolveUrl, type ReadRelative } from './resolve';
import {
  addListKey,
  appendSite,
  appendToSeq,
  applySplices,
  removeFromSeq,
  seqIndentOf,
  type Splice,
} from './yaml-splice';

/** Where a monitored URL is listed: the config itself, the site's urlsFile, or nowhere (a site's default `/`). */
export type UrlSource = { kind: 'config'; file: string } | { kind: 'urlsFile'; file: string } | { kind: 'default' };

/** An absolute URL (hash dropped) and the origin of the site it belongs to. */
export interface UrlRef {
  origin: string;
  url: string;
}

export interface SiteUrls {
  origin: string;
  urls: { url: string; source: UrlSource }[];
}

export const isAbsoluteUrl = (text: string) => /^[a-z][a-z0-9+.-]*:/i.test(text.trim());

/** A URL typed by a user or found in a sitemap; a path needs `site` (an origin). */
export function resolveInput(input: string, site?: string): UrlRef | { error: string } {
  let origin: string;
  if (isAbsoluteUrl(input)) {
    let url: URL;
    try {
      url = new URL(input.trim());
    } catch {
      return { error: `not a valid URL: ${excerpt(input)}` };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return { error: `not an http:// or https:// URL: ${excerpt(input)}` };
    if (url.username || url.password) return { error: `${url.origin}/…: ${CREDENTIALS_REFUSED}` };
    origin = url.origin;
    if (site !== undefined) {
      const siteOrigin = normaliseOrigin(site);
      if (typeof siteOrigin === 'string' && siteOrigin !== origin) {
        return {
          error: `${url.href} is not on --site ${siteOrigin}: leave --site out for absolute URLs of other sites, or give a path`,
        };
      }
    }
  } else {
    if (site === undefined)
      return {
        error: `${JSON.stringify(input)} is a path: give an absolute URL, or --site ORIGIN to say which site it belongs to`,
      };
    const siteOrigin = normaliseOrigin(site);
    if (typeof siteOrigin !== 'string') return { error: `--site: ${siteOrigin.error}` };
    origin = siteOrigin;
  }
  const url = resolveUrl(origin, input);
  return typeof url === 'string' ? { origin, url } : url;
}

/** `n` items spread evenly over `items` in their order (the first included); deterministic. */
export function spreadEvenly<T>(items: readonly T[], n: number): T[] {
  if (n >= items.length) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]!);
}

interface SiteView {
  index: number;
  origin: string;
  /** The site's mapping, unless it is an alias (then it is not edited). */
  map: YAMLMap | null;
  urlsPair: Pair | undefined;
  /** The resolved URL of each item of `urls:`, by position, and the position of each. */
  listed: string[];
  listedAt: Map<string, number>;
  hasUrlsFile: boolean;
  /** Every URL the site monitors, in config order, with its source. */
  monitored: Map<string, UrlSource>;
}

interface Opened {
  sites: YAMLSeq;
  views: SiteView[];
}

/** Parses and validates (ConfigError when invalid), then pairs each site of the config with its YAML nodes. */
function open(file: string, text: string, read: ReadRelative): Opened {
  const config = parseMonitorsConfig(file, text, read);
  const doc = parseDocument(text);
  const sites = doc.get('sites', true);
  if (!isSeq(sites))
    throw refusal(file, text, sites as Node, ['sites'], 'is an alias or not a plain list; edit it by hand');
  const plain = doc.toJS({ maxAliasCount: 100 }) as {
    sites: { urls?: (string | { path: string })[]; urlsFile?: string }[];
  };
  const views = config.sites.map((site, index): SiteView => {
    const node = sites.items[index];
    const map = isMap(node) ? node : null;
    const urlsPair = map?.items.find((pair) => isScalar(pair.key) && pair.key.value === 'urls');
    const listed = (plain.sites[index]?.urls ?? []).map((entry) => {
      const resolved = resolveUrl(site.origin, typeof entry === 'string' ? entry : entry.path);
      return typeof resolved === 'string' ? resolved : '';
    });
    const urlsFile = plain.sites[index]?.urlsFile;
    const listedAt = new Map(listed.map((url, position) => [url, position]));
    const monitored = new Map(
      site.urls.map(({ url }): [string, UrlSource] => [
        url,
        listedAt.has(url)
          ? { kind: 'config', file }
          : urlsFile !== undefined
            ? { kind: 'urlsFile', file: urlsFile }
            : { kind: 'default' },
      ]),
    );
    return {
      index,
      origin: site.origin,
      map,
      urlsPair,
      listed,
      listedAt,
      hasUrlsFile: urlsFile !== undefined,
      monitored,
    };
  });
  return { sites, views };
}

function refusal(
  file: string,
  text: string,
  node: Node | null | undefined,
  path: KeyPath,
  message: string,
): ConfigError {
  const offset = node?.range?.[0] ?? 0;
  const before = text.slice(0, offset).split('\n');
  const problem = { file, line: before.length, column: before.at(-1)!.length + 1, path: formatKeyPath(path), message };
  return new ConfigError([problem]);
}

/** Every monitored URL per site, resolved, in config order, with where it comes from. */
export function listUrls(file: string, text: string, read: ReadRelative): SiteUrls[] {
  return open(file, text, read).views.map((view) => ({
    origin: view.origin,
    urls: [...view.monitored].map(([url, source]) => ({ url, source })),
  }));
}

/** Parses the edited text; refuses it (nothing is to be written) unless it is valid and monitors exactly `expected`. */
function checked(file: string, after: string, read: ReadRelative, expected: Map<string, Set<string>>): string {
  let config;
  try {
    config = parseMonitorsConfig(file, after, read);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const head = {
      file,
      line: 0,
      column: 0,
      path: '',
      message:
        'the edit would leave this file invalid, so nothing was written; the problems, at lines of the edited text:',
    };
    throw new ConfigError([head, ...error.problems]);
  }
  const got = new Map(config.sites.map((site) => [site.origin, new Set(site.urls.map((u) => u.url))]));
  const same =
    got.size === expected.size &&
    [...expected].every(([origin, urls]) => {
      const have = got.get(origin);
      return have !== undefined && have.size === urls.size && [...urls].every((u) => have.has(u));
    });
  // A splice in the wrong place can still parse; this is the check that it did what was asked.
  if (!same)
    throw new Error(
      `editing ${file} produced a config that monitors other URLs than intended; nothing was written (a crawlguard bug: please report it with the file)`,
    );
  return after;
}

const monitoredSets = (views: SiteView[]) => new Map(views.map((v) => [v.origin, new Set(v.monitored.keys())]));

/** The text written for a URL of a site: its path and query (absolute URLs only where a path cannot say it). */
const entryText = (ref: UrlRef) => ref.url.slice(ref.origin.length);

/** The site's `urls:` sequence to edit, or null when it has no `urls:` key (a valid file has no other shape). */
function editableUrls(file: string, text: string, view: SiteView): YAMLSeq | null {
  const value = view.urlsPair?.value as Node | null | undefined;
  if (view.map === null)
    throw refusal(file, text, null, ['sites', view.index], `${view.origin} is an alias; edit its URLs by hand`);
  if (isAlias(value))
    throw refusal(
      file,
      text,
      value,
      ['sites', view.index, 'urls'],
      `is an alias (*${value.source}): an edit would change every site that uses it; edit it by hand`,
    );
  return isSeq(value) ? value : null;
}

export interface AddOptions {
  /** Add at most this many of the URLs not yet monitored. */
  limit?: number;
  /** With `limit`: take them spread evenly over the input's order instead of the first ones. */
  spread?: boolean;
}

export interface AddResult {
  /** The edited text; the input unchanged when nothing was added. */
  text: string;
  added: (UrlRef & { newSite: boolean })[];
  /** Monitored already, and where. */
  skipped: (UrlRef & { source: UrlSource })[];
  /** Not yet monitored, but past `limit`. */
  notTaken: UrlRef[];
  newSites: string[];
  /** Sites that watched `/` by default only: `/` is now listed, or adding a URL would have dropped it. */
  keptHome: string[];
}

/**
 * Adds URLs: each to the site of its origin (appended to `urls:` in the style it has), or to a new site
 * appended at the end of `sites:`. Repeated and already monitored URLs are not added twice.
 */
export function addUrls(
  file: string,
  text: string,
  refs: readonly UrlRef[],
  read: ReadRelative,
  options: AddOptions = {},
): AddResult {
  const { sites, views } = open(file, text, read);
  const byOrigin = new Map(views.map((v) => [v.origin, v]));
  const seen = new Set<string>();
  const skipped: AddResult['skipped'] = [];
  const fresh: UrlRef[] = [];
  for (const ref of refs) {
    if (seen.has(ref.url)) continue;
    seen.add(ref.url);
    const source = byOrigin.get(ref.origin)?.monitored.get(ref.url);
    if (source) skipped.push({ ...ref, source });
    else fresh.push(ref);
  }
  const taken =
    options.limit === undefined
      ? fresh
      : options.spread
        ? spreadEvenly(fresh, options.limit)
        : fresh.slice(0, options.limit);
  const takenUrls = new Set(taken.map((r) => r.url));
  const result: AddResult = {
    text,
    added: [],
    skipped,
    notTaken: fresh.filter((r) => !takenUrls.has(r.url)),
    newSites: [],
    keptHome: [],
  };
  if (taken.length === 0) return result;

  const perOrigin = new Map<string, UrlRef[]>();
  for (const ref of taken) {
    if (!perOrigin.has(ref.origin)) perOrigin.set(ref.origin, []);
    perOrigin.get(ref.origin)!.push(ref);
  }
  const seqIndent = seqIndentOf(
    text,
    views.flatMap((v) => v.map?.items ?? []),
  );
  const splices: Splice[] = [];
  const expected = monitoredSets(views);
  for (const [origin, group] of perOrigin) {
    const view = byOrigin.get(origin);
    let values = group.map(entryText);
    expected.set(origin, new Set([...(expected.get(origin) ?? []), ...group.map((r) => r.url)]));
    if (!view) {
      splices.push(appendSite(text, sites, origin, values, seqIndent));
      result.newSites.push(origin);
      continue;
    }
    if ([...view.monitored.values()].some((s) => s.kind === 'default')) {
      // Listing any URL ends the implicit home page: list `/` too, so adding never stops a check.
      values = ['/', ...values];
      result.keptHome.push(origin);
    }
    const seq = editableUrls(file, text, view);
    splices.push(seq ? appendToSeq(text, seq, values) : addListKey(text, view.map!, 'urls', values, seqIndent));
  }
  result.added = taken.map((ref) => ({ ...ref, newSite: !byOrigin.has(ref.origin) }));
  result.text = checked(file, applySplices(text, splices), read, expected);
  return result;
}

export interface RemoveResult {
  text: string;
  removed: UrlRef[];
  /** Monitored through a site's urlsFile: only that file can drop them. */
  inUrlsFile: (UrlRef & { file: string })[];
  /** The home page a site with no URLs watches by default: only removing the site drops it. */
  byDefault: UrlRef[];
  notMonitored: UrlRef[];
  /** Sites left with no URLs listed: they now watch their home page `/`. */
  emptied: string[];
}

/** Removes the entries of monitors.yaml (paths, absolute URLs or objects) that resolve to the given URLs. */
export function removeUrls(file: string, text: string, refs: readonly UrlRef[], read: ReadRelative): RemoveResult {
  const { views } = open(file, text, read);
  const byOrigin = new Map(views.map((v) => [v.origin, v]));
  const result: RemoveResult = { text, removed: [], inUrlsFile: [], byDefault: [], notMonitored: [], emptied: [] };
  const perSite = new Map<SiteView, Set<number>>();
  const seen = new Set<string>();
  for (const ref of refs) {
    if (seen.has(ref.url)) continue;
    seen.add(ref.url);
    const view = byOrigin.get(ref.origin);
    const source = view?.monitored.get(ref.url);
    if (!view || !source) result.notMonitored.push(ref);
    else if (source.kind === 'urlsFile') result.inUrlsFile.push({ ...ref, file: source.file });
    else if (source.kind === 'default') result.byDefault.push(ref);
    else {
      if (!perSite.has(view)) perSite.set(view, new Set());
      // A valid file lists each URL once per site, and `monitored` says this one is listed.
      perSite.get(view)!.add(view.listedAt.get(ref.url)!);
      result.removed.push(ref);
    }
  }
  if (result.removed.length === 0) return result;

  const splices: Splice[] = [];
  const expected = monitoredSets(views);
  const removedUrls = new Set(result.removed.map((r) => r.url));
  for (const [view, indexes] of perSite) {
    const seq = editableUrls(file, text, view)!;
    const cut = removeFromSeq(text, view.urlsPair!, seq, indexes);
    if (!cut)
      throw refusal(
        file,
        text,
        seq,
        ['sites', view.index, 'urls'],
        'has an entry that does not start its own "- " line; remove it by hand',
      );
    splices.push(...cut);
    const left = new Set([...expected.get(view.origin)!].filter((url) => !removedUrls.has(url)));
    if (indexes.size === view.listed.length && !view.hasUrlsFile) {
      left.add(`${view.origin}/`);
      result.emptied.push(view.origin);
    }
    expected.set(view.origin, left);
  }
  result.text = checked(file, applySplices(text, splices), read, expected);
  return result;
}
