/**
 * checks-skipped: in two passes in a row, the pass ran out of time before it could check every target of
 * the origin (outcome not_checked). The unchecked targets are no observation of the site (they raise no
 * tier, move no clock); this tier is about crawlguard's own schedule, and says what to change.
 */
import type { SiteConfig } from '../config/types';
import { formatDurationMs } from '../config/duration';
import type { CheckResult } from '../probe/types';
import { clipText } from './bounds';
import { buildEvent, emitted, recoveredEvent, reminderDue } from './build';
import type { CrawlEvent } from './event';
import { searchEnginesNow } from './explain';
import { observe, type Incident } from './incident';

/** Passes in a row with checks not made before the tier is raised: one short pass is not a pattern. */
export const SKIPPED_PASSES = 2;
/** Distinct reasons an event names. */
const REASONS = 3;

function advice(site: SiteConfig, checks: number): string {
  const attempts = site.retries + 1;
  return (
    `a pass gives its checks 90% of the interval (${formatDurationMs(site.intervalMs)} here); this site's ${checks} checks can take up to ` +
    `${checks} x ${formatDurationMs(site.timeoutMs)} timeout x ${attempts} ${attempts === 1 ? 'try' : 'tries'} / limits.perOriginConcurrency: ` +
    'lengthen interval, shorten timeout, lower retries, or raise limits.perOriginConcurrency (or limits.concurrency)'
  );
}

export function stepSkipped(previous: Incident | null, targets: readonly CheckResult[], site: SiteConfig, at: string) {
  const skipped = targets.filter((r) => r.outcome === 'not_checked');
  const rules = {
    scope: `checks-skipped ${site.origin}`,
    intervalMs: site.intervalMs,
    successThreshold: site.successThreshold,
    streakCap: Math.max(SKIPPED_PASSES, site.successThreshold),
    clocked: false,
  };
  const { incident: open, closed } = observe(previous, skipped.length > 0 ? 'failing' : 'healthy', at, rules);
  const subject = { origin: site.origin, url: null, at, result: null };
  const events: CrawlEvent[] = [];
  const recovered = closed && recoveredEvent(closed, subject, 'crawlguard checks every URL of the site again');
  if (recovered) events.push(recovered);
  if (!open || skipped.length === 0) return { incident: open, events };
  let incident: Incident = open;
  const reasons = [...new Set(skipped.map((r) => clipText(r.error) ?? 'not checked'))].slice(0, REASONS);
  const build = (reminder: number) =>
    buildEvent('checks-skipped', incident, subject, {
      searchEngines: searchEnginesNow('checks-skipped'),
      checkFirst: advice(site, targets.length),
      notes: [
        "about crawlguard's configuration or the machine it runs on, not the site: the unchecked URLs are not judged",
      ],
      detail: { notChecked: skipped.length, checks: targets.length, reasons },
      reminder,
    });
  if (!incident.fired.includes('checks-skipped') && incident.failStreak >= SKIPPED_PASSES) {
    incident = emitted(incident, at, [...incident.fired, 'checks-skipped']);
    events.push(build(0));
  } else if (incident.fired.includes('checks-skipped') && reminderDue(incident, at, site.remindEveryMs)) {
    incident = emitted(incident, at, incident.fired, true);
    events.push(build(incident.reminders));
  }
  return { incident, events };
}
