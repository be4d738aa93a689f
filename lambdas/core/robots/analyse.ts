/**
 * What a robots.txt fetch means for the monitored URLs of its origin: which of them each configured
 * agent may not crawl, what changed since the last good copy, and whether the site is blocked as a whole.
 */
import { createHash } from 'node:crypto';
import type { CheckResult } from '../probe/types';
import type { RobotsCopy, RobotsFinding, RuleChange } from './finding';
import { createRobotsMatcher, type RobotsMatcher, type RobotsRule } from './matcher';

export type { DisallowedUrl, RobotsCopy, RobotsFinding, RuleChange } from './finding';

export interface RobotsInput {
  result: CheckResult;
  /** The body of the fetch (2xx only). */
  text: string | null;
  agents: readonly string[];
  /** Monitored page URLs of the origin. */
  urls: readonly string[];
  lastGood: RobotsCopy | null;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const ruleText = (rule: RobotsRule) => `${rule.directive === 'allow' ? 'Allow' : 'Disallow'}: ${rule.pattern}`;

function disallowedBy(matcher: RobotsMatcher, agents: readonly string[], urls: readonly string[]) {
  return Object.fromEntries(
    agents.map((agent) => [
      agent,
      urls.flatMap((url) => {
        const { allowed, rule } = matcher.verdict(url, agent);
        return !allowed && rule ? [{ url, rule }] : [];
      }),
    ]),
  );
}

function rulesBy(matcher: RobotsMatcher, agents: readonly string[]): Record<string, string[]> {
  return Object.fromEntries(agents.map((agent) => [agent, matcher.rulesFor(agent).map(ruleText)]));
}

function disallowsAnything(matcher: RobotsMatcher | null, agents: readonly string[]): boolean {
  return (
    matcher !== null &&
    agents.some((agent) => matcher.rulesFor(agent).some((rule) => rule.directive === 'disallow' && rule.pattern !== ''))
  );
}

function diff(before: RobotsMatcher, after: RobotsMatcher, agents: readonly string[]): RuleChange[] {
  return agents.flatMap((agent) => {
    const old = before.rulesFor(agent).map(ruleText);
    const now = after.rulesFor(agent).map(ruleText);
    const added = now.filter((rule) => !old.includes(rule));
    const removed = old.filter((rule) => !now.includes(rule));
    return added.length || removed.length ? [{ agent, added, removed }] : [];
  });
}

/** The finding for this fetch, and the copy to keep as the new last good one (null when unchanged or not 2xx). */
export function analyseRobots(input: RobotsInput): { finding: RobotsFinding; newCopy: RobotsCopy | null } {
  const { result, agents, urls, lastGood } = input;
  const origin = new URL(result.url).origin;
  if (result.robotsState === 'available' && input.text !== null) {
    const matcher = createRobotsMatcher(input.text);
    const hash = sha256Hex(input.text);
    const unchanged = lastGood?.hash === hash;
    const before = lastGood === null ? null : unchanged ? matcher : createRobotsMatcher(lastGood.text);
    const finding: RobotsFinding = {
      rulesFrom: 'fetched',
      truncated: result.truncated,
      disallowed: disallowedBy(matcher, agents, urls),
      blocksSite: agents.filter((agent) => !matcher.verdict(`${origin}/`, agent).allowed),
      changes: before && !unchanged ? diff(before, matcher, agents) : null,
      copyFetchedAt: unchanged ? lastGood.fetchedAt : result.checkedAt,
      copyHash: hash,
      rules: rulesBy(matcher, agents),
      lastGoodDisallows: disallowsAnything(before, agents),
    };
    const newCopy = unchanged
      ? null
      : { text: input.text, hash, fetchedAt: result.checkedAt, truncated: result.truncated };
    return { finding, newCopy };
  }
  // 4xx (and too many redirects): crawlers behave as if there were no robots.txt (SEO-RULES.md).
  const before = lastGood === null ? null : createRobotsMatcher(lastGood.text);
  const lastGoodMatcher = result.robotsState === 'unreachable' ? before : null;
  return {
    finding: {
      rulesFrom: lastGoodMatcher ? 'last-good' : 'none',
      truncated: false,
      disallowed: lastGoodMatcher
        ? disallowedBy(lastGoodMatcher, agents, urls)
        : Object.fromEntries(agents.map((a) => [a, []])),
      blocksSite: [],
      changes: null,
      copyFetchedAt: lastGoodMatcher ? lastGood!.fetchedAt : null,
      copyHash: lastGoodMatcher ? lastGood!.hash : null,
      rules: lastGoodMatcher ? rulesBy(lastGoodMatcher, agents) : null,
      lastGoodDisallows: disallowsAnything(before, agents),
    },
    newCopy: null,
  };
}
