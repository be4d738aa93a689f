/**
 * The one-line form of an event: severity, where, what failed, since when, the consequence. The CLI
 * prints it; SMS is built from it.
 * Example: `CRIT www.example.com robots.txt 503 since 09:12Z (2h10m): Google stopped crawling the site`.
 */
import { formatDurationMs } from '../config/duration';
import type { CrawlEvent } from '../rules/event';

export const SEVERITY_LABEL = { critical: 'CRIT', warning: 'WARN', info: 'INFO' } as const;

/** `09:12Z` today-style time, or `Dec 1 09:12Z` when the incident began on another day than `at`. */
export function shortTime(iso: string, at: string): string {
  const time = `${iso.slice(11, 16)}Z`;
  if (iso.slice(0, 10) === at.slice(0, 10)) return time;
  const date = new Date(iso);
  return `${date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })} ${date.getUTCDate()} ${time}`;
}

/** How long a recovered incident lasted, for people; other events: how long the incident has run. */
export function lasted(event: CrawlEvent): string {
  return event.tier === 'recovered' ? event.detail.duration : formatDurationMs(event.elapsedMs);
}

/** An origin event's failing and total URL counts; null for any other. */
function originCounts(event: CrawlEvent): { failingUrls: number; totalUrls: number } | null {
  return event.tier === 'origin-outage' || event.tier === 'origin-crawl-slowdown' ? event.detail : null;
}

/** What the event is about: `/checkout`, `robots.txt`, `site`. */
export function subjectName(event: CrawlEvent): string {
  const family = event.tier === 'recovered' ? (event.detail.tiersReached[0] ?? '') : event.tier;
  if (event.url) return new URL(event.url).pathname + new URL(event.url).search;
  return family.startsWith('robots-') ? 'robots.txt' : 'site';
}

/** What failed, in a few words: `robots.txt 503`, `/checkout 500`, `/ timeout`, `5 of 12 URLs failing`. */
export function whatFailed(event: CrawlEvent): string {
  const counts = originCounts(event);
  if (counts) return `${counts.failingUrls} of ${counts.totalUrls} URLs failing`;
  return `${subjectName(event)} ${event.status ?? event.outcome ?? ''}`.trim();
}

export function headline(event: CrawlEvent): string {
  const host = new URL(event.origin).host;
  const since = `since ${shortTime(event.incidentStart, event.at)} (${formatDurationMs(event.elapsedMs)})`;
  const body =
    event.tier === 'recovered'
      ? `${whatFailed(event)} recovered after ${lasted(event)}`
      : `${whatFailed(event)} ${since}`;
  return `${SEVERITY_LABEL[event.severity]} ${host} ${body}: ${event.searchEngines}`;
}
