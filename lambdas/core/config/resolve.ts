/**
 * Second stage of loading: turns the validated document into the resolved config
 * (origins normalised, URLs absolute, urlsFile expanded, settings inherited) and reports
 * what a schema cannot see: duplicates, URLs of another origin, windows that end before they start.
 */
import { redactCredentials } from '../redact';
import type { KeyPath } from './errors';
import { DEFAULT_ROUTING, type MonitorsDocument, type SiteDocument } from './schema';
import type { Channel, MaintenanceWindow, MonitorsConfig, Routing, SiteConfig, UrlTarget } from './types';

/** A problem found at a key of monitors.yaml, or at a line of another file (urlsFile). */
export type ResolveProblem =
  | { at: 'key'; path: KeyPath; message: string }
  | { at: 'line'; file: string; line: number; column: number; path: KeyPath; message: string };

/** Reads a file named in monitors.yaml, relative to it; throws with a readable message. */
export type ReadRelative = (relativePath: string) => string;

export function normaliseOrigin(text: string): string | { error: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: `expected an origin such as https://www.example.com, got ${JSON.stringify(text)}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { error: `expected an http:// or https:// origin, got ${JSON.stringify(text)}` };
  }
  if (url.username || url.password) return { error: CREDENTIALS_REFUSED };
  if (url.pathname !== '/' || url.search || url.hash) {
    return { error: `expected scheme://host[:port] with no path, got ${JSON.stringify(text)}; list paths under urls:` };
  }
  return url.origin;
}

/**
 * The largest site crawlguard accepts: the limits of one sitemap (sitemaps.org protocol: 50,000 URLs,
 * each under 2,048 characters). Every bound of what the store writes is measured at these (test/adapters/store/limits.test.ts).
 */
export const MAX_URLS_PER_SITE = 50_000;
export const MAX_URL_CHARS = 2_048;

/**
 * A URL with a user or password would put the secret in every output (results, alerts, the store, the
 * status page), and fetch refuses it anyway; a monitor checks what an anonymous crawler sees.
 */
export const CREDENTIALS_REFUSED =
  'credentials in URLs (user:password@) are not supported: a crawler checks what anyone sees; remove them';

/** How much of a text an error message quotes back: enough to recognise it, never a whole line of a file. */
const EXCERPT_CHARS = 60;

/** The start of `text`, credentials redacted, for a message. */
export function shorten(text: string): string {
  const shown = redactCredentials(text);
  return shown.length > EXCERPT_CHARS ? `${shown.slice(0, EXCERPT_CHARS)}…` : shown;
}

/** A short, quoted, credential-free excerpt of `text` for a message. */
export const excerpt = (text: string): string => JSON.stringify(shorten(text));

export interface ResolveUrlOptions {
  /**
   * Quote the entry back in messages. Off for lines of a file that is not the config (a urlsFile), which
   * could be any file (/etc/passwd): its problems are located by file:line:column instead.
   */
  quote?: boolean;
}

/** Absolute URL of `origin` for a path or an absolute URL, or an error message. */
export function resolveUrl(
  origin: string,
  entry: string,
  { quote = true }: ResolveUrlOptions = {},
): string | { error: string } {
  const text = entry.trim();
  const got = quote ? `, got ${excerpt(entry)}` : '';
  const isAbsolute = /^[a-z][a-z0-9+.-]*:/i.test(text);
  if (!isAbsolute && !text.startsWith('/')) {
    return { error: `expected a path starting with / or an absolute URL of ${origin}${got}` };
  }
  let url: URL;
  try {
    url = new URL(text, origin);
  } catch {
    return { error: `not a valid URL${got}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { error: `expected an http:// or https:// URL of ${origin}${got}` };
  if (url.username || url.password) return { error: CREDENTIALS_REFUSED };
  if (url.origin !== origin) {
    return {
      error: `${quote ? shorten(url.href) : `a URL of ${url.origin}`} is not on ${origin}; give it a site of its own`,
    };
  }
  url.hash = '';
  if (url.href.length > MAX_URL_CHARS)
    return {
      error: `the URL is ${url.href.length} characters long; crawlguard monitors URLs of up to ${MAX_URL_CHARS} (the sitemaps protocol's limit)`,
    };
  return url.href;
}

interface Located<T> {
  value: T;
  problemAt: (message: string) => ResolveProblem;
}

/** Problems reported per urlsFile before the rest are counted: a wrong file must not be printed line by line. */
const MAX_FILE_PROBLEMS = 5;

function urlsFromFile(
  site: SiteDocument,
  siteIndex: number,
  origin: string,
  read: ReadRelative,
  problems: ResolveProblem[],
) {
  const file = site.urlsFile;
  if (file === undefined) return [];
  let text: string;
  try {
    text = read(file);
  } catch (error) {
    problems.push({ at: 'key', path: ['sites', siteIndex, 'urlsFile'], message: (error as Error).message });
    return [];
  }
  const entries: Located<string>[] = [];
  const bad: ResolveProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const column = raw.indexOf(line) + 1;
    const path = ['sites', siteIndex, 'urlsFile'];
    const resolved = resolveUrl(origin, line, { quote: false });
    const problemAt = (message: string): ResolveProblem => ({
      at: 'line',
      file,
      line: index + 1,
      column,
      path,
      message,
    });
    if (typeof resolved === 'string') {
      entries.push({ value: resolved, problemAt });
      return;
    }
    bad.push(problemAt(resolved.error));
  });
  problems.push(...bad.slice(0, MAX_FILE_PROBLEMS));
  const more = bad.length - MAX_FILE_PROBLEMS;
  const firstUnreported = bad[MAX_FILE_PROBLEMS];
  if (firstUnreported) {
    problems.push({
      ...firstUnreported,
      message: `and ${more} more line${more === 1 ? '' : 's'} that are not URLs of ${origin}; is ${file} the file of URLs you meant?`,
    });
  }
  return entries;
}

function resolveUrls(
  site: SiteDocument,
  siteIndex: number,
  origin: string,
  read: ReadRelative,
  problems: ResolveProblem[],
) {
  const targets: Located<UrlTarget>[] = [];
  site.urls.forEach((entry, urlIndex) => {
    const path = ['sites', siteIndex, 'urls', urlIndex];
    const resolved = resolveUrl(origin, entry.path);
    if (typeof resolved !== 'string') {
      problems.push({ at: 'key', path, message: resolved.error });
      return;
    }
    targets.push({
      value: {
        url: resolved,
        expectStatus: entry.expectStatus ?? null,
        bodyContains: entry.bodyContains,
        bodyNotContains: entry.bodyNotContains,
      },
      problemAt: (message) => ({ at: 'key', path, message }),
    });
  });
  for (const fromFile of urlsFromFile(site, siteIndex, origin, read, problems)) {
    targets.push({
      value: { url: fromFile.value, expectStatus: null, bodyContains: [], bodyNotContains: [] },
      problemAt: fromFile.problemAt,
    });
  }
  // A site with no URLs watches its home page: "/" is what origin-wide rules look at first.
  if (targets.length === 0 && site.urlsFile === undefined) {
    targets.push({
      value: { url: `${origin}/`, expectStatus: null, bodyContains: [], bodyNotContains: [] },
      problemAt: (message) => ({ at: 'key', path: ['sites', siteIndex], message }),
    });
  }
  const seen = new Set<string>();
  const unique = targets.filter((target) => {
    if (!seen.has(target.value.url)) return seen.add(target.value.url);
    problems.push(target.problemAt(`${target.value.url} is listed twice for this site`));
    return false;
  });
  if (unique.length > MAX_URLS_PER_SITE) {
    problems.push(
      unique[MAX_URLS_PER_SITE]!.problemAt(
        `a site holds at most ${MAX_URLS_PER_SITE} URLs (this one has ${unique.length}); split it across sites or keep the pages that matter`,
      ),
    );
  }
  return unique.map((target) => target.value);
}

function resolveMaintenance(site: SiteDocument, siteIndex: number, problems: ResolveProblem[]): MaintenanceWindow[] {
  return site.maintenance.flatMap((window, index) => {
    const startMs = Date.parse(window.start);
    const endMs = Date.parse(window.end);
    if (endMs <= startMs) {
      problems.push({
        at: 'key',
        path: ['sites', siteIndex, 'maintenance', index, 'end'],
        message: 'the window must end after it starts',
      });
      return [];
    }
    return [
      { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString(), reason: window.reason ?? null },
    ];
  });
}

type RoutingDocument = Partial<Record<keyof Routing, Channel[]>>;

/** Defaults, then the top-level routing, then the site's, severity by severity; each list deduplicated. */
function routingOf(top: RoutingDocument, site: RoutingDocument | undefined): Routing {
  const pick = (severity: keyof Routing) => [
    ...new Set(site?.[severity] ?? top[severity] ?? DEFAULT_ROUTING[severity]),
  ];
  return { critical: pick('critical'), warning: pick('warning'), info: pick('info') };
}

export interface ResolveOptions {
  /** Also check what only a deployment needs (`cdk synth`): EventBridge Scheduler runs whole minutes. */
  forDeploy?: boolean;
}

export function resolveConfig(
  doc: MonitorsDocument,
  read: ReadRelative,
  options: ResolveOptions = {},
): { config: MonitorsConfig; problems: ResolveProblem[] } {
  const problems: ResolveProblem[] = [];
  const origins = new Map<string, number>();
  const sites: SiteConfig[] = [];
  doc.sites.forEach((site, siteIndex) => {
    const origin = normaliseOrigin(site.origin);
    if (typeof origin !== 'string') {
      problems.push({ at: 'key', path: ['sites', siteIndex, 'origin'], message: origin.error });
      return;
    }
    const first = origins.get(origin);
    if (first !== undefined) {
      problems.push({
        at: 'key',
        path: ['sites', siteIndex, 'origin'],
        message: `${origin} is already configured in sites[${first}]; merge the two`,
      });
      return;
    }
    origins.set(origin, siteIndex);
    const inherit = <K extends keyof MonitorsDocument['defaults']>(key: K) =>
      (site[key] !== undefined ? site[key] : doc.defaults[key]) as MonitorsDocument['defaults'][K];
    const mustBeShorter = (shorter: keyof MonitorsDocument['defaults'], longer: keyof MonitorsDocument['defaults']) => {
      if ((inherit(shorter) ?? 0) < (inherit(longer) ?? Infinity)) return;
      const path = site[shorter] !== undefined ? ['sites', siteIndex, shorter] : ['defaults', shorter];
      problems.push({ at: 'key', path, message: `${shorter} must be shorter than ${longer} for ${origin}` });
    };
    mustBeShorter('timeout', 'interval');
    mustBeShorter('deindexRiskAfter', 'deindexCriticalAfter');
    mustBeShorter('robotsCachedCopyAfter', 'robotsCliffWarningAfter');
    mustBeShorter('robotsCliffWarningAfter', 'robotsCliffAfter');
    const interval = inherit('interval');
    if (options.forDeploy && (interval < 60_000 || interval % 60_000 !== 0)) {
      const path = site.interval !== undefined ? ['sites', siteIndex, 'interval'] : ['defaults', 'interval'];
      problems.push({
        at: 'key',
        path,
        message: `EventBridge Scheduler runs whole minutes, at most once a minute: use 1m or more for ${origin} to deploy it (shorter intervals run locally)`,
      });
    }
    sites.push({
      origin,
      robots: site.robots,
      agents: site.agents,
      allowPrivateNetwork: site.allowPrivateNetwork,
      urls: resolveUrls(site, siteIndex, origin, read, problems),
      maintenance: resolveMaintenance(site, siteIndex, problems),
      routing: routingOf(doc.alerts.routing, site.alerts?.routing),
      intervalMs: inherit('interval'),
      timeoutMs: inherit('timeout'),
      retries: inherit('retries'),
      retryBackoffMs: inherit('retryBackoff'),
      failureThreshold: inherit('failureThreshold'),
      successThreshold: inherit('successThreshold'),
      userAgent: inherit('userAgent'),
      deindexRiskAfterMs: inherit('deindexRiskAfter'),
      deindexCriticalAfterMs: inherit('deindexCriticalAfter'),
      remindEveryMs: inherit('remindEvery'),
      robotsCachedCopyAfterMs: inherit('robotsCachedCopyAfter'),
      robotsCliffWarningAfterMs: inherit('robotsCliffWarningAfter'),
      robotsCliffAfterMs: inherit('robotsCliffAfter'),
    });
  });
  const alerts = { ...doc.alerts, routing: routingOf(doc.alerts.routing, undefined) };
  return {
    config: {
      alerts,
      limits: doc.limits,
      history: { retentionMs: doc.history.retention },
      report: { everyMs: doc.report.every },
      sites,
      privateNetworkOrigins: sites.filter((s) => s.allowPrivateNetwork).map((s) => s.origin),
    },
    problems,
  };
}
