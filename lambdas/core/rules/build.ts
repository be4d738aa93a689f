/** Assembles events: the fields every event carries, whatever its tier. */
import { formatDurationMs } from '../config/duration';
import type { SiteSettings } from '../config/types';
import type { CheckResult } from '../probe/types';
import { RECOVERED } from '../tiers/recovery';
import type { Tier, TierDetails } from '../tiers/registry';
import type { Severity } from '../tiers/severity';
import { sourceOf, type TierSpec } from '../tiers/tier';
import type { CrawlEventOf, EventFields, NextTier } from './event';
import { gapMs, msBetween, type Incident } from './incident';

export interface EventSubject {
  origin: string;
  url: string | null;
  at: string;
  /** The check the event is about: its status, outcome and request id travel with the event. */
  result: Pick<CheckResult, 'status' | 'outcome' | 'requestId'> | null;
}

export interface EventParts<T extends Tier = Tier> {
  searchEngines: string;
  nextTier?: NextTier | null;
  checkFirst?: string | null;
  notes?: string[];
  /** The tier's own facts (its module declares what they are). */
  detail: TierDetails[T];
  severity?: Severity;
  reminder?: number;
}

export function buildEvent<T extends Tier>(
  spec: TierSpec<T>,
  incident: Incident,
  subject: EventSubject,
  parts: EventParts<T>,
): CrawlEventOf<T> {
  const reminder = parts.reminder ?? 0;
  const notes = [...(parts.notes ?? [])];
  if (incident.gaps.length > 0) {
    const last = incident.gaps.at(-1)!;
    notes.push(
      `crawlguard did not check for ${formatDurationMs(gapMs(incident))} in all (last gap ${last.from} to ${last.to}); the clock assumes the failure went on meanwhile`,
    );
  }
  const event: EventFields<T> = {
    id: `${incident.id}:${spec.id}${reminder > 0 ? `:r${reminder}` : ''}`,
    tier: spec.id,
    severity: parts.severity ?? spec.severity,
    origin: subject.origin,
    url: subject.url,
    incidentId: incident.id,
    incidentStart: incident.startedAt,
    at: subject.at,
    elapsedMs: msBetween(incident.startedAt, subject.at),
    status: subject.result?.status ?? null,
    outcome: subject.result?.outcome ?? null,
    requestId: subject.result?.requestId ?? null,
    searchEngines: parts.searchEngines,
    source: sourceOf(spec),
    nextTier: parts.nextTier ?? null,
    checkFirst: parts.checkFirst ?? null,
    gaps: incident.gaps,
    notes,
    reminder,
    detail: parts.detail,
  };
  // The one place an event is made: its tier and detail are typed together above (spec: TierSpec<T>,
  // detail: TierDetails[T]); TypeScript cannot relate a generic T to the union it distributes over.
  return event as CrawlEventOf<T>;
}

/** Marks an incident as having emitted an event now (the reminder clock restarts). */
export function emitted(incident: Incident, at: string, fired: Tier[] = incident.fired, reminder = false): Incident {
  return { ...incident, fired, lastEventAt: at, reminders: incident.reminders + (reminder ? 1 : 0) };
}

/** The highest tier of a family this incident already emitted: what a reminder repeats. */
export function currentTier<T extends TierSpec<Tier>>(incident: Incident, family: readonly T[]): T | null {
  return [...family].reverse().find((spec) => incident.fired.includes(spec.id)) ?? null;
}

/** A reminder is due when remindEvery is on and that long has passed since the incident's last event. */
export function reminderDue(incident: Incident, at: string, remindEveryMs: number | null): boolean {
  return (
    remindEveryMs !== null && incident.lastEventAt !== null && msBetween(incident.lastEventAt, at) >= remindEveryMs
  );
}

/**
 * The recovered event of an incident that emitted something; null for one that healed silently.
 * `recovery` says what search engines do now that it is over (the family knows).
 */
export function recoveredEvent(
  closed: Incident,
  subject: EventSubject,
  site: SiteSettings,
  recovery?: string,
): CrawlEventOf<'recovered'> | null {
  if (closed.fired.length === 0) return null;
  const durationMs = msBetween(closed.startedAt, closed.healthySince ?? subject.at);
  return buildEvent(RECOVERED, closed, subject, {
    searchEngines: recovery ?? RECOVERED.searchEngines(site),
    detail: { durationMs, duration: formatDurationMs(durationMs), tiersReached: closed.fired },
  });
}
