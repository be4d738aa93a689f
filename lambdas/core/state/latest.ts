/**
 * The latest state of each URL and of an origin's robots.txt: what it answers now and since when.
 * Pure. It changes only when something changes (streaks are capped), so a steady pass writes nothing.
 */
import type { Outcome } from '../probe/outcome';
import type { CheckResult, RobotsState } from '../probe/types';

export interface TargetLatest {
  outcome: Outcome;
  status: number | null;
  /** ISO-8601: the first check of this run of the same outcome. */
  since: string;
  /** Consecutive passes with this outcome, capped at the origin's largest threshold. */
  streak: number;
}

export interface OriginState {
  origin: string;
  /** The pass that last changed this state; a pass not later than this one is a replay and changes nothing. */
  appliedAt: string;
  urls: Record<string, TargetLatest>;
  robots: (TargetLatest & { state: RobotsState }) | null;
}

function step(previous: TargetLatest | undefined, result: CheckResult, streakCap: number): TargetLatest {
  if (previous && previous.outcome === result.outcome && previous.status === result.status) {
    return previous.streak >= streakCap ? previous : { ...previous, streak: previous.streak + 1 };
  }
  return { outcome: result.outcome, status: result.status, since: result.checkedAt, streak: 1 };
}

/**
 * Applies one pass's results of an origin. Returns the previous object itself when nothing changed
 * (callers skip the write), and ignores a pass that is not later than the last one applied.
 */
export function applyResults(previous: OriginState | null, origin: string, passAt: string, results: readonly CheckResult[], streakCap: number): OriginState {
  if (previous && passAt <= previous.appliedAt) return previous;
  let changed = previous === null;
  const urls: Record<string, TargetLatest> = {};
  let robots = previous?.robots ?? null;
  for (const result of results) {
    if (result.kind === 'robots') {
      const next = step(previous?.robots ?? undefined, result, streakCap);
      if (next !== previous?.robots) {
        robots = { ...next, state: result.robotsState ?? 'unreachable' };
        changed = true;
      }
      continue;
    }
    const before = previous?.urls[result.url];
    urls[result.url] = step(before, result, streakCap);
    if (urls[result.url] !== before) changed = true;
  }
  // URLs removed from the config drop out of the state.
  if (previous && Object.keys(previous.urls).some((url) => !(url in urls))) changed = true;
  return changed ? { origin, appliedAt: passAt, urls, robots } : previous!;
}
