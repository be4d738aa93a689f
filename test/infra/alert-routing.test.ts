/**
 * Who receives what, against the synthesized stack: each Publish crawlguard would make (the real route(),
 * buildNotification() and publishInput(), sent to the topic the function's environment names for its
 * severity) is matched against every subscription's FilterPolicy with SNS filter semantics. Property:
 * for every tier, for default, custom top-level and per-site routing, with and without the SMS budget,
 * and for mixed groups, every channel a notification names reaches every subscriber of that channel,
 * and no other; and the channels named are the ones routing chose.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { publishInput } from '../../lambdas/adapters/notify/publish-input';
import { route, type Notified, type OutboxEntry } from '../../lambdas/core/alerts/route';
import { parseMonitorsConfig } from '../../lambdas/core/config/parse';
import type { Channel, MonitorsConfig, SiteConfig } from '../../lambdas/core/config/types';
import { buildNotification } from '../../lambdas/core/messages/notification';
import { buildEvent, recoveredEvent } from '../../lambdas/core/rules/build';
import type { CrawlEvent } from '../../lambdas/core/rules/event';
import type { Incident } from '../../lambdas/core/rules/incident';
import { tierSpec, TIERS, type Tier } from '../../lambdas/core/tiers/registry';
import type { Severity } from '../../lambdas/core/tiers/severity';
import { SAMPLE_DETAILS } from '../support/events';
import { filterPolicyMatches } from '../support/sns-filter';
import { synth } from '../support/synth';

const EMAILS = ['ops@example.com', 'dev@example.com'];
const PHONES = ['+15555550100', '+15555550101'];
const RECIPIENTS: Record<Channel, { protocol: string; endpoints: string[] }> = {
  email: { protocol: 'email', endpoints: EMAILS },
  sms: { protocol: 'sms', endpoints: PHONES },
};
const AT = '2026-12-01T10:00:00.000Z';
const STARTED = '2026-12-01T09:00:00.000Z';

const yaml = (routing: string, sites: string) => `version: 1
alerts:
  email: [${EMAILS.join(', ')}]
  sms: [${PHONES.map((p) => `"${p}"`).join(', ')}]
${routing}sites:
${sites}`;

const ROUTINGS: [string, string][] = [
  ['default routing', yaml('', '  - origin: https://a.example\n')],
  [
    'custom top-level routing',
    yaml('  routing: { critical: [email], warning: [sms, email], info: [sms] }\n', '  - origin: https://a.example\n'),
  ],
  [
    'per-site routing',
    yaml(
      '',
      [
        '  - origin: https://a.example',
        '  - origin: https://b.example\n    alerts: { routing: { critical: [email], info: [sms, email] } }',
        '  - origin: https://c.example\n    alerts: { routing: { critical: [sms], warning: [] } }',
      ].join('\n') + '\n',
    ),
  ],
];

interface Subscription {
  Protocol: string;
  Endpoint: string;
  TopicArn: { Ref: string };
  FilterPolicy?: Record<string, (string | Record<string, unknown>)[]>;
}

/** The stack as SNS would see it: the topic of each severity (from the function's environment) and the subscriptions. */
function wiring(template: Template) {
  const [fn] = Object.values(
    template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } }),
  );
  const variables = (fn as { Properties: { Environment: { Variables: Record<string, { Ref: string }> } } }).Properties
    .Environment.Variables;
  const topicOf = (severity: Severity) => variables[`CRAWLGUARD_TOPIC_ARN_${severity.toUpperCase()}`]!.Ref;
  const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription')).map(
    (r) => (r as { Properties: Subscription }).Properties,
  );
  return { topicOf, subscriptions };
}

function incident(id: string, fired: Tier[]): Incident {
  return {
    id,
    startedAt: STARTED,
    lastCheckedAt: AT,
    failStreak: 3,
    okStreak: 0,
    healthySince: null,
    fired,
    gaps: [],
    lastEventAt: AT,
    reminders: 0,
  };
}

function eventOf(site: SiteConfig, tier: Tier, incidentId: string, severity?: Severity): CrawlEvent {
  const url = tier.startsWith('url-') ? `${site.origin}/page` : null;
  const result = { status: 503, outcome: 'server_error' as const, requestId: 'req-1' };
  return buildEvent(
    tierSpec(tier),
    incident(incidentId, [tier]),
    { origin: site.origin, url, at: AT, result },
    { searchEngines: 'what search engines do', severity, detail: SAMPLE_DETAILS[tier] },
  );
}

function recoveryOf(site: SiteConfig, incidentId: string, fired: Tier[]): CrawlEvent {
  return recoveredEvent(
    { ...incident(incidentId, fired), okStreak: 2, healthySince: AT },
    { origin: site.origin, url: null, at: AT, result: null },
    site,
    'recovers',
  )!;
}

/** Every (protocol, endpoint) SNS would deliver the Publish to. */
function receivers(template: Template, entries: OutboxEntry[], site: SiteConfig, smsBudgetSpent: boolean) {
  const notification = buildNotification({
    origin: site.origin,
    site,
    at: AT,
    entries,
    smsBudgetSpent: smsBudgetSpent ? { smsPerDay: 10 } : undefined,
  });
  if (!notification) return { channels: [] as Channel[], reached: [] as string[] };
  const { topicOf, subscriptions } = wiring(template);
  const publish = publishInput(notification, topicOf(notification.severity));
  const reached = subscriptions
    .filter(
      (s) => s.TopicArn.Ref === publish.TopicArn && filterPolicyMatches(s.FilterPolicy, publish.MessageAttributes),
    )
    .map((s) => `${s.Protocol}:${s.Endpoint}`);
  return { channels: notification.channels, reached };
}

/** What routing promises: the channels chosen; with the budget spent, what would be texted comes by email. */
function expectedChannels(chosen: readonly Channel[], smsBudgetSpent: boolean): Channel[] {
  const set = new Set(chosen);
  if (smsBudgetSpent && set.delete('sms')) set.add('email');
  return (['sms', 'email'] as const).filter((c) => set.has(c));
}

const everyone = (channels: readonly Channel[]) =>
  channels.flatMap((c) => RECIPIENTS[c].endpoints.map((e) => `${RECIPIENTS[c].protocol}:${e}`)).sort();

/** Tiers with each severity they can have: robots-missing is critical when the lost copy had rules. */
const TIER_SEVERITIES: [Tier, Severity][] = TIERS.filter((t) => t !== 'recovered').flatMap(
  (tier): [Tier, Severity][] =>
    tier === 'robots-missing'
      ? [
          [tier, 'warning'],
          [tier, 'critical'],
        ]
      : [[tier, tierSpec(tier).severity]],
);

describe.each(ROUTINGS)('%s', (_name, text) => {
  let template: Template;
  let config: MonitorsConfig;
  beforeAll(() => {
    template = synth(text);
    config = parseMonitorsConfig('monitors.yaml', text, () => '', { forDeploy: true });
  });
  const each = (fn: (site: SiteConfig, smsBudgetSpent: boolean) => void) => () => {
    for (const site of config.sites) for (const smsBudgetSpent of [false, true]) fn(site, smsBudgetSpent);
  };

  test.each(TIER_SEVERITIES)(
    '%s (%s) reaches exactly the subscribers of the channels its routing names',
    (tier, severity) =>
      each((site, budget) => {
        const { entries } = route([eventOf(site, tier, 'inc-1', severity)], site.routing, {});
        const out = receivers(template, entries, site, budget);
        expect({ site: site.origin, budget, channels: out.channels }).toEqual({
          site: site.origin,
          budget,
          channels: expectedChannels(site.routing[severity], budget),
        });
        expect(out.reached.sort()).toEqual(everyone(out.channels));
      })(),
  );

  test.each(TIER_SEVERITIES)(
    'the recovery of a %s (%s) incident reaches every subscriber its alert reached',
    (tier, severity) =>
      each((site, budget) => {
        const raised = route([eventOf(site, tier, 'inc-1', severity)], site.routing, {});
        const alerted = receivers(template, raised.entries, site, false);
        const { entries } = route([recoveryOf(site, 'inc-1', [tier])], site.routing, raised.notified);
        const out = receivers(template, entries, site, budget);
        expect(out.channels).toEqual(expectedChannels(alerted.channels, budget));
        expect(out.reached.sort()).toEqual(everyone(out.channels));
      })(),
  );

  test(
    'a recovery in the same notification as a new warning: both reach their channels',
    each((site, budget) => {
      const outage = route([eventOf(site, 'origin-outage', 'inc-1')], site.routing, {});
      const { entries } = route(
        [recoveryOf(site, 'inc-1', ['origin-outage']), eventOf(site, 'url-down', 'inc-2')],
        site.routing,
        outage.notified,
      );
      const out = receivers(template, entries, site, budget);
      const chosen = [...site.routing.critical, ...site.routing.warning];
      expect(out.channels).toEqual(expectedChannels(chosen, budget));
      expect(out.reached.sort()).toEqual(everyone(out.channels));
    }),
  );

  test(
    'recoveries of incidents that went to different channels, in one notification',
    each((site, budget) => {
      let notified: Notified = {};
      const raised: [string, Tier][] = [
        ['inc-c', 'robots-unreachable'],
        ['inc-w', 'url-down'],
        ['inc-i', 'robots-changed'],
      ];
      for (const [id, tier] of raised) notified = route([eventOf(site, tier, id)], site.routing, notified).notified;
      const { entries } = route(
        raised.map(([id, tier]) => recoveryOf(site, id, [tier])),
        site.routing,
        notified,
      );
      const out = receivers(template, entries, site, budget);
      const chosen = [...site.routing.critical, ...site.routing.warning, ...site.routing.info];
      expect(out.channels).toEqual(expectedChannels(chosen, budget));
      expect(out.reached.sort()).toEqual(everyone(out.channels));
    }),
  );
});

test('the evaluator follows SNS: absent attribute only matches exists:false, arrays match any element', () => {
  const attrs = { channels: { DataType: 'String.Array', StringValue: '["sms","email"]' } };
  expect(filterPolicyMatches({ channels: ['email'] }, attrs)).toBe(true);
  expect(filterPolicyMatches({ channels: ['push'] }, attrs)).toBe(false);
  expect(filterPolicyMatches({ channels: ['email', { exists: false }] }, {})).toBe(true);
  expect(filterPolicyMatches({ channels: ['email'] }, {})).toBe(false);
  expect(filterPolicyMatches({ channels: ['email'], severity: ['critical'] }, attrs)).toBe(false);
  expect(() => filterPolicyMatches({ channels: [{ suffix: 'x' }] }, attrs)).toThrow(/not supported/);
});
