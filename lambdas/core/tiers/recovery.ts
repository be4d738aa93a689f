/** recovered: an incident that raised something is over; it goes where the incident's alerts went. */
import type { Tier } from './registry';
import { SOURCES } from './sources';
import { defineTier } from './tier';

export interface RecoveredDetail {
  durationMs: number;
  /** durationMs for people: `2h10m`. */
  duration: string;
  tiersReached: Tier[];
}

export const RECOVERED = defineTier({
  id: 'recovered',
  severity: 'info',
  sources: [SOURCES.crawlRate],
  when: (site) => `an incident that raised an event closes, after ${site.successThreshold} healthy passes in a row`,
  title: () => 'Recovered',
  consequence: () => 'recovered',
  // Google, "Reduce the Googlebot crawl rate": the rate reverses gradually once the errors stop.
  searchEngines: () => 'answering normally again: Google raises the crawl rate back gradually',
});
