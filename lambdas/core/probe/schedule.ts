/**
 * The order a pass makes its requests in. A request that hangs holds its origin's slot for the whole
 * timeout, so targets that answered last time go first, targets never checked next, and targets that
 * last timed out go last, the one checked longest ago first. A healthy URL then never waits behind a
 * hanging one of its own origin, and when the pass cannot fit every hanging URL, they take turns
 * instead of the same ones going unchecked every time.
 */
import type { OriginState } from '../rules/state';
import type { Target } from './types';

/** Last time: 0 answered, 1 never checked, 2 timed out. */
type Lane = 0 | 1 | 2;

interface Seen {
  lane: Lane;
  /** When it was last checked, for turns among hanging targets ('' when unknown). */
  checkedAt: string;
}

type OriginHistory = Pick<OriginState, 'urls' | 'robots'>;

function seen(target: Target, history: OriginHistory | undefined): Seen {
  const last = target.kind === 'robots' ? history?.robots : history?.urls[target.url];
  if (!last) return { lane: 1, checkedAt: '' };
  if (last.latest.outcome !== 'timeout') return { lane: 0, checkedAt: '' };
  const incident = 'crawl' in last ? last.crawl : last.unreachable;
  return { lane: 2, checkedAt: incident?.lastCheckedAt ?? last.latest.since };
}

/** The targets in the order to request them, each with its index in `targets` (config order). */
export function scheduleTargets(
  targets: readonly Target[],
  states: ReadonlyMap<string, { state: OriginHistory }>,
): { target: Target; index: number }[] {
  const keyed = targets.map((target, index) => ({
    target,
    index,
    seen: seen(target, states.get(target.origin)?.state),
  }));
  // ISO instants compare as strings; plain comparison, not localeCompare (a pass may order 50,000 targets).
  const byTime = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  keyed.sort((a, b) => a.seen.lane - b.seen.lane || byTime(a.seen.checkedAt, b.seen.checkedAt) || a.index - b.index);
  return keyed.map(({ target, index }) => ({ target, index }));
}
