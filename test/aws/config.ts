/**
 * The monitors.yaml the emulated deploy uses: one site per scenario, each at its own interval so that each
 * is its own shard (own schedule, own invocations). Retries 0 and thresholds of 1 make a scenario's
 * outage and recovery one pass each; everything else, routing and the SMS budget included, is default,
 * except on the one site routed `critical: [email]`.
 */
import type { Site } from './sites';

export const EMAILS = ['ops@example.com', 'seo@example.com'];
export const PHONES = ['+15555550100', '+15555550111'];
/** Receivers as the scenarios name them: `email:ADDRESS`, `sms:NUMBER`, sorted. */
export const EMAIL_ONLY = EMAILS.map((e) => `email:${e}`).sort();
export const EVERYONE = [...EMAIL_ONLY, ...PHONES.map((p) => `sms:${p}`)].sort();

export interface ScenarioSites {
  outage: Site;
  robots: Site;
  concurrent: Site;
  failure: Site;
  budget: Site;
  emailOnly: Site;
}

const site = (origin: string, interval: string, robots: boolean, urls: string[], extra = '') =>
  `  - origin: ${origin}\n    interval: ${interval}\n    robots: ${robots}\n    allowPrivateNetwork: true\n` +
  `    urls: [${urls.join(', ')}]\n${extra}`;

/** A site nobody should be texted about (README, Routing). */
const emailOnlyRouting = '    alerts:\n      routing:\n        critical: [email]\n';

/** alerts.smsPerDay of the test deployment: room for every scenario's texts before the budget scenario spends it. */
export const SMS_PER_DAY = 20;

const header = `version: 1
defaults:
  timeout: 5s
  retries: 0
  failureThreshold: 1
  successThreshold: 1
alerts:
  email: [${EMAILS.join(', ')}]
  sms: [${PHONES.map((p) => `"${p}"`).join(', ')}]
  # The budget counts one text per phone: the scenarios before the budget's own text 12 times in all.
  smsPerDay: ${SMS_PER_DAY}
sites:
`;

/** The first deploy: shards 1m-1 (outage), 2m-1 (robots), 3m-1 (concurrent), 4m-1 (budget), 5m-1 (failure), 6m-1. */
export function firstConfig(s: ScenarioSites): string {
  return (
    header +
    site(s.outage.origin, '1m', false, ['/', '/a', '/b', '/c']) +
    site(s.robots.origin, '2m', true, ['/']) +
    site(s.concurrent.origin, '3m', false, ['/']) +
    site(s.failure.origin, '5m', false, ['/']) +
    site(s.budget.origin, '4m', false, ['/']) +
    site(s.emailOnly.origin, '6m', false, ['/'], emailOnlyRouting)
  );
}

/** The redeploy: a URL added to the outage site, the robots site moved to 10m, the failure site removed. */
export function secondConfig(s: ScenarioSites): string {
  return (
    header +
    site(s.outage.origin, '1m', false, ['/', '/a', '/b', '/c', '/d']) +
    site(s.robots.origin, '10m', true, ['/']) +
    site(s.concurrent.origin, '3m', false, ['/']) +
    site(s.budget.origin, '4m', false, ['/']) +
    site(s.emailOnly.origin, '6m', false, ['/'], emailOnlyRouting)
  );
}
