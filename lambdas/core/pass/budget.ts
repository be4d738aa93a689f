import type { MonitorsConfig } from '../config/types';

/** Lambda stops a function at 15 minutes; a pass leaves one for saving what it found. */
const MAX_PASS_BUDGET_MS = 14 * 60_000;

/**
 * How long the checks of one pass may take: 90% of the shortest interval, so a pass is over before
 * the next one is due, and within Lambda's limit. Requests and retries are cut at this budget.
 */
export function passBudgetMs(config: MonitorsConfig): number {
  const shortest = Math.min(...config.sites.map((site) => site.intervalMs));
  return Math.min(Math.floor(shortest * 0.9), MAX_PASS_BUDGET_MS);
}
