/** What the tier tests share: a four-URL site, passes every 5 minutes, the first event of a tier. */
import type { CrawlEvent } from '../../../lambdas/core/rules/event';
import type { Tier } from '../../../lambdas/core/tiers/registry';
import { MINUTE, Simulation, siteOf, T0, type PassSpec } from '../../support/simulation';

export const SITE = `sites:\n  - origin: https://shop.example\n    urls: [/, /a, /b, /c]\n`;
export const healthy: PassSpec = { pages: { '/': 200, '/a': 200, '/b': 200, '/c': 200 }, robots: 200 };

export const withPages = (
  pages: PassSpec['pages'],
  robots: PassSpec['robots'] = 200,
  robotsText?: string,
): PassSpec => ({
  pages: { ...healthy.pages, ...pages },
  robots,
  robotsText,
});

export const every5 = (sim: Simulation, fromMs: number, toMs: number, spec: PassSpec) =>
  sim.run(fromMs, toMs, 5 * MINUTE, spec);

/** A simulation of SITE, with `extra` YAML lines for the site (thresholds, agents). */
export const simulate = (extra = '') =>
  new Simulation(siteOf(extra ? SITE.replace('    urls:', `${extra}\n    urls:`) : SITE));

/** The events of one tier, and when the first came: hours after T0. */
export function raised(sim: Simulation, tier: Tier): { events: CrawlEvent[]; firstAtHours: number | null } {
  const events = sim.events.filter((e) => e.tier === tier);
  const first = events[0];
  return { events, firstAtHours: first ? Math.round(((Date.parse(first.at) - T0) / 3_600_000) * 100) / 100 : null };
}

/** Each incident raises a tier once (remindEvery is off by default). */
export const oncePerIncident = (events: CrawlEvent[]) =>
  new Set(events.map((e) => e.incidentId)).size === events.length;
