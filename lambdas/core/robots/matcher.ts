// robots.txt decisions as Google's reference parser (google/robotstxt robots.cc) makes them, built on
// robots-parser: Google's lexing is reproduced in google-normalise.ts, the URL and the patterns are
// handed over as in google-path.ts, and robots-parser does the grouping, the wildcard matching and the
// longest-match / allow-wins-ties precedence. Conformance: test/core/robots/google-conformance.test.ts.
import robotsParser from 'robots-parser';
import {
  asciiLower,
  googleLines,
  indexHtmlDirectoryPattern,
  isGlobalAgent,
  namesAgent,
  toByteString,
  type ByteString,
  type GoogleLine,
} from './google-normalise';
import { googlePath, ROBOTS_PARSER_ROBOTS_URL, robotsParserPattern, robotsParserUrl } from './google-path';

export interface RobotsRule {
  directive: 'allow' | 'disallow';
  /** The pattern as Google matches it: `%xx` upper-cased, non-ASCII bytes %-escaped. */
  pattern: string;
  /** 1-based line in the original text (LF, CR and CRLF each end a line). */
  line: number;
}

export interface RobotsVerdict {
  allowed: boolean;
  /** The deciding rule; null when no rule matched (allowed by default). */
  rule: RobotsRule | null;
}

/** A URL the matcher cannot decide on: a caller's mistake, reported with what to pass instead. */
export class RobotsInputError extends Error {
  override readonly name = 'RobotsInputError';
}

export interface RobotsMatcher {
  /**
   * `url` is absolute http(s), as fetched (Google does not escape or normalise it); only its path and
   * query decide. `agent` is a product token such as `Googlebot`. Throws RobotsInputError for an
   * empty, relative or non-http(s) URL.
   */
  verdict(url: string, agent: string): RobotsVerdict;
  /**
   * Rules of the group that applies to this agent (after Google's group selection: the specific
   * agent's groups merged, else '*'), in file order. An `allow` of `…/index.htm…` is followed by the
   * `…/$` rule Google derives from it (same line).
   */
  rulesFor(agent: string): RobotsRule[];
}

// robots-parser picks groups by lower-casing the user-agent value and cutting it at '/', while
// robots.cc HandleUserAgent() keeps only the leading [A-Za-z_-] and treats `* anything` as '*'. So
// each user-agent line is decided here, for the agent asked about, and robots-parser only sees one of
// these tokens or '*'.
const TARGET = 'crawlguard-target';
const OTHER = 'crawlguard-other';

interface RobotsParserLine {
  text: string;
  rule: RobotsRule | null;
}

interface AgentView {
  robot: ReturnType<typeof robotsParser>;
  lines: RobotsParserLine[];
}

export function createRobotsMatcher(robotsText: string): RobotsMatcher {
  const lines = googleLines(robotsText);
  const views = new Map<ByteString, AgentView>();
  const viewFor = (agent: string): AgentView => {
    const key = asciiLower(toByteString(agent));
    let view = views.get(key);
    if (!view) {
      const rpLines = robotsParserLines(lines, key);
      const text = rpLines.map((line) => line.text).join('\n');
      view = { robot: robotsParser(ROBOTS_PARSER_ROBOTS_URL, text), lines: rpLines };
      views.set(key, view);
    }
    return view;
  };

  return {
    verdict(url, agent) {
      const target = robotsParserUrl(googlePath(toByteString(checkedUrl(url))));
      const { robot, lines: rpLines } = viewFor(agent);
      const allowed = robot.isAllowed(target, TARGET);
      const lineNumber = robot.getMatchingLineNumber(target, TARGET);
      const rule = lineNumber > 0 ? (rpLines[lineNumber - 1]?.rule ?? null) : null;
      if (allowed === undefined || (rule ? rule.directive === 'allow' : true) !== allowed) {
        throw new Error(`robots-parser answered ${String(allowed)} with line ${lineNumber}: its internals changed`);
      }
      return { allowed, rule };
    },
    rulesFor(agent) {
      const { robot, lines: rpLines } = viewFor(agent);
      const rules = groupRulesOf(robot);
      const lineNumbers = new Set((rules[TARGET] ?? rules['*'] ?? []).map((rule) => rule.lineNumber));
      return [...lineNumbers].flatMap((lineNumber) => rpLines[lineNumber - 1]?.rule ?? []);
    },
  };
}

function checkedUrl(url: string): string {
  const example = 'give an absolute URL such as https://example.com/page';
  if (url === '') throw new RobotsInputError(`URL is empty: ${example}`);
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new RobotsInputError(`URL is not absolute: ${JSON.stringify(url)}: ${example}`);
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new RobotsInputError(`URL scheme ${protocol} is not http or https: ${JSON.stringify(url)}: ${example}`);
  }
  return url;
}

/**
 * The robots.txt as robots-parser should read it for `agent` (ASCII lower case), one line per
 * decision-relevant Google line; `rule` maps robots-parser's line numbers back to the original.
 */
function robotsParserLines(lines: GoogleLine[], agent: ByteString): RobotsParserLine[] {
  // robots.cc disallow(): once a group names the agent, '*' groups no longer count, even if the
  // agent's groups have no rule (test ID_GlobalGroups_Secondary). robots-parser falls back to '*'
  // when the agent has no rule, so '*' is hidden from it in that case.
  const agentNamed = lines.some(
    (line) => line.directive === 'user-agent' && !isGlobalAgent(line.value) && namesAgent(line.value, agent),
  );
  const groupToken = (value: ByteString): string =>
    isGlobalAgent(value) ? (agentNamed ? OTHER : '*') : namesAgent(value, agent) ? TARGET : OTHER;
  const ruleLine = (directive: RobotsRule['directive'], pattern: ByteString, line: number): RobotsParserLine => ({
    text: `${directive}: ${robotsParserPattern(pattern)}`,
    rule: { directive, pattern, line },
  });

  return lines.flatMap(({ directive, value, line }): RobotsParserLine[] => {
    if (directive === 'user-agent') return [{ text: `user-agent: ${groupToken(value)}`, rule: null }];
    // The derived `…/$` rule goes right after its allow line: same group, same source line.
    const derived = directive === 'allow' ? indexHtmlDirectoryPattern(value) : null;
    return derived === null
      ? [ruleLine(directive, value, line)]
      : [ruleLine(directive, value, line), ruleLine('allow', derived, line)];
  });
}

/**
 * robots-parser keeps each agent's rules in `_rules` (3.0.1, pinned in package.json) and has no
 * public accessor; rulesFor reads them so it lists exactly what verdict consults.
 */
function groupRulesOf(robot: object): Record<string, { lineNumber: number }[] | undefined> {
  const rules: unknown = (robot as { _rules?: unknown })._rules;
  const valid =
    typeof rules === 'object' &&
    rules !== null &&
    Object.values(rules).every(
      (list) =>
        Array.isArray(list) &&
        list.every((rule: unknown) => typeof (rule as { lineNumber?: unknown } | null)?.lineNumber === 'number'),
    );
  if (!valid) throw new Error('robots-parser internals changed: _rules is no longer a map of rule lists');
  return rules as Record<string, { lineNumber: number }[] | undefined>;
}
