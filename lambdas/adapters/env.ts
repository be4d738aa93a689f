/**
 * The environment, read once (at Lambda cold start or CLI start) with errors that name the variable.
 * Topic ARNs: CRAWLGUARD_TOPIC_ARN for every severity, CRAWLGUARD_TOPIC_ARN_CRITICAL / _WARNING / _INFO
 * per severity (they win).
 */
import { SEVERITIES } from '../core/tiers/severity';
import type { Topics } from './notify/sns-notifier';

export class EnvError extends Error {
  override readonly name = 'EnvError';
}

/** The SNS topics configured in the environment, or null when none is (the local channel then). */
export function topicsFromEnv(env: NodeJS.ProcessEnv = process.env): Topics | null {
  const all = env.CRAWLGUARD_TOPIC_ARN?.trim();
  const topics: Topics = {};
  for (const severity of SEVERITIES) {
    const arn = env[`CRAWLGUARD_TOPIC_ARN_${severity.toUpperCase()}`]?.trim() || all;
    if (!arn) continue;
    if (!/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/.test(arn)) {
      throw new EnvError(
        `CRAWLGUARD_TOPIC_ARN${env[`CRAWLGUARD_TOPIC_ARN_${severity.toUpperCase()}`] ? `_${severity.toUpperCase()}` : ''} is not an SNS topic ARN: ${JSON.stringify(arn)}`,
      );
    }
    topics[severity] = arn;
  }
  return Object.keys(topics).length > 0 ? topics : null;
}

/** A required variable, or an EnvError that names it and what sets it. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name]?.trim();
  if (!value)
    throw new EnvError(
      `${name} is not set: the crawlguard stack sets it on the function; set it when running the handler by hand`,
    );
  return value;
}
