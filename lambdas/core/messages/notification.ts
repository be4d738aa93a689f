/**
 * One notification per origin per pass: every pending event of the origin, rendered for each channel.
 * SNS receives it as MessageStructure json (`default`, `email`, `sms`) with a Subject; subscriptions
 * pick their channel by the `channels` message attribute.
 */
import type { OutboxEntry } from '../alerts/route';
import { formatDurationMs } from '../config/duration';
import type { Channel, SiteSettings } from '../config/types';
import type { CrawlEvent } from '../rules/event';
import { tierSpec, TIERS } from '../tiers/registry';
import { RANK, type Severity } from '../tiers/severity';
import { clip, toAscii } from './ascii';
import { renderEmail } from './email';
import { lasted, SEVERITY_LABEL, shortTime, whatFailed } from './headline';

/** SNS: a Subject must be under 100 ASCII characters; one SMS segment is 160. */
export const MAX_SUBJECT = 99;
export const MAX_SMS = 160;
/**
 * SNS takes at most 256 KiB per Publish, message attributes included (SNS quotas, "Publish: message
 * size"). The allowance covers the attributes (`channels`, `severity`, `origin`: an origin is ~2 KB at most).
 */
export const MAX_PUBLISH_BYTES = 256 * 1024;
const ATTRIBUTE_ALLOWANCE_BYTES = 4 * 1024;

const utf8Bytes = (text: string) => new TextEncoder().encode(text).byteLength;

/** The bytes SNS counts for a notification: the json Message (email twice: `default` and `email`), the subject, the attributes. */
export function publishBytes(n: Pick<Notification, 'default' | 'email' | 'sms' | 'subject'>): number {
  const message = JSON.stringify({ default: n.default, email: n.email, ...(n.sms ? { sms: n.sms } : {}) });
  return utf8Bytes(message) + utf8Bytes(n.subject) + ATTRIBUTE_ALLOWANCE_BYTES;
}

const CUT_NOTE = "\n\n(cut to fit one SNS message: every event is in crawlguard's event log)";

/** The email cut, by bytes as SNS counts them (non-ASCII text and JSON escapes weigh more), until the Publish fits. */
function fitted(n: Pick<Notification, 'email' | 'sms' | 'subject'>): string {
  let email = n.email;
  for (
    let bytes = publishBytes({ ...n, default: email, email });
    bytes > MAX_PUBLISH_BYTES;
    bytes = publishBytes({ ...n, default: email, email })
  ) {
    const keep = Math.floor(email.length * (MAX_PUBLISH_BYTES / bytes) * 0.95) - CUT_NOTE.length;
    email = `${email.slice(0, Math.max(0, keep))}${CUT_NOTE}`;
  }
  return email;
}

export interface Notification {
  origin: string;
  severity: Severity;
  /** Channels it goes to (after the SMS budget). */
  channels: Channel[];
  subject: string;
  /** The text message; null when no event of this notification goes by SMS. */
  sms: string | null;
  email: string;
  /** For subscriptions of other protocols: the email text. */
  default: string;
  eventIds: string[];
}

export interface NotificationInput {
  origin: string;
  /** The site's settings: what a message says of a tier follows its configured thresholds. */
  site: SiteSettings;
  /** The pass delivering it. */
  at: string;
  entries: readonly OutboxEntry[];
  /** The day's SMS budget is spent: what would be texted goes by email, with a line saying so. */
  smsBudgetSpent?: { smsPerDay: number };
}

/** Most severe first, then in tier order, then oldest incident first. */
export function byImportance(a: CrawlEvent, b: CrawlEvent): number {
  return (
    RANK[a.severity] - RANK[b.severity] ||
    TIERS.indexOf(a.tier) - TIERS.indexOf(b.tier) ||
    a.incidentStart.localeCompare(b.incidentStart)
  );
}

function leadPhrase(event: CrawlEvent, site: SiteSettings): string {
  if (event.tier === 'recovered') return `${whatFailed(event)} recovered after ${lasted(event)}`;
  return `${whatFailed(event)} since ${shortTime(event.incidentStart, event.at)} (${formatDurationMs(event.elapsedMs)}): ${tierSpec(event.tier).consequence(site)}`;
}

/** `CRIT www.example.com robots.txt 503 since 09:12Z (2h10m): Google stopped crawling the site; +3 more` */
export function renderSms(events: readonly CrawlEvent[], host: string, site: SiteSettings): string {
  const [lead, ...rest] = [...events].sort(byImportance);
  const more = rest.length > 0 ? `; +${rest.length} more` : '';
  const text = toAscii(`${SEVERITY_LABEL[lead!.severity]} ${host} ${leadPhrase(lead!, site)}`);
  return clip(text, MAX_SMS - more.length) + more;
}

export function renderSubject(events: readonly CrawlEvent[], host: string, site: SiteSettings): string {
  const [lead, ...rest] = [...events].sort(byImportance);
  const more = rest.length > 0 ? ` (+${rest.length} more)` : '';
  const what =
    lead!.tier === 'recovered'
      ? leadPhrase(lead!, site)
      : `${whatFailed(lead!)}: ${tierSpec(lead!.tier).consequence(site)}`;
  return clip(toAscii(`[${SEVERITY_LABEL[lead!.severity]}] ${host} ${what}`), MAX_SUBJECT - more.length) + more;
}

/** The notification for an origin's pending entries, or null when none of them goes to any channel. */
export function buildNotification(input: NotificationInput): Notification | null {
  const budget = input.smsBudgetSpent;
  const wantsSms = input.entries.filter((e) => e.channels.includes('sms'));
  const byEmail = input.entries.filter((e) => e.channels.includes('email') || (budget && e.channels.includes('sms')));
  const sms = budget ? [] : wantsSms;
  if (sms.length === 0 && byEmail.length === 0) return null;
  const host = new URL(input.origin).host;
  const all = [...new Set([...sms, ...byEmail].map((e) => e.event))].sort(byImportance);
  const emailEvents = byEmail.map((e) => e.event).sort(byImportance);
  const notes =
    budget && wantsSms.length > 0
      ? [
          `The SMS budget (${budget.smsPerDay} texts per day across all sites) is spent: this alert would have been texted and comes by email only.`,
        ]
      : [];
  const { site } = input;
  const parts = {
    subject: renderSubject(emailEvents.length > 0 ? emailEvents : all, host, site),
    sms:
      sms.length > 0
        ? renderSms(
            sms.map((e) => e.event),
            host,
            site,
          )
        : null,
    email:
      emailEvents.length > 0
        ? renderEmail({ origin: input.origin, site, at: input.at, events: emailEvents, notes })
        : renderSms(all, host, site),
  };
  const email = fitted(parts);
  return {
    origin: input.origin,
    severity: all[0]!.severity,
    channels: [...(sms.length > 0 ? ['sms' as const] : []), ...(emailEvents.length > 0 ? ['email' as const] : [])],
    ...parts,
    email,
    default: email,
    eventIds: all.map((e) => e.id),
  };
}
