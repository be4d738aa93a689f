/**
 * The email body: plain text, no links or markup, lines wrapped for any mail client. One section per
 * tier, most severe first; every affected URL with its status, outcome and the server's request id.
 */
import { formatDurationMs } from '../config/duration';
import type { CrawlEvent } from '../rules/event';
import type { SiteSettings } from '../config/types';
import { tierSpec, type Tier } from '../tiers/registry';
import type { ChangedDetail } from '../tiers/robots-copy';
import type { UnreachableDetail } from '../tiers/robots-unreachable';
import { SEVERITIES } from '../tiers/severity';
import { groupBy } from '../group';
import { clip } from './ascii';
import { lasted, subjectName, whatFailed } from './headline';

export interface EmailInput {
  origin: string;
  /** The site's settings: section titles follow its configured thresholds. */
  site: SiteSettings;
  at: string;
  /** Sorted by importance. */
  events: readonly CrawlEvent[];
  notes: string[];
}

const WIDTH = 76;
const LABEL = 17;
/** SNS takes 256 KB per message; the email, the default copy and JSON escaping must fit in it. */
const MAX_EMAIL_CHARS = 80_000;
/** URLs listed per section, and event ids in the footer: a 50,000-URL outage is named by its first ones and counted. */
const MAX_LISTED = 100;
const andMore = (total: number, what: string) =>
  total > MAX_LISTED ? [`    ... and ${total - MAX_LISTED} more ${what} (every one is in crawlguard's event log)`] : [];

/** `2026-12-01 09:12 UTC` */
export const readableTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/** `  Label:          value` with the value wrapped under itself. */
function field(label: string, value: string): string[] {
  const indent = ' '.repeat(2 + LABEL);
  const head = label ? `  ${`${label}:`.padEnd(LABEL)}` : indent;
  return wrap(value, WIDTH - indent.length).map((part, i) => (i === 0 ? `${head}${part}` : `${indent}${part}`));
}

function answer(event: CrawlEvent): string {
  const status =
    event.status === null ? (event.outcome ?? 'no answer') : `${event.status} ${event.outcome ?? ''}`.trim();
  return event.requestId ? `${status}, request id ${event.requestId}` : status;
}

/** `, and 240 more` when an event listed only the first of its rules. */
const moreThan = (listed: number, total: number | undefined) =>
  total !== undefined && total > listed ? `, and ${total - listed} more` : '';

function rulesInForceLines(detail: UnreachableDetail): string[] {
  if (!detail.rulesInForce) {
    return field('Rules in force', 'none: crawlguard never saw a good copy, so search engines apply no restrictions');
  }
  const copy = detail.copyFetchedAt
    ? `last good copy, first fetched ${readableTime(detail.copyFetchedAt)}`
    : 'last good copy';
  const lines = field('Rules in force', copy);
  for (const [agent, rules] of Object.entries(detail.rulesInForce)) {
    const more = moreThan(rules.length, detail.rulesInForceCount?.[agent]);
    lines.push(
      ...field('', `${agent}: ${rules.length > 0 ? `${rules.join(', ')}${more}` : 'no rules (everything allowed)'}`),
    );
  }
  return lines;
}

function changeLines(detail: ChangedDetail): string[] {
  return detail.changes.flatMap((change) => [
    ...(change.added.length
      ? field(`Added (${change.agent})`, change.added.join(', ') + moreThan(change.added.length, change.addedCount))
      : []),
    ...(change.removed.length
      ? field(
          `Removed (${change.agent})`,
          change.removed.join(', ') + moreThan(change.removed.length, change.removedCount),
        )
      : []),
  ]);
}

/** The tier's own facts, as lines of an email section. */
function detailLines(event: CrawlEvent): string[] {
  switch (event.tier) {
    case 'url-error-leak':
      return field('Leaks', event.detail.leak.join(', '));
    case 'url-blocked-by-robots':
      return field('Disallowed', (event.detail.disallowedFor ?? []).map((x) => `${x.agent} by ${x.rule}`).join('; '));
    case 'robots-unreachable':
    case 'robots-cached-copy':
    case 'robots-cliff-warning':
    case 'robots-cliff':
      return rulesInForceLines(event.detail);
    case 'robots-changed':
      return changeLines(event.detail);
    case 'origin-crawl-slowdown':
    case 'origin-outage':
      return field('Failing', `${event.detail.failingUrls} of ${event.detail.totalUrls} URLs of the site`);
    case 'recovered':
      return field('Had reached', event.detail.tiersReached.join(', '));
    default:
      return [];
  }
}

/** What, URL and since: the lines of a section about one event. */
function oneEventLines(first: CrawlEvent): string[] {
  const isOrigin = first.tier === 'origin-outage' || first.tier === 'origin-crawl-slowdown';
  const since =
    first.tier === 'recovered'
      ? field('Lasted', `${lasted(first)} (from ${readableTime(first.incidentStart)})`)
      : field('Since', `${readableTime(first.incidentStart)} (${formatDurationMs(first.elapsedMs)})`);
  return [
    ...field('What', isOrigin ? whatFailed(first) : `${subjectName(first)} answered ${answer(first)}`),
    ...(first.url ? field('URL', first.url) : []),
    ...since,
  ];
}

/** The soonest next tier of the events, if any has one. */
function nextLines(events: readonly CrawlEvent[]): string[] {
  const next = events.filter((e) => e.nextTier).sort((a, b) => a.nextTier!.inMs - b.nextTier!.inMs)[0]?.nextTier;
  if (!next) return [];
  return field('Next', `${next.tier} in ${formatDurationMs(next.inMs)}${events.length > 1 ? ' (the soonest)' : ''}`);
}

/** Every event of a section with its answer and times (the first MAX_LISTED; the rest counted). */
function affectedLines(tier: Tier, events: readonly CrawlEvent[], hints: readonly string[]): string[] {
  const lines = ['  Affected:'];
  for (const event of events.slice(0, MAX_LISTED)) {
    lines.push(`    ${event.url ?? whatFailed(event)}`);
    const since =
      tier === 'recovered'
        ? `lasted ${lasted(event)}`
        : `since ${readableTime(event.incidentStart)} (${formatDurationMs(event.elapsedMs)})`;
    lines.push(`      ${answer(event)}; ${since}`);
    if (hints.length > 1 && event.checkFirst)
      lines.push(...wrap(`check first: ${event.checkFirst}`, WIDTH - 6).map((l) => `      ${l}`));
  }
  return [...lines, ...andMore(events.length, events.every((e) => e.url) ? 'URLs' : 'events')];
}

/** One section of the email: a tier, and the events of it this notification carries. */
function section(tier: Tier, events: readonly CrawlEvent[], deliveredAt: string, site: SiteSettings): string[] {
  const first = events[0]!;
  const count = events.length > 1 ? `, ${events.length} ${events.every((e) => e.url) ? 'URLs' : 'events'}` : '';
  const reminder = first.reminder > 0 ? `, reminder ${first.reminder}` : '';
  const lines = [`${first.severity.toUpperCase()}: ${tierSpec(tier).title(site)} [${tier}${reminder}]${count}`];
  if (events.length === 1) lines.push(...oneEventLines(first));
  const late = events.find((e) => e.at !== deliveredAt);
  if (late) lines.push(...field('Raised', `${readableTime(late.at)} (delivered late: an earlier attempt failed)`));
  lines.push(...field('Search engines', first.searchEngines), ...nextLines(events));
  const listed = events.slice(0, MAX_LISTED);
  const hints = [...new Set(listed.map((e) => e.checkFirst).filter((h): h is string => Boolean(h)))];
  if (hints.length === 1) lines.push(...field('Check first', hints[0]!));
  if (events.length === 1) lines.push(...detailLines(first));
  for (const note of [...new Set(listed.flatMap((e) => e.notes))]) lines.push(...field('Note', note));
  if (events.length > 1) lines.push(...affectedLines(tier, events, hints));
  lines.push(...field('Source', first.source));
  return lines;
}

export function renderEmail(input: EmailInput): string {
  const counts = SEVERITIES.map(
    (severity) => [severity, input.events.filter((e) => e.severity === severity).length] as const,
  )
    .filter(([, n]) => n > 0)
    .map(([severity, n]) => `${n} ${severity}`)
    .join(', ');
  const lines = [
    `crawlguard alert for ${input.origin}`,
    `${input.events.length} event${input.events.length === 1 ? '' : 's'} at ${readableTime(input.at)}: ${counts}`,
    ...input.notes.flatMap((note) => ['', ...wrap(note, WIDTH)]),
  ];
  const groups = groupBy(input.events, (e) => e.tier);
  for (const [tier, events] of groups) lines.push('', ...section(tier, events, input.at, input.site));
  const ids = input.events
    .slice(0, MAX_LISTED)
    .map((e) => e.id)
    .join(' ');
  const more = input.events.length > MAX_LISTED ? ` and ${input.events.length - MAX_LISTED} more` : '';
  lines.push('', '--', `crawlguard checked ${input.origin} at ${readableTime(input.at)}.`, `Event ids: ${ids}${more}`);
  const text = lines.join('\n');
  return text.length <= MAX_EMAIL_CHARS
    ? text
    : `${clip(text, MAX_EMAIL_CHARS - 60)}\n\n(cut: the full list is in crawlguard's event log)`;
}
