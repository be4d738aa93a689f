/** The notification `crawlguard alerts test` sends: real channels, an unmistakable test text. */
import type { Channel } from '../config/types';
import type { Severity } from '../tiers/severity';
import { SEVERITY_LABEL } from './headline';
import type { Notification } from './notification';

export function testNotification(
  severity: Severity,
  channels: Channel[],
  at: string,
  recipients: { email: string[]; sms: string[] },
): Notification {
  const label = SEVERITY_LABEL[severity];
  const email = [
    'crawlguard test alert',
    '',
    `This is a test of crawlguard's ${severity} alerts, sent at ${at.slice(0, 16).replace('T', ' ')} UTC by \`crawlguard alerts test\`.`,
    `Alerts of this severity go to: ${channels.join(' and ') || 'no channel (routing sends them nowhere)'}.`,
    `monitors.yaml lists ${recipients.email.length} email address(es) and ${recipients.sms.length} phone number(s);`,
    'in AWS, each must confirm its SNS subscription before it receives anything.',
    '',
    'Nothing is wrong with your sites. No action is needed.',
  ].join('\n');
  return {
    origin: 'https://crawlguard.test',
    severity,
    channels,
    subject: `[${label}] crawlguard test alert: nothing is wrong`,
    sms: channels.includes('sms')
      ? `${label} crawlguard test alert: ${severity} alerts reach this phone. Nothing is wrong.`
      : null,
    email,
    default: email,
    eventIds: [],
  };
}
