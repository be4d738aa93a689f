/**
 * The status report's content, computed from what the store holds: states, the event log, the last
 * day of check history and the last good robots.txt. Pure: the handler reads, this decides what a
 * person sees. Uptime counts confirmed failures only (incidents that reached url-down or
 * url-assertion-failed): a blip that the in-pass retries or the thresholds absorbed does not count.
 */
import type { MonitorsConfig, SiteConfig } from '../config/types';
import { groupBy } from '../group';
import type { Outcome } from '../probe/outcome';
import type { CheckResult } from '../probe/types';
import type { RobotsCopy } from '../robots/analyse';
import { createRobotsMatcher } from '../robots/matcher';
import { openClocks, type OpenClock } from '../rules/clocks';
import type { CrawlEvent, CrawlEventOf } from '../rules/event';
import { msBetween } from '../rules/incident';
import type { OriginState } from '../rules/state';
import { URL_DEINDEX_CRITICAL, URL_DEINDEX_RISK } from '../tiers/crawl';
import type { Tier } from '../tiers/registry';
import { ROBOTS_CACHED_COPY, ROBOTS_CLIFF, ROBOTS_CLIFF_WARNING } from '../tiers/robots-unreachable';
import { spoken } from '../tiers/tier';

/** One check from history, as the report needs it. */
export type Sample = Pick<CheckResult, 'url' | 'checkedAt' | 'outcome' | 'latencyMs'>;

export interface ReportInput {
  config: MonitorsConfig;
  nowIso: string;
  states: ReadonlyMap<string, OriginState>;
  /** Each origin's event log (the last 30 days are enough). */
  events: ReadonlyMap<string, readonly CrawlEvent[]>;
  /** Checks of the last 24 hours, any origin. */
  samples: readonly Sample[];
  robotsCopies: ReadonlyMap<string, RobotsCopy | null>;
}

export type Health = 'up' | 'degraded' | 'down' | 'unknown';

export interface IncidentLine {
  incidentId: string;
  /** `/checkout`, `robots.txt`, `site`. */
  subject: string;
  start: string;
  /** Null while open. */
  end: string | null;
  durationMs: number;
  tiers: Tier[];
}

export interface LatencyPoint {
  /** Start of the hour. */
  hour: string;
  p50: number;
  p95: number;
  checks: number;
}

export interface OriginReport {
  origin: string;
  health: Health;
  summary: string;
  /** Fractions 0-1 over the window (or since monitoring began when that is shorter); null without data. */
  uptime: Record<'24h' | '7d' | '30d', number | null>;
  urls: { url: string; outcome: Outcome | null; status: number | null; since: string | null }[];
  latency: LatencyPoint[];
  incidents: IncidentLine[];
  robots: {
    state: string | null;
    copyFetchedAt: string | null;
    text: string | null;
    changes: { at: string; agent: string; added: string[]; removed: string[] }[];
    /** Per configured agent, the monitored URLs it may not crawl. */
    disallowed: Record<string, string[]>;
  } | null;
}

export interface ReportModel {
  generatedAt: string;
  /** What the clocks measure, at the configured marks (one line per distinct set of thresholds). */
  marks: string[];
  /** Open incidents with their clocks, the most urgent first: what to look at now. */
  clocks: OpenClock[];
  origins: OriginReport[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WINDOWS = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY } as const;
const CONFIRMED: Tier[] = ['url-down', 'url-deindex-risk', 'url-deindex-critical', 'url-assertion-failed'];

function subjectOf(event: CrawlEvent, tiers: Tier[]): string {
  if (event.url) return new URL(event.url).pathname + new URL(event.url).search;
  return tiers.some((t) => t.startsWith('robots-')) ? 'robots.txt' : 'site';
}

/** Incidents from the event log: tiers in order, and when they ended (a recovered event), if they did. */
export function incidentsOf(events: readonly CrawlEvent[], nowIso: string): (IncidentLine & { url: string | null })[] {
  const byId = groupBy(events, (e) => e.incidentId);
  return [...byId.values()].map((list) => {
    const first = list[0]!;
    const recovered = list.find((e): e is CrawlEventOf<'recovered'> => e.tier === 'recovered');
    const tiers = [...new Set(list.filter((e) => e.tier !== 'recovered').map((e) => e.tier))];
    // A rule change is an event of its own: it starts and ends at once.
    const instant = first.tier === 'robots-changed';
    const durationMs = recovered ? recovered.detail.durationMs : instant ? 0 : msBetween(first.incidentStart, nowIso);
    const end = recovered || instant ? new Date(Date.parse(first.incidentStart) + durationMs).toISOString() : null;
    return { incidentId: first.incidentId, url: first.url, subject: subjectOf(first, tiers), start: first.incidentStart, end, durationMs, tiers };
  }).sort((a, b) => b.start.localeCompare(a.start) || a.subject.localeCompare(b.subject) || a.tiers.join().localeCompare(b.tiers.join()));
}

function overlapMs(start: string, end: string, fromMs: number, toMs: number): number {
  return Math.max(0, Math.min(Date.parse(end), toMs) - Math.max(Date.parse(start), fromMs));
}

/** Per URL, 1 − confirmed failing time / the observed window; the origin's figure is the mean over its URLs. */
function uptimeOf(site: SiteConfig, incidents: ReturnType<typeof incidentsOf>, state: OriginState | undefined, nowIso: string): OriginReport['uptime'] {
  const nowMs = Date.parse(nowIso);
  const sinceMs = state?.since ? Date.parse(state.since) : null;
  const result = {} as OriginReport['uptime'];
  for (const [name, length] of Object.entries(WINDOWS) as [keyof typeof WINDOWS, number][]) {
    const fromMs = Math.max(nowMs - length, sinceMs ?? nowMs - length);
    if (!state || fromMs >= nowMs) {
      result[name] = null;
      continue;
    }
    const window = nowMs - fromMs;
    const perUrl = site.urls.map(({ url }) => {
      const down = incidents
        .filter((i) => i.url === url && i.tiers.some((t) => CONFIRMED.includes(t)))
        .reduce((sum, i) => sum + overlapMs(i.start, i.end ?? nowIso, fromMs, nowMs), 0);
      return 1 - Math.min(down, window) / window;
    });
    result[name] = perUrl.length > 0 ? perUrl.reduce((a, b) => a + b, 0) / perUrl.length : null;
  }
  return result;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** Hourly p50/p95 of answered checks over the last 24 hours. */
function latencyOf(urls: Set<string>, samples: readonly Sample[], nowIso: string): LatencyPoint[] {
  const fromMs = Date.parse(nowIso) - DAY;
  const answered = samples.filter((s) => urls.has(s.url) && Date.parse(s.checkedAt) >= fromMs && s.outcome !== 'timeout' && s.outcome !== 'blocked');
  const buckets = groupBy(answered, (s) => Math.floor(Date.parse(s.checkedAt) / HOUR) * HOUR);
  return [...buckets].sort(([a], [b]) => a - b).map(([hour, group]) => {
    const list = group.map((s) => s.latencyMs);
    const sorted = [...list].sort((a, b) => a - b);
    return { hour: new Date(hour).toISOString(), p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), checks: list.length };
  });
}

function robotsOf(site: SiteConfig, state: OriginState | undefined, copy: RobotsCopy | null | undefined, events: readonly CrawlEvent[]): OriginReport['robots'] {
  if (!site.robots) return null;
  const changes = events
    .filter((e): e is CrawlEventOf<'robots-changed'> => e.tier === 'robots-changed')
    .flatMap((e) => e.detail.changes.map((c) => ({ at: e.at, agent: c.agent, added: c.added, removed: c.removed })));
  const disallowed: Record<string, string[]> = Object.fromEntries(site.agents.map((a) => [a, [] as string[]]));
  if (copy?.text !== undefined && copy !== null) {
    const matcher = createRobotsMatcher(copy.text);
    for (const agent of site.agents) disallowed[agent] = site.urls.map((u) => u.url).filter((url) => !matcher.verdict(url, agent).allowed);
  }
  return { state: state?.robots?.latest.state ?? null, copyFetchedAt: copy?.fetchedAt ?? null, text: copy?.text ?? null, changes: changes.reverse(), disallowed };
}

const CLOCK_WORDS: Record<OpenClock['kind'], string> = {
  'url-crawl': 'URL failing', 'url-content': 'URL not as expected', 'url-robots-block': 'URL disallowed by robots.txt', origin: 'many URLs failing',
  'robots-unreachable': 'robots.txt unreachable', 'robots-missing': 'robots.txt missing', 'robots-blocks-site': 'robots.txt blocks the site', 'robots-truncated': 'robots.txt too large',
};

function healthOf(site: SiteConfig, state: OriginState | undefined, clocks: OpenClock[]): { health: Health; summary: string } {
  if (!state) return { health: 'unknown', summary: 'not checked yet' };
  const failing = site.urls.filter((u) => { const latest = state.urls[u.url]?.latest; return latest && latest.outcome !== 'ok'; }).length;
  const answering = failing === 0 ? `all ${site.urls.length} URLs answering` : `${failing} of ${site.urls.length} URLs not answering as they should`;
  const open = [...new Set(clocks.map((c) => CLOCK_WORDS[c.kind]))];
  const summary = open.length > 0 ? `${answering}; open: ${open.join(', ')}` : answering;
  if (state.crawl?.fired.includes('origin-outage') || state.robots?.unreachable) return { health: 'down', summary };
  return { health: failing > 0 || open.length > 0 ? 'degraded' : 'up', summary };
}

/** Open clocks first by whether a tier was reached, then by the time left to the next one. */
function byUrgency(a: OpenClock, b: OpenClock): number {
  return Number(b.tier !== null) - Number(a.tier !== null) || (a.next?.inMs ?? Infinity) - (b.next?.inMs ?? Infinity);
}

const TIMED = [URL_DEINDEX_RISK, URL_DEINDEX_CRITICAL, ROBOTS_CACHED_COPY, ROBOTS_CLIFF_WARNING, ROBOTS_CLIFF] as const;

/** Google's behaviour by its own marks, which no configuration changes. */
const GOOGLE_FACTS =
  'Google tolerates server errors on a URL for "a couple of hours, or 1-2 days"; while robots.txt cannot be fetched it crawls nothing, after 12 hours it uses its last good copy, and after 30 days it treats robots.txt as absent. Uptime counts confirmed failures only.';

/** The marks the clocks count to, in the configured thresholds (per site when sites differ), and Google's own. */
function marksOf(sites: readonly SiteConfig[]): string[] {
  const perSite = sites.map((site) => ({
    origin: site.origin,
    line: `Marks: ${TIMED.map((spec) => `${spec.mark(site).replace(/^the /, '')} at ${spoken(spec.thresholdMs(site))}`).join(', ')}.`,
  }));
  const same = new Set(perSite.map((s) => s.line)).size === 1;
  return [...(same ? [perSite[0]!.line] : perSite.map((s) => `${s.origin}: ${s.line}`)), GOOGLE_FACTS];
}

export function buildReport(input: ReportInput): ReportModel {
  const clocks: OpenClock[] = [];
  const origins = input.config.sites.map((site): OriginReport => {
    const state = input.states.get(site.origin);
    const siteClocks = state ? openClocks(state, site, input.nowIso) : [];
    clocks.push(...siteClocks);
    const events = input.events.get(site.origin) ?? [];
    const incidents = incidentsOf(events, input.nowIso);
    return {
      origin: site.origin,
      ...healthOf(site, state, siteClocks),
      uptime: uptimeOf(site, incidents, state, input.nowIso),
      urls: site.urls.map(({ url }) => {
        const latest = state?.urls[url]?.latest;
        return { url, outcome: latest?.outcome ?? null, status: latest?.status ?? null, since: latest?.since ?? null };
      }),
      latency: latencyOf(new Set(site.urls.map((u) => u.url)), input.samples, input.nowIso),
      incidents: incidents.filter((i) => Date.parse(i.end ?? input.nowIso) >= Date.parse(input.nowIso) - WINDOWS['30d']).map(({ url: _url, ...line }) => line),
      robots: robotsOf(site, state, input.robotsCopies.get(site.origin), events),
    };
  });
  return { generatedAt: input.nowIso, marks: marksOf(input.config.sites), clocks: clocks.sort(byUrgency), origins };
}
