/**
 * Routing: which channels an event goes to. By severity (critical → SMS + email, warning → email,
 * info → none, all configurable per site), except `recovered`, which goes wherever its incident went:
 * whoever was told of an incident is told it is over, and nobody else.
 */
import type { Channel, Routing } from '../config/types';
import type { CrawlEvent } from '../rules/event';

export interface OutboxEntry {
  event: CrawlEvent;
  /** Channels still to deliver on; empty: the event is only logged. */
  channels: Channel[];
}

/** Channels each incident's notifications used, so its recovery can follow them. */
export type Notified = Record<string, Channel[]>;

export function route(
  events: readonly CrawlEvent[],
  routing: Routing,
  notified: Notified,
): { entries: OutboxEntry[]; notified: Notified } {
  const next: Notified = { ...notified };
  const entries = events.map((event): OutboxEntry => {
    if (event.tier === 'recovered') {
      const channels = next[event.incidentId] ?? [];
      delete next[event.incidentId];
      return { event, channels };
    }
    const channels = [...routing[event.severity]];
    if (channels.length > 0) next[event.incidentId] = [...new Set([...(next[event.incidentId] ?? []), ...channels])];
    return { event, channels };
  });
  return { entries, notified: next };
}
