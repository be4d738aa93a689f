/**
 * Chaos: SNS failing half the time, and the same shard invoked three times at once. Every alert is
 * published exactly once, and every event is logged exactly once.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { createProber, type Prober } from '../../lambdas/adapters/http/prober';
import { SnsNotifier } from '../../lambdas/adapters/notify/sns-notifier';
import { parseMonitorsConfig } from '../../lambdas/core/config/parse';
import { handler, resetColdStart } from '../../lambdas/handlers/lambda';
import { runPass } from '../../lambdas/handlers/pass';
import { behave, startSite, type RunningSite } from '../../demo/site';
import { tempStore } from '../support/store';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:crawlguard';
let sites: RunningSite[];
let local: Awaited<ReturnType<typeof tempStore>>;
let prober: Prober;

beforeEach(async () => {
  sns.reset();
  sites = await Promise.all(
    Array.from({ length: 4 }, () =>
      startSite({ '/': behave.ok(), '/a': behave.ok(), '/robots.txt': behave.text('User-agent: *\n') }),
    ),
  );
  local = await tempStore();
  prober = createProber({ concurrency: 20, perOriginConcurrency: 4 });
});

afterEach(async () => {
  await prober.close();
  await local.cleanup();
  await Promise.all(sites.map((s) => s.close()));
});

const yaml = () =>
  `version: 1\ndefaults: { retries: 0, timeout: 2s, failureThreshold: 1, successThreshold: 1 }\nsites:\n${sites.map((s) => `  - origin: ${s.origin}\n    allowPrivateNetwork: true\n    urls: [/, /a]`).join('\n')}\n`;

test('SNS failing every other publish: each alert still goes out exactly once, in a later pass', async () => {
  let calls = 0;
  sns.on(PublishCommand).callsFake(() => {
    calls += 1;
    if (calls % 2 === 1) throw Object.assign(new Error('Service unavailable'), { name: 'InternalErrorException' });
    return { MessageId: `m-${calls}` };
  });
  const config = parseMonitorsConfig('monitors.yaml', yaml(), () => '');
  // One attempt per publish: a failure is left to the next pass.
  const notifier = new SnsNotifier({
    client: new SNSClient({ region: 'eu-west-1' }),
    topics: { critical: TOPIC, warning: TOPIC, info: TOPIC },
    attempts: 1,
  });
  const pass = (m: number) =>
    runPass({ prober, store: local.store, notifier }, config, { shardId: 'chaos', nowMs: Date.UTC(2026, 11, 1, 9, m) });
  // Outages and recoveries on alternating origins, pass after pass.
  for (let m = 0; m < 12; m += 1) {
    sites.forEach((site, i) => site.route('/a', (m + i) % 3 === 0 ? behave.status(500) : behave.ok()));
    await pass(m * 5);
  }
  for (const site of sites) site.route('/a', behave.ok());
  for (let m = 12; m < 16; m += 1) await pass(m * 5); // quiet passes: everything pending drains
  const published = sns.commandCalls(PublishCommand).filter((_, i) => i % 2 === 1); // the accepted ones
  const ids = published.flatMap((c) =>
    /Event ids: (.*)$/m.exec(JSON.parse(c.args[0].input.Message!).email)![1]!.split(' '),
  );
  expect(ids.length).toBeGreaterThan(10);
  expect(new Set(ids).size).toBe(ids.length); // never twice
  const notified = await Promise.all(sites.map((s) => local.store.events(s.origin)));
  const sendable = notified.flat().filter((e) => e.tier !== 'recovered' || ids.includes(e.id));
  expect(
    sendable
      .filter((e) => e.severity !== 'info')
      .map((e) => e.id)
      .sort(),
  ).toEqual(ids.filter((id) => !id.endsWith(':recovered')).sort());
  for (const state of (await local.store.loadStates(sites.map((s) => s.origin))).values())
    expect(state.state.outbox).toEqual([]);
});

test('three invocations of the same shard at once: one set of events, one notification per origin', async () => {
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  for (const site of sites) site.route('/a', behave.status(503));
  const config = parseMonitorsConfig('monitors.yaml', yaml(), () => '', { forDeploy: true });
  const saved = { ...process.env };
  Object.assign(process.env, {
    CRAWLGUARD_CONFIG_JSON: JSON.stringify(config),
    CRAWLGUARD_TABLE: 'crawlguard',
    CRAWLGUARD_DYNAMODB_ENDPOINT: local.endpoint,
    CRAWLGUARD_TOPIC_ARN: TOPIC,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    resetColdStart();
    await Promise.all([handler({ shardId: '5m-1' }), handler({ shardId: '5m-1' }), handler({ shardId: '5m-1' })]);
  } finally {
    write.mockRestore();
    process.env = saved;
  }
  const events = (await Promise.all(sites.map((s) => local.store.events(s.origin)))).flat();
  expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  expect(events.filter((e) => e.tier === 'url-down')).toHaveLength(sites.length);
  const origins = sns.commandCalls(PublishCommand).map((c) => c.args[0].input.MessageAttributes!.origin!.StringValue);
  expect(origins.sort()).toEqual(sites.map((s) => s.origin).sort());
});
