/** recovered: an incident that raised something is over; it goes where the incident's alerts went. */
import { SOURCES } from './sources';
import { defineTier } from './tier';

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
