/**
 * robots.txt's pass: the unreachable clock and what the copy says (lambdas/core/tiers/robots-*.ts), and
 * its latest outcome. Unchanged parts keep their identity, so a steady robots.txt costs no write.
 */
import type { CheckResult } from '../probe/types';
import { changeEvents, stepBlocksSite, stepMissing, stepTruncated } from '../tiers/robots-copy';
import { stepUnreachable, type RobotsContext } from '../tiers/robots-unreachable';
import type { EventSubject } from './build';
import type { CrawlEvent } from './event';
import { nextLatest, streakCap, unobserved } from './incident';
import type { RobotsTrack } from './state';

/** A pass that did not fetch robots.txt: nothing moves; an open unreachable clock notes the gap. */
function unchecked(previous: RobotsTrack | null): RobotsTrack | null {
  const unreachable = unobserved(previous?.unreachable ?? null);
  return previous && unreachable !== previous.unreachable ? { ...previous, unreachable } : previous;
}

export function stepRobots(
  previous: RobotsTrack | null,
  result: CheckResult,
  ctx: RobotsContext,
): { track: RobotsTrack | null; events: CrawlEvent[] } {
  if (result.outcome === 'not_checked') return { track: unchecked(previous), events: [] };
  const finding = result.robots;
  const subject: EventSubject = { origin: ctx.site.origin, url: null, at: result.checkedAt, result };
  const step = { result, finding, site: ctx.site, subject };
  const unreachable = stepUnreachable(previous?.unreachable ?? null, result, finding, ctx, subject);
  const missing = stepMissing(previous?.missing ?? null, step);
  const blocksSite = stepBlocksSite(previous?.blocksSite ?? null, step);
  const truncated = stepTruncated(previous?.truncated ?? null, step);
  // The robots state follows from the outcome, so an unchanged outcome keeps the previous object (no write).
  const stepped = nextLatest(previous?.latest, result, streakCap(ctx.site));
  const latest =
    stepped === previous?.latest ? previous.latest : { ...stepped, state: result.robotsState ?? 'unreachable' };
  const events = [
    ...unreachable.events,
    ...missing.events,
    ...blocksSite.events,
    ...truncated.events,
    ...changeEvents(step),
  ];
  const unchanged =
    previous &&
    latest === previous.latest &&
    unreachable.incident === previous.unreachable &&
    missing.incident === previous.missing &&
    blocksSite.incident === previous.blocksSite &&
    truncated.incident === previous.truncated;
  const track = unchanged
    ? previous
    : {
        latest,
        unreachable: unreachable.incident,
        missing: missing.incident,
        blocksSite: blocksSite.incident,
        truncated: truncated.incident,
      };
  return { track, events };
}
