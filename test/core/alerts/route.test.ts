import { route } from '../../../lambdas/core/alerts/route';
import type { Routing } from '../../../lambdas/core/config/types';
import type { CrawlEvent } from '../../../lambdas/core/rules/event';

const DEFAULT: Routing = { critical: ['sms', 'email'], warning: ['email'], info: [] };
const event = (tier: CrawlEvent['tier'], severity: CrawlEvent['severity'], incidentId: string) =>
  ({ tier, severity, incidentId, id: `${incidentId}:${tier}` }) as CrawlEvent;

test.each<[CrawlEvent['tier'], CrawlEvent['severity'], string[]]>([
  ['robots-unreachable', 'critical', ['sms', 'email']],
  ['url-down', 'warning', ['email']],
  ['robots-changed', 'info', []],
])('by default %s (%s) goes to %j', (tier, severity, channels) => {
  expect(route([event(tier, severity, 'i1')], DEFAULT, {}).entries[0]!.channels).toEqual(channels);
});

test('a recovery goes where its incident went, and nowhere else', () => {
  const first = route([event('url-down', 'warning', 'i1'), event('url-deindex-risk', 'critical', 'i1')], DEFAULT, {});
  expect(first.notified).toEqual({ i1: ['email', 'sms'] });
  const recovered = route(
    [event('recovered', 'info', 'i1'), event('recovered', 'info', 'never-notified')],
    DEFAULT,
    first.notified,
  );
  expect(recovered.entries.map((e) => e.channels)).toEqual([['email', 'sms'], []]);
  expect(recovered.notified).toEqual({});
});

test("per-site routing replaces a severity's channels", () => {
  const quiet: Routing = { critical: ['email'], warning: [], info: [] };
  expect(
    route([event('origin-outage', 'critical', 'i1'), event('url-down', 'warning', 'i2')], quiet, {}).entries.map(
      (e) => e.channels,
    ),
  ).toEqual([['email'], []]);
});
