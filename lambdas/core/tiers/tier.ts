/**
 * A tier, declared once: its id (a contract: JSON output and alerts carry it), severity, source, the
 * threshold it reads from the site's config, and every word crawlguard says about it. The words are
 * functions of the configured thresholds, so that a message, a status line or the report tells the
 * truth for any configuration (robotsCachedCopyAfter: 6h says 6 hours, and still says that Google
 * itself falls back after 12). The trigger code of a tier sits beside its declaration, in its family's module.
 */
import { formatDurationMs } from '../config/duration';
import type { SiteSettings } from '../config/types';
import type { Outcome } from '../probe/outcome';
import type { Severity } from './severity';
import { cite, type Source } from './sources';

/** What a tier's words may depend on besides the configuration. */
export interface WordingContext {
  /** The origin's pages are failing too (robots-cliff reads differently then). */
  siteFailing?: boolean;
  /** crawlguard holds a last good robots.txt, so search engines had a copy to fall back to. */
  hasLastGood?: boolean;
  /** robots-missing: the last good copy disallowed something, and that is now lost. */
  lostDisallows?: boolean;
  /** url-assertion-failed: what the URL answered. */
  outcome?: Outcome | null;
}

export interface TierSpec<Id extends string = string> {
  id: Id;
  severity: Severity;
  /** The documents the rule rests on (the first is the one events cite). */
  sources: readonly Source[];
  /** When it is raised, in the README's words. */
  when: (site: SiteSettings) => string;
  /** For tiers raised at a time mark: the configured mark (elapsed since the incident began). */
  thresholdMs?: (site: SiteSettings) => number;
  /** The email section title. */
  title: (site: SiteSettings) => string;
  /** What search engines do, in a few words (SMS and subject). */
  consequence: (site: SiteSettings) => string;
  /** What search engines do now, one line (the event's `searchEngines`). */
  searchEngines: (site: SiteSettings, ctx?: WordingContext) => string;
  /** How a status line names the tier as a mark ahead: `the 24-hour deindex-risk mark`. */
  mark?: (site: SiteSettings) => string;
}

/** A tier raised at a time mark (elapsed since the incident began): its mark and how it is named. */
export type TimedTierSpec<Id extends string = string> = TierSpec<Id> &
  Required<Pick<TierSpec<Id>, 'thresholdMs' | 'mark'>>;

/** A tier declaration; its id stays a literal type (the registry derives the Tier union from them). */
export const defineTier = <const Id extends string>(spec: TierSpec<Id>): TierSpec<Id> => spec;
export const defineTimedTier = <const Id extends string>(spec: TimedTierSpec<Id>): TimedTierSpec<Id> => spec;

/** The `source` an event carries: its first source, title and address. */
export const sourceOf = (spec: TierSpec) => spec.sources.map(cite).join('; ');

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A duration as said in a sentence: `12 hours`, `30 days`, `1 hour`, `90 minutes`, or `2h10m`. */
export function spoken(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (ms % DAY_MS === 0 && ms > 3 * DAY_MS) return plural(ms / DAY_MS, 'day');
  if (ms % HOUR_MS === 0) return plural(ms / HOUR_MS, 'hour');
  if (ms % 60_000 === 0 && ms < 6 * HOUR_MS) return plural(ms / 60_000, 'minute');
  return formatDurationMs(ms);
}

/** A duration as an adjective: `24-hour`, `30-day`, `90-minute`. */
export function markName(ms: number): string {
  return spoken(ms).replace(/^(\d+) (\w+?)s?$/, '$1-$2');
}
