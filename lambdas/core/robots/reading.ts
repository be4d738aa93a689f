/**
 * What a pass's robots.txt fetch means, given the last good copy crawlguard keeps: the finding the rules
 * read (result.robots) and the copy to store when the fetched one is new. The pass does the I/O (it
 * loads the stored copy only when this says it is needed); the rest is here, so that the pass and the
 * test simulator read robots.txt the same way. A reader remembers its last reading per origin and reuses
 * it while nothing it depends on changed: a steady robots.txt costs neither a read nor an analysis.
 */
import type { SiteConfig } from '../config/types';
import type { CheckResult } from '../probe/types';
import type { RobotsCopyRef } from '../rules/state';
import { analyseRobots, sha256Hex } from './analyse';
import type { RobotsCopy, RobotsFinding } from './finding';

export interface RobotsFetch {
  result: CheckResult;
  /** The body (2xx only); null otherwise. */
  robotsText: string | null;
}

export interface RobotsReading {
  finding: RobotsFinding;
  /** The copy to store as the last good one; null when it is not new (or not 2xx). */
  newCopy: RobotsCopy | null;
  /** The copy the state names after this fetch (its hash). */
  known: RobotsCopyRef | null;
}

/** `known`: the copy the origin's state names; null: none stored; undefined: a state from before the hash was kept. */
type Known = RobotsCopyRef | null | undefined;

export class RobotsReader {
  private readonly last = new Map<string, { key: string; reading: RobotsReading }>();

  /** Everything a reading depends on; a state from before the copy's hash was kept is never reused. */
  private keyOf(site: SiteConfig, fetch: RobotsFetch, known: Known): string | null {
    if (known === undefined) return null;
    const hash = fetch.robotsText === null ? null : sha256Hex(fetch.robotsText);
    return JSON.stringify([
      fetch.result.robotsState,
      fetch.result.truncated,
      hash,
      known,
      site.agents,
      site.urls.map((u) => u.url).join('\n'),
    ]);
  }

  private cached(site: SiteConfig, fetch: RobotsFetch, known: Known): RobotsReading | null {
    const key = this.keyOf(site, fetch, known);
    const last = this.last.get(site.origin);
    return key !== null && last?.key === key ? last.reading : null;
  }

  /** Whether reading this fetch needs the stored copy's text: nothing to reuse, and the fetched text is not the known copy. */
  storedCopyNeeded(site: SiteConfig, fetch: RobotsFetch, known: Known): boolean {
    if (this.cached(site, fetch, known)) return false;
    if (known === null) return false;
    return !(known && fetch.robotsText !== null && sha256Hex(fetch.robotsText) === known.hash);
  }

  /** The reading; `stored`: the stored copy when storedCopyNeeded said so, else null. */
  read(site: SiteConfig, fetch: RobotsFetch, known: Known, stored: RobotsCopy | null): RobotsReading {
    const reuse = this.cached(site, fetch, known);
    if (reuse) return reuse;
    const { result, robotsText } = fetch;
    const hash = robotsText === null ? null : sha256Hex(robotsText);
    const lastGood =
      known && hash === known.hash
        ? { text: robotsText!, hash, fetchedAt: known.fetchedAt, truncated: result.truncated }
        : stored;
    const urls = site.urls.map((u) => u.url);
    const { finding, newCopy } = analyseRobots({ result, text: robotsText, agents: site.agents, urls, lastGood });
    const reading = {
      finding,
      newCopy,
      known: newCopy ? { hash: newCopy.hash, fetchedAt: newCopy.fetchedAt } : (known ?? null),
    };
    const key = this.keyOf(site, fetch, known);
    if (key !== null) this.last.set(site.origin, { key, reading });
    return reading;
  }
}
