/**
 * crawlguard's own schedule (docs/search-engine-rules.md, "Decisions where the sources are silent"): in
 * two passes in a row, the pass ran out of time before it could check every target of the origin
 * (outcome not_checked). The unchecked targets are no observation of the site (they raise no tier, move
 * no clock); this tier is about crawlguard's configuration or machine, and says what to change.
 */
import { formatDurationMs } from '../config/duration';
import type { SiteSettings } from '../config/types';
import type { CheckResult } from '../probe/types';
import { clipText } from '../rules/bounds';
import type { Incident } from '../rules/incident';
import { stepSimpleTier } from '../rules/simple-tier';
import { SOURCES } from './sources';
import { defineTier } from './tier';

/** Passes in a row with checks not made before the tier is raised: one short pass is not a pattern. */
export const SKIPPED_PASSES = 2;
/** Distinct reasons an event names. */
const REASONS = 3;

export const CHECKS_SKIPPED = defineTier({
  id: 'checks-skipped',
  severity: 'warning',
  sources: [SOURCES.crawlguard],
  when: () => `checks of the origin \`not_checked\` in ${SKIPPED_PASSES} passes in a row`,
  title: () => 'Checks not made: crawlguard ran out of time',
  consequence: () => 'crawlguard could not check everything',
  searchEngines: () =>
    "nothing: this is about crawlguard's schedule, not the site; the URLs it could not check are not judged until it checks them",
});

export const CHECKER_TIERS = [CHECKS_SKIPPED] as const;

export interface SkippedDetail {
  notChecked: number;
  checks: number;
  /** The distinct reasons, the first three. */
  reasons: string[];
}

function advice(site: SiteSettings, checks: number): string {
  const attempts = site.retries + 1;
  return (
    `a pass gives its checks 90% of the interval (${formatDurationMs(site.intervalMs)} here); this site's ${checks} checks can take up to ` +
    `${checks} x ${formatDurationMs(site.timeoutMs)} timeout x ${attempts} ${attempts === 1 ? 'try' : 'tries'} / limits.perOriginConcurrency: ` +
    'lengthen interval, shorten timeout, lower retries, or raise limits.perOriginConcurrency (or limits.concurrency)'
  );
}

export function stepSkipped(
  previous: Incident | null,
  targets: readonly CheckResult[],
  site: SiteSettings & { origin: string },
  at: string,
) {
  const skipped = targets.filter((r) => r.outcome === 'not_checked');
  const reasons = [...new Set(skipped.map((r) => clipText(r.error) ?? 'not checked'))].slice(0, REASONS);
  return stepSimpleTier({
    spec: CHECKS_SKIPPED,
    previous,
    observation: skipped.length > 0 ? 'failing' : 'healthy',
    rules: {
      scope: `checks-skipped ${site.origin}`,
      intervalMs: site.intervalMs,
      successThreshold: site.successThreshold,
      streakCap: Math.max(SKIPPED_PASSES, site.successThreshold),
      clocked: false,
    },
    site,
    subject: { origin: site.origin, url: null, at, result: null },
    confirmed: (incident) => incident.failStreak >= SKIPPED_PASSES,
    recovery: 'crawlguard checks every URL of the site again',
    parts: (reminder) => ({
      searchEngines: CHECKS_SKIPPED.searchEngines(site),
      checkFirst: advice(site, targets.length),
      notes: [
        "about crawlguard's configuration or the machine it runs on, not the site: the unchecked URLs are not judged",
      ],
      detail: { notChecked: skipped.length, checks: targets.length, reasons },
      reminder,
    }),
  });
}
