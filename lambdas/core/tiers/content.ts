/**
 * Per-URL content and assertions (docs/search-engine-rules.md, "Answers that are not the page"): a URL
 * that answers, but not as expected (expectStatus, a body rule, a 4xx, a redirect loop, our own SSRF
 * refusal), for failureThreshold passes. No deindex clock: these are not server errors.
 */
import type { SiteSettings } from '../config/types';
import { isCrawlFailing, type Outcome } from '../probe/outcome';
import type { CheckResult } from '../probe/types';
import { clipText } from '../rules/bounds';
import type { EventSubject } from '../rules/build';
import { checkFirst, MAINTENANCE_HINT } from '../rules/hints';
import { incidentRules, type Incident, type Observation } from '../rules/incident';
import { stepSimpleTier } from '../rules/simple-tier';
import { SOURCES } from './sources';
import { defineTier } from './tier';

function contentLine(outcome: Outcome | null | undefined): string {
  switch (outcome) {
    case 'client_error':
      return 'a 4xx tells search engines the page is gone or off-limits: it drops out of the index';
    case 'too_many_redirects':
      return 'crawlers give up on redirect loops and long chains: the URL cannot be indexed';
    case 'unexpected_status':
      return 'the URL answers with a status other than the one expected: search engines index what it serves now';
    case 'blocked':
      return 'crawlguard did not check this URL (its SSRF guard refused the address), so nothing is known of it';
    default:
      return 'the page answers 200 but not with its content: Google reports an error page served with 200 as a soft 404';
  }
}

export const URL_ASSERTION_FAILED = defineTier({
  id: 'url-assertion-failed',
  severity: 'warning',
  sources: [SOURCES.softErrors],
  when: (site) =>
    `answers, but not as expected (expectStatus, which is any 2xx by default; a body rule; a 4xx; a redirect loop) for ${site.failureThreshold} passes; no deindex clock`,
  title: () => 'URL not answering as expected',
  consequence: () => 'not the expected page or status',
  searchEngines: (_site, ctx) => contentLine(ctx?.outcome),
});

export const CONTENT_TIERS = [URL_ASSERTION_FAILED] as const;

export interface AssertionDetail {
  /** What the URL answered instead, cut to a line (bounds.ts). */
  error: string | null;
}

export function stepContent(
  previous: Incident | null,
  result: CheckResult,
  site: SiteSettings,
  inMaintenance: boolean,
  subject: EventSubject,
) {
  const failing = result.outcome !== 'ok' && !isCrawlFailing(result.outcome);
  const observation: Observation = failing ? 'failing' : result.outcome === 'ok' ? 'healthy' : 'neutral';
  const maintenance = inMaintenance
    ? [`inside a maintenance window, but answering ${result.status ?? result.outcome}: ${MAINTENANCE_HINT}`]
    : [];
  return stepSimpleTier({
    spec: URL_ASSERTION_FAILED,
    previous,
    observation,
    rules: incidentRules(site, `content ${result.url}`),
    site,
    subject,
    confirmed: (incident) => incident.failStreak >= site.failureThreshold,
    recovery: 'the URL answers as expected again',
    parts: (reminder) => ({
      searchEngines: URL_ASSERTION_FAILED.searchEngines(site, { outcome: result.outcome }),
      checkFirst: checkFirst(result, false),
      notes: reminder === 0 ? maintenance : [],
      detail: { error: clipText(result.error) },
      reminder,
    }),
  });
}
