/**
 * The real Lambda entry point, invoked with the payload EventBridge Scheduler sends, against dynalite and
 * a loopback site, with SNS mocked. Its environment is what the stack sets (test/infra checks that side).
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { parseMonitorsConfig } from '../../lambdas/core/config/parse';
import { AlertDeliveryFailedError, handler, resetColdStart } from '../../lambdas/handlers/lambda';
import { behave, startSite, type RunningSite } from '../../demo/site';
import { tempStore } from '../support/store';

const sns = mockClient(SNSClient);
const s3 = mockClient(S3Client);
const TOPIC = (s: string) => `arn:aws:sns:eu-west-1:123456789012:crawlguard-${s}`;
let site: RunningSite;
let local: Awaited<ReturnType<typeof tempStore>>;
let logs: string[];
const saved = { ...process.env };

beforeEach(async () => {
  sns.reset();
  s3.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  site = await startSite({
    '/': behave.ok(),
    '/broken': behave.status(502),
    '/robots.txt': behave.text('User-agent: *\nAllow: /\n'),
  });
  local = await tempStore();
  const config = parseMonitorsConfig(
    'monitors.yaml',
    `version: 1\ndefaults: { retries: 0, timeout: 2s, failureThreshold: 1 }\nsites:\n  - origin: ${site.origin}\n    allowPrivateNetwork: true\n    urls: [/, /broken]\n`,
    () => '',
    { forDeploy: true },
  );
  Object.assign(process.env, {
    CRAWLGUARD_CONFIG_JSON: JSON.stringify(config),
    CRAWLGUARD_TABLE: 'crawlguard',
    CRAWLGUARD_DYNAMODB_ENDPOINT: local.endpoint,
    CRAWLGUARD_TOPIC_ARN_CRITICAL: TOPIC('critical'),
    CRAWLGUARD_TOPIC_ARN_WARNING: TOPIC('warning'),
    CRAWLGUARD_TOPIC_ARN_INFO: TOPIC('info'),
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  resetColdStart();
  logs = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logs.push(String(chunk));
    return true;
  });
});

afterEach(async () => {
  jest.restoreAllMocks();
  process.env = { ...saved };
  await local.cleanup();
  await site.close();
});

test('a scheduled invocation runs its shard, stores it, alerts, and logs one summary line that is also the metrics', async () => {
  const summary = await handler({ shardId: '5m-1' });
  expect(summary).toMatchObject({
    shardId: '5m-1',
    checks: 3,
    healthy: 2,
    unhealthy: 1,
    notifications: 1,
    deliveryFailures: [],
    applied: true,
  });

  const lines = logs.map((l) => JSON.parse(l));
  const pass = lines.find((l) => l.message === 'pass complete');
  expect(pass).toMatchObject({
    level: 'INFO',
    shardId: '5m-1',
    checks: 3,
    Shard: '5m-1',
    PassesCompleted: 1,
    Checks: 3,
    Failures: 1,
    _aws: {
      CloudWatchMetrics: [
        {
          Namespace: 'Crawlguard',
          Dimensions: [[]],
          Metrics: [
            { Name: 'Checks', Unit: 'Count' },
            { Name: 'Failures', Unit: 'Count' },
            { Name: 'Events', Unit: 'Count' },
            { Name: 'PassDurationMs', Unit: 'Milliseconds' },
          ],
        },
        { Namespace: 'Crawlguard', Dimensions: [['Shard'], []], Metrics: [{ Name: 'PassesCompleted', Unit: 'Count' }] },
      ],
    },
  });
  expect(lines.filter((l) => l.message === 'origin failures')).toEqual([
    expect.objectContaining({ Origin: site.origin, OriginFailures: 1 }),
  ]);
  expect(lines).toHaveLength(2); // one pass line, one line for the failing origin: nothing per check

  // failureThreshold 1: /broken is url-down (warning → email) at once; 1 of 2 URLs is no origin-wide tier.
  expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input.TopicArn)).toEqual([TOPIC('warning')]);
  expect(
    (await local.store.loadStates([site.origin])).get(site.origin)?.state.urls[`${site.origin}/broken`]?.latest.outcome,
  ).toBe('server_error');
});

test('an unknown shard id fails loudly: the schedule and the deployed config disagree', async () => {
  await expect(handler({ shardId: '1m-7' })).rejects.toThrow(
    'unknown shard "1m-7": the schedule and the deployed config disagree; deploy again',
  );
});

test('a missing setting is named at cold start', async () => {
  delete process.env.CRAWLGUARD_TABLE;
  await expect(handler({ shardId: '5m-1' })).rejects.toThrow(/^CRAWLGUARD_TABLE is not set/);
});

test('an alert SNS refuses for good fails the invocation (so the errors alarm fires), after the pass is saved', async () => {
  sns.on(PublishCommand).rejects(Object.assign(new Error('Topic does not exist'), { name: 'NotFoundException' }));
  await expect(handler({ shardId: '5m-1' })).rejects.toBeInstanceOf(AlertDeliveryFailedError);
  const state = (await local.store.loadStates([site.origin])).get(site.origin)!.state;
  expect(state.outbox.map((e) => e.event.tier)).toEqual(['url-down']); // kept for the next pass
});

test('with a report bucket, one invocation per report.every publishes the status page; a failure is logged, not thrown', async () => {
  process.env.CRAWLGUARD_REPORT_BUCKET = 'crawlguard-report';
  resetColdStart();
  s3.on(PutObjectCommand).resolves({});
  await handler({ shardId: '5m-1' });
  await handler({ shardId: '5m-1' }); // within 15 minutes: not again
  const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
  expect(puts).toHaveLength(1);
  expect(puts[0]).toMatchObject({
    Bucket: 'crawlguard-report',
    Key: 'index.html',
    ContentType: 'text/html; charset=utf-8',
    CacheControl: 'max-age=60',
  });
  expect(String(puts[0]!.Body)).toContain('<title>crawlguard status');
  expect(logs.map((l) => JSON.parse(l).message)).toContain('report published');

  s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
  // A new day: due again, and S3 refuses.
  jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 86_400_000);
  await expect(handler({ shardId: '5m-1' })).resolves.toMatchObject({ shardId: '5m-1' });
  expect(logs.map((l) => JSON.parse(l)).find((l) => l.message === 'report not published')).toMatchObject({
    level: 'ERROR',
    error: 'Access Denied',
  });
});
