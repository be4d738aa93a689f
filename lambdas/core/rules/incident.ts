/**
 * The incident machinery every rule shares: one clock per incident, streak counting, gaps, closing.
 * Pure: returns new objects, never changes its inputs.
 */
import { createHash } from 'node:crypto';
import type { SiteSettings } from '../config/types';
import type { CheckResult } from '../probe/types';
import type { Tier } from '../tiers/registry';
import type { Latest } from './state';

export interface Gap {
  /** The last check before crawlguard stopped looking, and the first after. */
  from: string;
  to: string;
}

export interface Incident {
  /** Deterministic: the same incident gets the same id in every replay and every concurrent pass. */
  id: string;
  /** The first failing check: the clock starts here. */
  startedAt: string;
  lastCheckedAt: string;
  /** Consecutive failing passes, capped. */
  failStreak: number;
  /** Consecutive healthy passes. */
  okStreak: number;
  /** The first healthy check of the current healthy streak. */
  healthySince: string | null;
  /** Tiers emitted (or implied by a later tier of the same family). */
  fired: Tier[];
  /** Periods crawlguard did not check (longer than 3 intervals) while the incident was open: the latest MAX_GAPS. */
  gaps: Gap[];
  /** The total of older gaps no longer listed (absent: none). */
  earlierGapsMs?: number;
  /** A pass did not check it since lastCheckedAt (not_checked): the next observation records a gap. */
  unobserved?: true;
  /** The last event of this incident, for reminders. */
  lastEventAt: string | null;
  reminders: number;
}

export type Observation = 'failing' | 'healthy' | 'neutral';

export interface IncidentRules {
  /** What the incident is about, e.g. `crawl https://a.example/`; part of the id. */
  scope: string;
  intervalMs: number;
  successThreshold: number;
  /** Streaks stop counting here: nothing beyond it changes a decision, and a steady state writes nothing. */
  streakCap: number;
  /**
   * The incident has time-based tiers: every check moves its clock (lastCheckedAt) and gaps are recorded.
   * Without (robots-missing, a URL blocked by robots.txt …) a steady failure changes nothing, so a
   * condition that lasts for months costs no write per pass.
   */
  clocked: boolean;
}

/** A pass that comes later than 3 intervals after the previous check: the checker itself was not running. */
export const GAP_INTERVALS = 3;

export const msBetween = (from: string, to: string) => Date.parse(to) - Date.parse(from);

export function incidentId(scope: string, startedAt: string): string {
  return `inc-${createHash('sha256').update(`${scope}@${startedAt}`).digest('hex').slice(0, 16)}`;
}

/** Gaps an incident lists; a checker that stops and starts for months must not grow it without end. */
export const MAX_GAPS = 20;

function withGap(incident: Incident, at: string, rules: IncidentRules): Pick<Incident, 'gaps' | 'earlierGapsMs'> {
  const long = msBetween(incident.lastCheckedAt, at) > GAP_INTERVALS * rules.intervalMs;
  if (!long && !incident.unobserved) return { gaps: incident.gaps, earlierGapsMs: incident.earlierGapsMs };
  const gaps = [...incident.gaps, { from: incident.lastCheckedAt, to: at }];
  if (gaps.length <= MAX_GAPS) return { gaps, earlierGapsMs: incident.earlierGapsMs };
  const dropped = gaps.splice(0, gaps.length - MAX_GAPS);
  return {
    gaps,
    earlierGapsMs: (incident.earlierGapsMs ?? 0) + dropped.reduce((sum, gap) => sum + msBetween(gap.from, gap.to), 0),
  };
}

export interface Observed {
  /** The open incident after this pass; null when none is open (never opened, or closed now). */
  incident: Incident | null;
  /** The incident this pass closed (after successThreshold healthy passes). */
  closed: Incident | null;
}

export function observe(
  previous: Incident | null,
  observation: Observation,
  at: string,
  rules: IncidentRules,
): Observed {
  if (!previous) {
    if (observation !== 'failing') return { incident: null, closed: null };
    const opened: Incident = {
      id: incidentId(rules.scope, at),
      startedAt: at,
      lastCheckedAt: at,
      failStreak: 1,
      okStreak: 0,
      healthySince: null,
      fired: [],
      gaps: [],
      lastEventAt: null,
      reminders: 0,
    };
    return { incident: opened, closed: null };
  }
  const base = rules.clocked
    ? { ...withoutMark(previous), lastCheckedAt: at, ...withGap(previous, at, rules) }
    : previous;
  if (observation === 'failing') {
    const failStreak = Math.min(previous.failStreak + 1, rules.streakCap);
    if (base === previous && failStreak === previous.failStreak && previous.okStreak === 0)
      return { incident: previous, closed: null };
    return { incident: { ...base, failStreak, okStreak: 0, healthySince: null }, closed: null };
  }
  if (observation === 'neutral') {
    if (base === previous && previous.okStreak === 0) return { incident: previous, closed: null };
    return { incident: { ...base, okStreak: 0, healthySince: null }, closed: null };
  }
  const healed = { ...base, okStreak: previous.okStreak + 1, failStreak: 0, healthySince: previous.healthySince ?? at };
  return healed.okStreak >= rules.successThreshold
    ? { incident: null, closed: healed }
    : { incident: healed, closed: null };
}

function withoutMark(incident: Incident): Incident {
  const { unobserved: _, ...rest } = incident;
  return rest;
}

/**
 * A pass that did not check the target (not_checked): no observation, so no streak moves and no clock
 * starts or stops. An open clocked incident notes it, and its next observation records the gap.
 */
export function unobserved(previous: Incident | null): Incident | null {
  return previous && !previous.unobserved ? { ...previous, unobserved: true } : previous;
}

export interface TierCandidate {
  tier: Tier;
  /** The tier's condition holds in this pass. */
  due: boolean;
  /** Due, but held back (a maintenance window answering 503): it stays pending. */
  suppressed?: boolean;
}

/**
 * Which tiers of an escalation family fire now: each at most once per incident. When several become
 * due in one pass (after a gap, say), only the highest is emitted and the lower ones count as fired.
 */
export function escalate(incident: Incident, family: TierCandidate[]): { fire: Tier | null; fired: Tier[] } {
  const ready = family.filter((c) => c.due && !c.suppressed);
  const highest = ready.at(-1);
  if (!highest || incident.fired.includes(highest.tier)) return { fire: null, fired: incident.fired };
  const index = family.indexOf(highest);
  const implied = family
    .slice(0, index + 1)
    .filter((c) => c.due)
    .map((c) => c.tier);
  return { fire: highest.tier, fired: [...new Set([...incident.fired, ...implied])] };
}

/** Total unobserved time inside an incident. */
export function gapMs(incident: Incident): number {
  return incident.gaps.reduce((sum, gap) => sum + msBetween(gap.from, gap.to), incident.earlierGapsMs ?? 0);
}

/** Streaks stop counting here: nothing beyond it changes a decision, and a steady state writes nothing. */
export function streakCap(site: Pick<SiteSettings, 'failureThreshold' | 'successThreshold'>): number {
  return Math.max(site.failureThreshold, site.successThreshold);
}

/** The incident rules of a site, for an incident about `scope`. */
export function incidentRules(site: SiteSettings, scope: string, clocked = false): IncidentRules {
  return {
    scope,
    intervalMs: site.intervalMs,
    successThreshold: site.successThreshold,
    streakCap: streakCap(site),
    clocked,
  };
}

/** The latest outcome of a target after this check; the previous object itself when nothing changed. */
export function nextLatest(
  previous: Latest | undefined,
  result: Pick<CheckResult, 'outcome' | 'status' | 'checkedAt'>,
  cap: number,
): Latest {
  if (previous && previous.outcome === result.outcome && previous.status === result.status) {
    return previous.streak >= cap ? previous : { ...previous, streak: previous.streak + 1 };
  }
  return { outcome: result.outcome, status: result.status, since: result.checkedAt, streak: 1 };
}
