/** Assembles events: the fields every event carries, whatever its tier. */
import { formatDurationMs } from '../config/duration';
import type { CheckResult } from '../probe/types';
import type { CrawlEvent, NextTier } from './event';
import { gapMs, msBetween, type Incident } from './incident';
import { SEVERITY, SOURCE, type Severity, type Tier } from './tiers';

export interface EventSubject {
  origin: string;
  url: string | null;
  at: string;
  /** The check the event is about: its status, outcome and request id travel with the event. */
  result: Pick<CheckResult, 'status' | 'outcome' | 'requestId'> | null;
}

export interface EventParts {
  searchEngines: string;
  nextTier?: NextTier | null;
  checkFirst?: string | null;
  notes?: string[];
  detail?: Record<string, unknown>;
  severity?: Severity;
  reminder?: number;
}

export function buildEvent(tier: Tier, incident: Incident, subject: EventSubject, parts: EventParts): CrawlEvent {
  const reminder = parts.reminder ?? 0;
  const notes = [...(parts.notes ?? [])];
  if (incident.gaps.length > 0) {
    const last = incident.gaps.at(-1)!;
    notes.push(
      `crawlguard did not check for ${formatDurationMs(gapMs(incident))} in all (last gap ${last.from} to ${last.to}); the clock assumes the failure went on meanwhile`,
    );
  }
  return {
    id: `${incident.id}:${tier}${reminder > 0 ? `:r${reminder}` : ''}`,
    tier,
    severity: parts.severity ?? SEVERITY[tier],
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
    source: SOURCE[tier],
    nextTier: parts.nextTier ?? null,
    checkFirst: parts.checkFirst ?? null,
    gaps: incident.gaps,
    notes,
    reminder,
    detail: parts.detail ?? {},
  };
}

/** Marks an incident as having emitted an event now (the reminder clock restarts). */
export function emitted(incident: Incident, at: string, fired: Tier[] = incident.fired, reminder = false): Incident {
  return { ...incident, fired, lastEventAt: at, reminders: incident.reminders + (reminder ? 1 : 0) };
}

/** The highest tier of a family this incident already emitted: what a reminder repeats. */
export function currentTier(incident: Incident, family: Tier[]): Tier | null {
  return [...family].reverse().find((tier) => incident.fired.includes(tier)) ?? null;
}

/** A reminder is due when remindEvery is on and that long has passed since the incident's last event. */
export function reminderDue(incident: Incident, at: string, remindEveryMs: number | null): boolean {
  return (
    remindEveryMs !== null && incident.lastEventAt !== null && msBetween(incident.lastEventAt, at) >= remindEveryMs
  );
}

/** The recovered event of an incident that emitted something; null for one that healed silently. */
export function recoveredEvent(closed: Incident, subject: EventSubject, searchEngines: string): CrawlEvent | null {
  if (closed.fired.length === 0) return null;
  const durationMs = msBetween(closed.startedAt, closed.healthySince ?? subject.at);
  return buildEvent('recovered', closed, subject, {
    searchEngines,
    detail: { durationMs, duration: formatDurationMs(durationMs), tiersReached: closed.fired },
  });
}
