/**
 * Alert delivery end to end in-process: a loopback site, the real prober, the store on dynalite, and
 * SNS mocked with aws-sdk-client-mock (no local SNS runs on Node 20).
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { createProber, type Prober } from '../../lambdas/adapters/http/prober';
import { SnsNotifier } from '../../lambdas/adapters/notify/sns-notifier';
import { parseMonitorsConfig } from '../../lambdas/core/config/parse';
import type { MonitorsConfig } from '../../lambdas/core/config/types';
import { runPass } from '../../lambdas/handlers/pass';
import { behave, startSite, type RunningSite } from '../../demo/site';
import { tempStore } from '../support/store';

const TOPICS = {
  critical: 'arn:aws:sns:eu-west-1:123456789012:crawlguard-critical',
  warning: 'arn:aws:sns:eu-west-1:123456789012:crawlguard-warning',
  info: 'arn:aws:sns:eu-west-1:123456789012:crawlguard-info',
};
const sns = mockClient(SNSClient);
let site: RunningSite;
let local: Awaited<ReturnType<typeof tempStore>>;
let prober: Prober;
const minute = (m: number) => Date.UTC(2026, 11, 1, 9, 0) + m * 60_000;

function configFor(extra = '', urls = '[/, /a]'): MonitorsConfig {
  return parseMonitorsConfig(
    'monitors.yaml',
    `version: 1\ndefaults: { retries: 0, timeout: 2s }\nalerts:\n  email: [ops@example.com]\n  sms: ["+15555550100"]\n${extra}sites:\n  - origin: ${site.origin}\n    allowPrivateNetwork: true\n    robots: false\n    urls: ${urls}\n`,
    () => '',
  );
}

function pass(config: MonitorsConfig, m: number) {
  const notifier = new SnsNotifier({
    client: new SNSClient({ region: 'eu-west-1' }),
    topics: TOPICS,
    sleep: async () => undefined,
  });
  return runPass({ prober, store: local.store, notifier }, config, { shardId: 'local', nowMs: minute(m) });
}

const published = () => sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
const bodies = (i: number) => JSON.parse(published()[i]!.Message!) as { default: string; email: string; sms?: string };

beforeEach(async () => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'msg-1' });
  site = await startSite({ '/': behave.ok(), '/a': behave.ok() });
  local = await tempStore();
  prober = createProber({ concurrency: 10, perOriginConcurrency: 4 });
});

afterEach(async () => {
  await prober.close();
  await local.cleanup();
  await site.close();
});

test('the exact Publish request: warning → email only, MessageStructure json, subject, channel attribute', async () => {
  const config = configFor();
  site.route('/a', behave.status(500, 'oops', { 'x-request-id': 'req-42' }));
  await pass(config, 0);
  expect(published()).toHaveLength(0); // not confirmed yet (failureThreshold 2)
  const report = await pass(config, 5);
  expect(published()).toHaveLength(1);
  const input = published()[0]!;
  expect(input).toEqual({
    TopicArn: TOPICS.warning,
    Subject: `[WARN] 127.0.0.1:${site.port} /a 500: Google slows crawling`,
    Message: expect.any(String),
    MessageStructure: 'json',
    MessageAttributes: {
      channels: { DataType: 'String.Array', StringValue: '["email"]' },
      severity: { DataType: 'String', StringValue: 'warning' },
      origin: { DataType: 'String', StringValue: site.origin },
    },
  });
  const message = bodies(0);
  expect(Object.keys(message).sort()).toEqual(['default', 'email']);
  expect(message.email).toContain(
    `${site.origin}/a answered 500 server_error, request id req-42`.replace(`${site.origin}`, '').replace(/^/, ''),
  );
  expect(message.email).toContain('Search engines:  Google slows its crawling of this host');
  expect(message.default).toBe(message.email);
  expect(report.deliveries).toEqual([
    expect.objectContaining({
      origin: site.origin,
      where: `sns ${TOPICS.warning} (message msg-1)`,
      pending: 0,
      failure: null,
    }),
  ]);
  const logged = await local.store.events(site.origin);
  expect(logged.map((e) => e.tier)).toEqual(['url-down']);
});

test('a failed publish stays pending and goes out once on the next pass, with its original timestamps', async () => {
  const config = configFor();
  site.route('/a', behave.status(502));
  await pass(config, 0);
  sns
    .on(PublishCommand)
    .rejects(Object.assign(new Error('We encountered an internal error'), { name: 'InternalErrorException' }));
  const failed = await pass(config, 5);
  expect(published()).toHaveLength(4); // retried inside the pass with backoff, then left pending
  expect(failed.deliveries[0]).toMatchObject({ pending: 1, failure: { permanent: false } });
  const event = failed.events[0]!;

  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'msg-2' });
  const retried = await pass(config, 10);
  expect(retried.events).toEqual([]);
  expect(published()).toHaveLength(1);
  expect(bodies(0).email).toContain(`Event ids: ${event.id}`);
  expect(bodies(0).email).toContain('Raised:          2026-12-01 09:05 UTC (delivered late');
  expect(retried.deliveries[0]).toMatchObject({ pending: 0, failure: null });

  await pass(config, 15);
  expect(published()).toHaveLength(1); // never twice
});

test('a permanent error is reported as such and not retried in a loop', async () => {
  const config = configFor();
  site.route('/a', behave.status(502));
  await pass(config, 0);
  sns
    .on(PublishCommand)
    .rejects(
      Object.assign(new Error('User is not authorized to perform SNS:Publish'), {
        name: 'AuthorizationErrorException',
      }),
    );
  const report = await pass(config, 5);
  expect(published()).toHaveLength(1);
  expect(report.deliveries[0]!.failure).toEqual({
    permanent: true,
    message: expect.stringMatching(
      /^SNS refused the alert for .* \(AuthorizationErrorException: User is not authorized .*\); check the topic ARN and this role's sns:Publish permission$/,
    ),
  });
  expect(report.deliveries[0]!.pending).toBe(1);
});

test('a 50-URL origin outage is one notification; its recovery another', async () => {
  const paths = ['/', ...Array.from({ length: 49 }, (_, i) => `/p${i}`)];
  for (const path of paths) site.route(path, behave.status(503));
  const config = configFor('', `[${paths.join(', ')}]`);
  await pass(config, 0);
  const outage = await pass(config, 5);
  expect(outage.events.filter((e) => e.tier === 'url-down')).toHaveLength(50);
  expect(outage.events.filter((e) => e.tier === 'origin-outage')).toHaveLength(1);
  expect(published()).toHaveLength(1);
  expect(published()[0]).toMatchObject({
    TopicArn: TOPICS.critical,
    MessageAttributes: { channels: { StringValue: '["sms","email"]' } },
  });
  expect(bodies(0).sms).toBe(
    `CRIT 127.0.0.1:${site.port} 50 of 50 URLs failing since 09:00Z (5m): site down for crawlers`,
  );
  expect(bodies(0).email.match(/^ {4}http:\/\//gm)).toHaveLength(50);

  for (const path of paths) site.route(path, behave.ok());
  await pass(config, 10);
  const recovery = await pass(config, 15);
  expect(recovery.events.filter((e) => e.tier === 'recovered')).toHaveLength(51);
  expect(published()).toHaveLength(2);
  // The outage was texted, so its recovery is too; the URL incidents were emailed, and so are theirs.
  // The info topic carries it: every topic has every recipient, filtered on `channels` (a deployed
  // stack once had no subscriber on the info topic; test/infra/alert-routing.test.ts proves who receives).
  expect(published()[1]).toMatchObject({
    TopicArn: TOPICS.info,
    MessageAttributes: { channels: { StringValue: '["sms","email"]' } },
  });
  expect(bodies(1).sms).toMatch(/^INFO 127\.0\.0\.1:\d+ site recovered after 10m$/);
  expect(bodies(1).email).toContain('INFO: Recovered [recovered], 51 events');
});

test('the SMS budget holds across passes and sites; past it, email with a line saying so', async () => {
  const twoPerDay = parseMonitorsConfig(
    'monitors.yaml',
    `version: 1\ndefaults: { retries: 0, timeout: 2s, failureThreshold: 1, successThreshold: 1 }\nalerts:\n  smsPerDay: 2\nsites:\n  - origin: ${site.origin}\n    allowPrivateNetwork: true\n    robots: false\n    urls: [/]\n`,
    () => '',
  );
  // Each outage (failureThreshold 1) raises origin-outage (critical: SMS + email); each recovery is texted too.
  site.route('/', behave.status(500));
  await pass(twoPerDay, 0); // outage: text 1
  site.route('/', behave.ok());
  await pass(twoPerDay, 5); // recovery: text 2
  site.route('/', behave.status(500));
  await pass(twoPerDay, 10); // outage: budget spent → email only
  const channels = published().map((p) => p.MessageAttributes!.channels!.StringValue);
  expect(channels).toEqual(['["sms","email"]', '["sms","email"]', '["email"]']);
  expect(bodies(2).sms).toBeUndefined();
  expect(bodies(2).email).toContain('The SMS budget (2 texts per day across all sites) is spent');
  // A new UTC day, a new budget.
  site.route('/', behave.ok());
  await runPass(
    {
      prober,
      store: local.store,
      notifier: new SnsNotifier({
        client: new SNSClient({ region: 'eu-west-1' }),
        topics: TOPICS,
        sleep: async () => undefined,
      }),
    },
    twoPerDay,
    { shardId: 'local', nowMs: Date.UTC(2026, 11, 2, 0, 5) },
  );
  expect(published().at(-1)!.MessageAttributes!.channels!.StringValue).toBe('["sms","email"]');
});

test('a publish SNS refused gives its text back: the budget counts texts SNS took', async () => {
  const onePerDay = parseMonitorsConfig(
    'monitors.yaml',
    `version: 1\ndefaults: { retries: 0, timeout: 2s, failureThreshold: 1 }\nalerts:\n  smsPerDay: 1\nsites:\n  - origin: ${site.origin}\n    allowPrivateNetwork: true\n    robots: false\n    urls: [/]\n`,
    () => '',
  );
  site.route('/', behave.status(500));
  sns
    .on(PublishCommand)
    .rejects(
      Object.assign(new Error('User is not authorized to perform SNS:Publish'), {
        name: 'AuthorizationErrorException',
      }),
    );
  const refused = await pass(onePerDay, 0);
  expect(refused.deliveries[0]!.failure).toMatchObject({ permanent: true });
  sns.on(PublishCommand).resolves({ MessageId: 'msg-2' });
  await pass(onePerDay, 5); // the pending outage, with the one text of the day
  expect(published().map((p) => p.MessageAttributes!.channels!.StringValue)).toEqual([
    '["sms","email"]',
    '["sms","email"]',
  ]);
  expect(bodies(1).sms).toBeDefined();
});

test('the budget counts texts, one per phone number: 3 numbers and smsPerDay 5 text one notification, not two', async () => {
  const numbers = '["+15555550100", "+15555550101", "+15555550102"]';
  const fivePerDay = parseMonitorsConfig(
    'monitors.yaml',
    `version: 1\ndefaults: { retries: 0, timeout: 2s, failureThreshold: 1, successThreshold: 1 }\nalerts:\n  sms: ${numbers}\n  smsPerDay: 5\nsites:\n  - origin: ${site.origin}\n    allowPrivateNetwork: true\n    robots: false\n    urls: [/]\n`,
    () => '',
  );
  site.route('/', behave.status(500));
  await pass(fivePerDay, 0); // outage: 3 texts
  site.route('/', behave.ok());
  await pass(fivePerDay, 5); // recovery: 3 more would make 6 of 5
  expect(published().map((p) => p.MessageAttributes!.channels!.StringValue)).toEqual(['["sms","email"]', '["email"]']);
  expect(bodies(1).email).toContain('The SMS budget (5 texts per day across all sites) is spent');
});

test('two invocations of the same pass at once send one notification', async () => {
  const config = configFor();
  site.route('/a', behave.status(500));
  await pass(config, 0);
  await Promise.all([pass(config, 5), pass(config, 5)]);
  expect(published()).toHaveLength(1);
  await pass(config, 10);
  expect(published()).toHaveLength(1);
});
