/** The event record: one line `{"type":"event", …}` of `check --json`, one entry of the alert outbox. */
import type { Outcome } from '../probe/outcome';
import type { Gap } from './incident';
import type { Tier, TierDetails } from '../tiers/registry';
import type { Severity } from '../tiers/severity';

export interface NextTier {
  tier: Tier;
  /** ms until it is due; a count-based tier (url-down) is estimated from the interval. */
  inMs: number;
}

interface EventBase {
  /** Deterministic: `<incidentId>:<tier>` (`:r<n>` for reminders); the outbox deduplicates on it. */
  id: string;
  severity: Severity;
  origin: string;
  /** Per-URL events only; origin-level (origin-*, robots-*) events carry none. */
  url: string | null;
  incidentId: string;
  incidentStart: string;
  /** The pass that raised the event. */
  at: string;
  /** at − incidentStart. */
  elapsedMs: number;
  status: number | null;
  outcome: Outcome | null;
  requestId: string | null;
  /** One line: what search engines do now. */
  searchEngines: string;
  /** Where the rule comes from. */
  source: string;
  nextTier: NextTier | null;
  /** Where to look first, by cause. */
  checkFirst: string | null;
  /** Unobserved periods inside the incident: the clock assumes the failure continued through them. */
  gaps: Gap[];
  /** Extra words for this event (maintenance, a gap, the rules in force …); empty when none. */
  notes: string[];
  /** 0 for the first event of a tier; n for the n-th reminder (remindEvery). */
  reminder: number;
}

/** The fields of an event of tier T. */
export type EventFields<T extends Tier> = EventBase & { tier: T; detail: TierDetails[T] };

/** The event of a tier: its `detail` is that tier's (declared beside the tier, lambdas/core/tiers/); for a union of tiers, a union of events. */
export type CrawlEventOf<T extends Tier> = T extends Tier ? EventFields<T> : never;

/** Any event; narrowing on `tier` narrows `detail` (README, "Events"). */
export type CrawlEvent = { [T in Tier]: CrawlEventOf<T> }[Tier];
