/**
 * What one event may carry. An event is written to the event log as one DynamoDB item (400 KB at most),
 * rides in the origin's outbox and is rendered into an SNS message (256 KB at most), so everything it
 * takes from the outside world (robots.txt rules, error texts, lists of agents or URLs) is bounded here,
 * as a first few with a count, and never grows with the input.
 */
import { clip } from '../messages/ascii';

/** Rules listed per agent (in force, added, removed); the count says how many there were. */
export const MAX_LISTED_RULES = 10;
/** One robots.txt rule as text: a single line of the file may be 500 KiB long. */
export const MAX_RULE_CHARS = 200;
/** An error text, a body assertion, a redirect chain described in words. */
export const MAX_TEXT_CHARS = 500;

export const clipRule = (rule: string) => clip(rule, MAX_RULE_CHARS);
export const clipText = (text: string | null) => (text === null ? null : clip(text, MAX_TEXT_CHARS));

/** The first rules of each agent, each cut to a line, with each agent's total. */
export function firstRules(rules: Readonly<Record<string, readonly string[]>>): {
  listed: Record<string, string[]>;
  counts: Record<string, number>;
} {
  const entries = Object.entries(rules);
  return {
    listed: Object.fromEntries(entries.map(([agent, list]) => [agent, list.slice(0, MAX_LISTED_RULES).map(clipRule)])),
    counts: Object.fromEntries(entries.map(([agent, list]) => [agent, list.length])),
  };
}
