/**
 * The machinery of a tier that is one condition, not an escalation: the incident opens on the first
 * failing observation, the tier is raised once it is confirmed, repeated every remindEvery, and the
 * incident closes with a `recovered` after successThreshold healthy passes.
 */
import type { SiteSettings } from '../config/types';
import type { Tier } from '../tiers/registry';
import type { TierSpec } from '../tiers/tier';
import { buildEvent, emitted, recoveredEvent, reminderDue, type EventParts, type EventSubject } from './build';
import type { CrawlEventOf } from './event';
import { observe, type Incident, type IncidentRules, type Observation } from './incident';

export interface SimpleTierStep<T extends Tier> {
  spec: TierSpec<T>;
  previous: Incident | null;
  observation: Observation;
  rules: IncidentRules;
  site: SiteSettings;
  subject: EventSubject;
  /** Confirmed: the tier may be raised now (default: at once). */
  confirmed?: (incident: Incident) => boolean;
  /** What search engines do once it is over (the recovered event's searchEngines). */
  recovery: string;
  /** The event's parts, for the first event (0) or the n-th reminder. */
  parts: (reminder: number) => EventParts<T>;
  /** false: raised once, never repeated (a robots.txt rule says the same on every fetch). */
  remind?: boolean;
}

export function stepSimpleTier<T extends Tier>(
  step: SimpleTierStep<T>,
): { incident: Incident | null; events: (CrawlEventOf<T> | CrawlEventOf<'recovered'>)[] } {
  const { spec, subject } = step;
  const { incident: open, closed } = observe(step.previous, step.observation, subject.at, step.rules);
  const events: (CrawlEventOf<T> | CrawlEventOf<'recovered'>)[] = [];
  const recovered = closed && recoveredEvent(closed, subject, step.site, step.recovery);
  if (recovered) events.push(recovered);
  if (!open || step.observation !== 'failing') return { incident: open, events };
  let incident = open;
  if (!incident.fired.includes(spec.id) && (step.confirmed?.(incident) ?? true)) {
    incident = emitted(incident, subject.at, [...incident.fired, spec.id]);
    events.push(buildEvent(spec, incident, subject, step.parts(0)));
  } else if (
    step.remind !== false &&
    incident.fired.includes(spec.id) &&
    reminderDue(incident, subject.at, step.site.remindEveryMs)
  ) {
    incident = emitted(incident, subject.at, incident.fired, true);
    events.push(buildEvent(spec, incident, subject, step.parts(incident.reminders)));
  }
  return { incident, events };
}
