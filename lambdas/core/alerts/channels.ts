/**
 * Who receives a notification is decided in one place: route() picks each event's channels, and the
 * notification carries their union in its `channels` message attribute. Every topic subscribes every
 * recipient with a filter on the recipient's own channel, so the topic a notification is published to
 * (the one of its severity, for subscribers added outside crawlguard) never changes who receives it:
 * a recovery published to the info topic reaches the phone its outage reached.
 */
import type { Channel } from '../config/types';

export const CHANNELS: readonly Channel[] = ['sms', 'email'];

/** The SNS message attribute (String.Array) that carries a notification's channels. */
export const CHANNEL_ATTRIBUTE = 'channels';

/** One condition of an SNS filter policy: a value, or `{ exists: false }` for "attribute absent". */
export type FilterCondition = string | { exists: boolean };

/**
 * The filter policy of a `channel` subscriber: notifications naming that channel, and messages without
 * the attribute at all (CloudWatch alarms and anything published by hand), which reach everyone.
 */
export function channelFilterPolicy(channel: Channel): Record<string, FilterCondition[]> {
  return { [CHANNEL_ATTRIBUTE]: [channel, { exists: false }] };
}
