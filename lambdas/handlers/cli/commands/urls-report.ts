/** What `crawlguard add`, `remove`, `list` and `import-sitemap` print: what changed, what did not and why. */
import type { AddResult, RemoveResult, SiteUrls, UrlSource } from '../../../core/config/edit';
import { isPublicAddress } from '../../../adapters/http/ssrf';
import type { SitemapUrls } from '../../../adapters/sitemap';
import type { Io } from '../io';
import { plural } from '../render';

/** How many URLs a long report shows of each group before "… and N more". */
const FEW = 5;

export function sourceName(source: UrlSource): string {
  return source.kind === 'default' ? 'default' : source.file;
}

const sourceWords = (source: UrlSource) =>
  source.kind === 'default' ? 'its site lists no URLs and watches its home page by default' : `in ${source.file}`;

function few(io: Io, items: readonly string[], indent: string): void {
  for (const item of items.slice(0, FEW)) io.out(`${indent}${item}`);
  if (items.length > FEW) io.out(io.colors.dim(`${indent}… and ${items.length - FEW} more`));
}

/** The SSRF guard refuses loopback and private addresses unless the site opts in: say so when it applies. */
function privateNotes(io: Io, origins: readonly string[]): void {
  for (const origin of origins) {
    const host = new URL(origin).hostname.replace(/^\[|\]$/g, '');
    const isPrivate = host === 'localhost' || (/^[\d.]+$|:/.test(host) && !isPublicAddress(host));
    if (isPrivate)
      io.out(
        io.colors.yellow(
          `note: ${origin} is a loopback or private address: add allowPrivateNetwork: true to its site to check it`,
        ),
      );
  }
}

function addNotes(io: Io, result: AddResult): void {
  for (const origin of result.keptHome)
    io.out(
      io.colors.dim(
        `note: ${origin} listed no URLs and watched its home page by default; / is listed now, so it is still watched`,
      ),
    );
  privateNotes(io, result.newSites);
}

const addedSummary = (result: AddResult) =>
  result.newSites.length > 0
    ? `added ${plural(result.added.length, 'URL')} (${plural(result.newSites.length, 'new site')})`
    : `added ${plural(result.added.length, 'URL')}`;

export function renderAdd(io: Io, configPath: string, result: AddResult): void {
  const c = io.colors;
  for (const a of result.added) io.out(`${c.green('+')} ${a.url}${a.newSite ? c.dim(' (new site)') : ''}`);
  for (const s of result.skipped)
    io.out(`${c.dim('=')} ${s.url} ${c.dim(`already monitored (${sourceWords(s.source)})`)}`);
  addNotes(io, result);
  const skipped = result.skipped.length > 0 ? `; ${result.skipped.length} already monitored` : '';
  io.out(
    result.added.length > 0
      ? `${configPath}: ${addedSummary(result)}${skipped}`
      : `${configPath}: nothing to add, unchanged${skipped}`,
  );
}

export function renderRemove(io: Io, configPath: string, result: RemoveResult): void {
  const c = io.colors;
  for (const r of result.removed) io.out(`${c.red('-')} ${r.url}`);
  for (const r of result.inUrlsFile)
    io.out(
      `${c.yellow('!')} ${r.url} is listed in ${r.file}: delete its line there (crawlguard edits only ${configPath})`,
    );
  for (const r of result.byDefault)
    io.out(
      `${c.yellow('!')} ${r.url} is watched by default (its site lists no URLs): delete the site from ${configPath} to stop watching it`,
    );
  for (const r of result.notMonitored) io.out(`${c.yellow('?')} ${r.url} is not monitored`);
  for (const origin of result.emptied)
    io.out(c.dim(`note: ${origin} lists no URLs now, so it watches its home page ${origin}/ by default`));
  io.out(
    result.removed.length > 0
      ? `${configPath}: removed ${plural(result.removed.length, 'URL')}`
      : `${configPath}: nothing matched, unchanged`,
  );
}

export function renderList(io: Io, sites: readonly SiteUrls[], json: boolean): void {
  if (json) {
    for (const site of sites) {
      for (const u of site.urls)
        io.out(JSON.stringify({ type: 'url', origin: site.origin, url: u.url, source: sourceName(u.source) }));
    }
    return;
  }
  for (const site of sites) {
    io.out(io.colors.bold(`${site.origin} (${plural(site.urls.length, 'URL')})`));
    const width = Math.min(80, Math.max(...site.urls.map((u) => u.url.length)));
    for (const u of site.urls) io.out(`  ${u.url.padEnd(width)}  ${io.colors.dim(sourceName(u.source))}`);
  }
}

export interface ImportReport {
  source: string;
  found: SitemapUrls;
  /** Locs that are not URLs crawlguard can monitor, with why. */
  unusable: { loc: string; error: string }[];
  result: AddResult;
  /** `--limit N` or `--sample N`, for the "past" line. */
  cap: string | null;
}

export function renderImport(io: Io, configPath: string, report: ImportReport): void {
  const { found, result, unusable, cap } = report;
  const c = io.colors;
  const indexes = found.read.filter((r) => r.kind === 'index').length;
  const repeated = found.repeated > 0 ? ` (${found.repeated} more listed twice)` : '';
  const shape =
    indexes > 0
      ? `${plural(found.read.length, 'sitemap')}, ${plural(indexes, 'index', 'indexes')} among them`
      : plural(found.read.length, 'sitemap');
  io.out(`read ${report.source}: ${shape}; ${plural(found.urls.length, 'URL')}${repeated}`);
  if (result.added.length > 0) {
    io.out(c.bold(`${addedSummary(result)}:`));
    const perSite = new Map<string, string[]>();
    for (const a of result.added) {
      if (!perSite.has(a.origin)) perSite.set(a.origin, []);
      perSite.get(a.origin)!.push(a.url);
    }
    for (const [origin, urls] of perSite) {
      io.out(`  ${origin}${result.newSites.includes(origin) ? ' (new site)' : ''}: ${urls.length}`);
      few(
        io,
        urls.map((u) => `${c.green('+')} ${u}`),
        '    ',
      );
    }
  }
  const skipped: [string, string[]][] = [
    [`${result.skipped.length} already monitored`, result.skipped.map((s) => `${s.url} (${sourceName(s.source)})`)],
    [`${result.notTaken.length} past ${cap}`, result.notTaken.map((r) => r.url)],
    [`${plural(unusable.length, 'loc')} crawlguard cannot monitor`, unusable.map((u) => u.error)],
    // Located, never quoted: the text came from the sitemap.
    [
      `${plural(found.skipped.length, 'entry', 'entries')} not taken`,
      found.skipped.map((s) => `${s.sitemap}, entry ${s.entry}: ${s.reason}`),
    ],
    [
      `${plural(found.notFollowed.length, 'sitemap')} not read`,
      found.notFollowed.map((n) => `${n.location} (${n.reason})`),
    ],
  ];
  for (const [head, items] of skipped.filter(([, items]) => items.length > 0)) {
    io.out(`skipped ${head}:`);
    few(io, items, '    ');
  }
  addNotes(io, result);
  io.out(
    result.added.length > 0 ? `${configPath}: ${addedSummary(result)}` : `${configPath}: nothing to add, unchanged`,
  );
}
