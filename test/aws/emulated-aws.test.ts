/**
 * The AWS half, run (npm run test:aws): the real `cdk bootstrap` and `cdk deploy` of bin/app.ts into moto
 * (with the add-on of moto_addon.py), the deployed wiring read back through the emulated services' APIs,
 * each schedule fired as EventBridge would (the deployed package, its environment, the schedule's Input)
 * against sites on 127.0.0.1, and who received what. Then a redeploy with a changed monitors.yaml, and
 * `cdk destroy`. The tests run in order and share one deployment.
 */
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetDistributionCommand } from '@aws-sdk/client-cloudfront';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeKeyCommand, GetKeyRotationStatusCommand } from '@aws-sdk/client-kms';
import { GetFunctionCommand, GetFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import {
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
} from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap, CDK_OUT, deploy, destroy } from './cdk';
import { awsClients, destroyClients, type AwsClients } from './clients';
import { EMAIL_ONLY, EVERYONE, firstConfig, secondConfig, SMS_PER_DAY, type ScenarioSites } from './config';
import { Deployment, SEVERITIES, STACK, type Received } from './deployment';
import { ARTIFACTS, cfnLint, Emulator, missingPrerequisites } from './emulator';
import { invoke } from './lambda';
import { missingResources } from './resources';
import { Site } from './sites';

jest.setTimeout(240_000);

// Where Python with moto is missing the suite is skipped, saying why, so that a bare `jest test/aws` runs
// anywhere; CI (CI=true) and `npm run test:aws` fail instead.
const missing = missingPrerequisites();
if (missing && process.env.CI) throw new Error(`the emulated deploy must run in CI: ${missing}`);
if (missing) process.stderr.write(`test/aws skipped: ${missing}\n`);
const describeAws = missing ? describe.skip : describe;

const CONFIG = join(ARTIFACTS, 'monitors.yaml');

let emulator: Emulator;
let aws: AwsClients;
let sites: ScenarioSites;
let deployment: Deployment;
/** The stack as deployed (read again after the redeploy). */
const stack = () => deployment.stack;
const functionName = () => stack().fn.FunctionName!;

/** Fires a shard's schedule; the invocation must succeed. What it caused to be delivered. */
async function passOk(shardId: string): Promise<Received[]> {
  const { invocation, received } = await deployment.pass(shardId);
  expect(invocation.error).toBeUndefined();
  return received;
}

describeAws('the emulated AWS deployment', () => {
  beforeAll(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    emulator = await Emulator.start();
    aws = awsClients(emulator.endpoint);
    deployment = new Deployment(emulator, aws);
    const [outage, robots, concurrent, failure, budget, emailOnly] = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(() => Site.start()),
    );
    sites = {
      outage: outage!,
      robots: robots!,
      concurrent: concurrent!,
      failure: failure!,
      budget: budget!,
      emailOnly: emailOnly!,
    };
    writeFileSync(CONFIG, firstConfig(sites));
    await bootstrap(emulator.env);
    await deploy(CONFIG, emulator.env);
    await deployment.read();
  });

  afterAll(async () => {
    if (aws) destroyClients(aws);
    await Promise.all(Object.values(sites ?? {}).map((s) => s.close()));
    await emulator?.stop();
  });

  describe('the deployed wiring, read back from the emulated services', () => {
    test('every resource of the template exists in its service', async () => {
      expect(Object.keys(stack().template.Resources).length).toBeGreaterThan(30);
      expect(await missingResources(aws, STACK, stack().template)).toEqual([]);
    });

    test('cfn-lint: no error, and each warning fixed or acknowledged with its reason', () => {
      // Each acknowledgment: rule, where, why it stays. An acknowledgment that matches nothing fails too.
      const acknowledged = [
        {
          rule: 'W3005',
          path: /^Resources\/ProbeFunction\w+\/DependsOn\/\d+$/,
          reason:
            "CDK makes the function depend on its role construct, so that the role's default policy (logs, " +
            'table, topics) exists before the function runs; the role itself is listed too although the GetAtt ' +
            "of its ARN already orders it. Redundant, harmless, and CDK's to emit.",
        },
      ];
      const findings = cfnLint(join(CDK_OUT, `${STACK}.template.json`)).map((f) => ({
        rule: f.Rule.Id,
        level: f.Level,
        path: f.Location.Path.join('/'),
        message: f.Message,
      }));
      const isAcknowledged = (f: (typeof findings)[number]) =>
        acknowledged.some((a) => a.rule === f.rule && a.path.test(f.path));
      expect(findings.filter((f) => !isAcknowledged(f))).toEqual([]);
      for (const a of acknowledged) expect(findings.some((f) => f.rule === a.rule && a.path.test(f.path))).toBe(true);
    });

    test('the table: pk/sk string keys, on demand, TTL on expiresAt, point-in-time recovery', async () => {
      const { Table } = await aws.dynamodb.send(new DescribeTableCommand({ TableName: stack().table }));
      expect(Table!.KeySchema).toEqual([
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ]);
      expect(Table!.AttributeDefinitions).toEqual(
        expect.arrayContaining([
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ]),
      );
      expect(Table!.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      const ttl = await aws.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: stack().table }));
      expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' });
      const backups = await aws.dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: stack().table }));
      expect(backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus).toBe(
        'ENABLED',
      );
    });

    test("three topics encrypted with the stack's key; every recipient on every topic, filtered on its channel", async () => {
      const stackKey = deployment.physicalOf('AWS::KMS::Key');
      for (const severity of SEVERITIES) {
        const { Attributes } = await aws.sns.send(
          new GetTopicAttributesCommand({ TopicArn: stack().topics[severity] }),
        );
        const key = await aws.kms.send(new DescribeKeyCommand({ KeyId: Attributes!.KmsMasterKeyId! }));
        expect(key.KeyMetadata!.KeyId).toBe(stackKey);
        expect(key.KeyMetadata).toMatchObject({
          Description: 'crawlguard alert topics',
          Enabled: true,
          KeyManager: 'CUSTOMER',
        });
        expect(
          (await aws.kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyMetadata!.KeyId! }))).KeyRotationEnabled,
        ).toBe(true);
        expect(JSON.parse(Attributes!.Policy!).Statement).toEqual([
          expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]);
        const { Subscriptions = [] } = await aws.sns.send(
          new ListSubscriptionsByTopicCommand({ TopicArn: stack().topics[severity] }),
        );
        const subscribed = await Promise.all(
          Subscriptions.map(async (s) => {
            const { Attributes: a } = await aws.sns.send(
              new GetSubscriptionAttributesCommand({ SubscriptionArn: s.SubscriptionArn }),
            );
            return { who: `${a!.Protocol}:${a!.Endpoint}`, filter: JSON.parse(a!.FilterPolicy!) as unknown };
          }),
        );
        expect(subscribed.map((s) => s.who).sort()).toEqual(EVERYONE);
        for (const { who, filter } of subscribed)
          expect(filter).toEqual({ channels: [who.split(':')[0], { exists: false }] });
      }
    });

    test('the function: the uploaded package, Node.js 22, its environment names the deployed table, topics and bucket', async () => {
      const { Configuration } = await aws.lambda.send(new GetFunctionCommand({ FunctionName: functionName() }));
      expect(Configuration).toMatchObject({
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        MemorySize: 512,
        Timeout: 360,
      });
      expect(Configuration!.Environment!.Variables).toEqual({
        CRAWLGUARD_TABLE: stack().table,
        CRAWLGUARD_TOPIC_ARN_CRITICAL: stack().topics.critical,
        CRAWLGUARD_TOPIC_ARN_WARNING: stack().topics.warning,
        CRAWLGUARD_TOPIC_ARN_INFO: stack().topics.info,
        CRAWLGUARD_REPORT_BUCKET: expect.stringMatching(/^crawlguard-reportbucket/),
      });
      const fn = await deployment.package(functionName()); // checks the package against CodeSha256
      expect(fn.handler).toBe('index.handler');
    });

    test('one schedule per shard, each invoking the function with its shard as Input, no Scheduler retries', async () => {
      const deployed = await deployment.schedules();
      const fnArn = stack().fn.FunctionArn;
      expect(deployed.map((s) => [s.shardId, s.ScheduleExpression]).sort()).toEqual([
        ['1m-1', 'rate(1 minute)'],
        ['2m-1', 'rate(2 minutes)'],
        ['3m-1', 'rate(3 minutes)'],
        ['4m-1', 'rate(4 minutes)'],
        ['5m-1', 'rate(5 minutes)'],
        ['6m-1', 'rate(6 minutes)'],
      ]);
      for (const s of deployed) {
        expect(s.State).toBe('ENABLED');
        expect(s.Target).toMatchObject({
          Arn: fnArn,
          Input: JSON.stringify({ shardId: s.shardId }),
          RetryPolicy: { MaximumRetryAttempts: 0 },
        });
        expect(s.Target!.RoleArn).toMatch(/:role\/Crawlguard-SchedulesInvokeRole/);
      }
    });

    test('alarms notify the critical topic; a failed invocation is retried twice, then kept 14 days in an encrypted DLQ', async () => {
      const { MetricAlarms = [] } = await aws.cloudwatch.send(new DescribeAlarmsCommand({}));
      const noPass = MetricAlarms.filter((a) => a.MetricName === 'PassesCompleted')
        .map((a) => a.Dimensions?.find((d) => d.Name === 'Shard')?.Value)
        .sort();
      expect(noPass).toEqual(['1m-1', '2m-1', '3m-1', '4m-1', '5m-1', '6m-1']);
      expect(MetricAlarms.map((a) => a.MetricName).sort()).toEqual([
        'ApproximateNumberOfMessagesVisible',
        'Errors',
        ...noPass.map(() => 'PassesCompleted'),
      ]);
      for (const alarm of MetricAlarms) {
        expect(alarm.AlarmActions).toEqual([stack().topics.critical]);
        expect(alarm.OKActions).toEqual([stack().topics.critical]);
      }
      const invokeConfig = await aws.lambda.send(
        new GetFunctionEventInvokeConfigCommand({ FunctionName: functionName() }),
      );
      expect(invokeConfig.MaximumRetryAttempts).toBe(2);
      const dlqArn = invokeConfig.DestinationConfig!.OnFailure!.Destination!;
      const dlqUrl = `${emulator.endpoint}/${dlqArn.split(':')[4]}/${dlqArn.split(':')[5]}`;
      const { Attributes } = await aws.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['All'] }),
      );
      expect(Attributes).toMatchObject({
        QueueArn: dlqArn,
        MessageRetentionPeriod: '1209600',
        SqsManagedSseEnabled: 'true',
      });
      const dlqAlarm = MetricAlarms.find((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible')!;
      expect(dlqAlarm.Dimensions).toEqual([{ Name: 'QueueName', Value: dlqArn.split(':')[5] }]);
    });
  });

  describe('schedules fired as EventBridge would: who received what', () => {
    test('an outage with default routing (warning → email, critical → SMS and email), then its recovery reaching everyone the outage reached', async () => {
      const site = sites.outage;
      expect(await passOk('1m-1')).toEqual([]);
      site.answer({ status: 500 }, '/c');
      const warning = await passOk('1m-1');
      expect(warning).toEqual([
        expect.objectContaining({ topic: 'warning', receivers: EMAIL_ONLY, channels: ['email'] }),
      ]);
      expect(warning[0]!.email).toContain('[url-down]');
      site.answer({ status: 500 });
      const outage = await passOk('1m-1');
      expect(outage).toEqual([
        expect.objectContaining({ topic: 'critical', receivers: EVERYONE, channels: ['sms', 'email'] }),
      ]);
      expect(outage[0]!.email).toContain('[origin-outage]');
      expect(outage[0]!.subject).toMatch(/^\[CRIT\] /);
      expect(outage[0]!.sms!.length).toBeLessThanOrEqual(160);
      site.healthy();
      const recovery = await passOk('1m-1');
      expect(recovery).toEqual([expect.objectContaining({ topic: 'info', receivers: EVERYONE })]);
      expect(recovery[0]!.email).toContain('[recovered]');
      // The property: whoever was told of the incident is told it is over.
      expect(recovery[0]!.receivers).toEqual([...new Set([...warning, ...outage].flatMap((n) => n.receivers))].sort());
    });

    test('a site routed critical → email only: its outage and its recovery reach the addresses, no phone', async () => {
      const site = sites.emailOnly;
      site.answer({ status: 500 });
      const outage = await passOk('6m-1');
      expect(outage).toEqual([
        expect.objectContaining({ topic: 'critical', receivers: EMAIL_ONLY, channels: ['email'] }),
      ]);
      site.healthy();
      const recovery = await passOk('6m-1');
      expect(recovery).toEqual([
        expect.objectContaining({ topic: 'info', receivers: EMAIL_ONLY, channels: ['email'] }),
      ]);
    });

    test('a robots.txt outage: critical, by SMS and email, then its recovery to the same people', async () => {
      const site = sites.robots;
      expect(await passOk('2m-1')).toEqual([]);
      site.answer({ status: 503 }, '/robots.txt');
      const down = await passOk('2m-1');
      expect(down).toEqual([expect.objectContaining({ topic: 'critical', receivers: EVERYONE })]);
      expect(down[0]!.email).toContain('[robots-unreachable]');
      site.healthy();
      const up = await passOk('2m-1');
      expect(up).toEqual([expect.objectContaining({ topic: 'info', receivers: EVERYONE })]);
      expect(up[0]!.email).toContain('[recovered]');
    });

    test('two invocations of one shard at once: both complete, and the outage is notified once', async () => {
      const site = sites.concurrent;
      site.answer({ status: 500, together: 2 }, '/');
      const before = (await emulator.deliveries()).length;
      const invocations = await Promise.all([deployment.fire('3m-1'), deployment.fire('3m-1')]);
      for (const invocation of invocations) expect(invocation.error).toBeUndefined();
      // Each pass's request was held until the other's arrived: the two passes overlapped.
      expect(site.requests).toEqual(['/', '/']);
      const received = await deployment.received(before);
      expect(received).toEqual([expect.objectContaining({ topic: 'critical', receivers: EVERYONE })]);
      site.healthy();
      expect(await passOk('3m-1')).toEqual([expect.objectContaining({ topic: 'info', receivers: EVERYONE })]);
    });

    test('a permanent publish failure fails the invocation after the pass is saved; the alert goes out once SNS takes it', async () => {
      const site = sites.failure;
      site.answer({ status: 500 });
      await emulator.failPublish(stack().topics.critical, 'AuthorizationError');
      const failed = await deployment.pass('5m-1').finally(() => emulator.clearPublishFault());
      expect(failed.invocation.ok).toBe(false);
      expect(failed.invocation.error).toEqual({
        errorType: 'AlertDeliveryFailedError',
        errorMessage: expect.stringContaining('AuthorizationError'),
      });
      expect(failed.received).toEqual([]);
      // Saved before the invocation failed: the pass logged, its history written, the alert pending in the state.
      expect(failed.invocation.logs).toContainEqual(
        expect.objectContaining({ message: 'pass complete', shardId: '5m-1', pendingAlerts: 2 }),
      );
      const history = await deployment.store().history('5m-1', Date.now() - 3_600_000, Date.now() + 60_000);
      expect(history.map((h) => h.url)).toEqual([`${site.origin}/`]);
      const saved = (await deployment.store().loadStates([site.origin])).get(site.origin)!;
      expect(saved.state.outbox.map((e) => e.event.tier).sort()).toEqual(['origin-outage', 'url-down']);

      const retried = await passOk('5m-1');
      expect(retried).toEqual([expect.objectContaining({ topic: 'critical', receivers: EVERYONE })]);
      expect(retried[0]!.email).toContain('[origin-outage]');
      expect(retried[0]!.email).toContain('[url-down]');
      site.healthy();
      expect(await passOk('5m-1')).toEqual([expect.objectContaining({ topic: 'info', receivers: EVERYONE })]);
    });

    test('the SMS budget spent: the rest comes by email only, saying so', async () => {
      const site = sites.budget;
      let byEmailOnly: Received | undefined;
      for (let outages = 0; outages <= SMS_PER_DAY && !byEmailOnly; outages += 1) {
        site.answer({ status: 500 });
        const [outage, ...more] = await passOk('4m-1');
        expect(more).toEqual([]);
        if (!outage!.receivers.some((r) => r.startsWith('sms:'))) byEmailOnly = outage;
        site.healthy();
        await passOk('4m-1');
      }
      expect(byEmailOnly).toMatchObject({ topic: 'critical', receivers: EMAIL_ONLY, channels: ['email'] });
      expect(byEmailOnly!.email).toContain(`The SMS budget (${SMS_PER_DAY} texts per day across all sites) is spent`);
      // The budget counts texts: a notification to both phones is two (this deployment's earlier scenarios count too).
      const texts = (await deployment.received()).flatMap((n) => n.receivers.filter((r) => r.startsWith('sms:')));
      expect(texts).toHaveLength(SMS_PER_DAY);
    });

    test('the status page: published to the report bucket that the distribution serves', async () => {
      const page = await aws.s3.send(new GetObjectCommand({ Bucket: stack().bucket, Key: 'index.html' }));
      expect(page).toMatchObject({ ContentType: 'text/html; charset=utf-8', CacheControl: 'max-age=60' });
      const html = await page.Body!.transformToString();
      expect(html).toMatch(/^<!doctype html>/i);
      for (const site of Object.values(sites)) expect(html).toContain(site.origin.replace('http://', ''));
      const { Distribution } = await aws.cloudfront.send(
        new GetDistributionCommand({ Id: deployment.physicalOf('AWS::CloudFront::Distribution') }),
      );
      expect(Distribution!.DistributionConfig).toMatchObject({ DefaultRootObject: 'index.html' });
      expect(Distribution!.DistributionConfig!.Origins!.Items!.map((o) => o.DomainName)).toEqual([
        `${stack().bucket}.s3.us-east-1.amazonaws.com`,
      ]);
      expect(stack().outputs.ReportUrl).toBe(`https://${Distribution!.DomainName}/`);
    });
  });

  describe('a redeploy with a changed monitors.yaml, then cdk destroy', () => {
    test('a URL added, an interval changed, a site removed: schedules and alarms follow; the table and its data survive', async () => {
      const first = stack();
      const before = await deployment.scanTable();
      expect(before.size).toBeGreaterThan(20);
      writeFileSync(CONFIG, secondConfig(sites));
      await deploy(CONFIG, emulator.env);
      const redeployed = await deployment.read();
      expect(redeployed.table).toBe(first.table);
      const items = await deployment.scanTable();
      for (const [key, item] of before) expect([key, items.get(key)]).toEqual([key, item]);

      const deployed = await deployment.schedules();
      expect(deployed.map((s) => [s.shardId, s.ScheduleExpression]).sort()).toEqual([
        ['10m-1', 'rate(10 minutes)'],
        ['1m-1', 'rate(1 minute)'],
        ['3m-1', 'rate(3 minutes)'],
        ['4m-1', 'rate(4 minutes)'],
        ['6m-1', 'rate(6 minutes)'],
      ]);
      for (const s of deployed)
        expect(s.Target).toMatchObject({
          Arn: redeployed.fn.FunctionArn,
          Input: JSON.stringify({ shardId: s.shardId }),
        });
      const { MetricAlarms = [] } = await aws.cloudwatch.send(new DescribeAlarmsCommand({}));
      expect(
        MetricAlarms.filter((a) => a.MetricName === 'PassesCompleted')
          .map((a) => a.Dimensions![0]!.Value)
          .sort(),
      ).toEqual(['10m-1', '1m-1', '3m-1', '4m-1', '6m-1']);
      // The longest interval is now 10 minutes; the new config is compiled into a new package.
      expect(redeployed.fn.Timeout).toBe(600);
      expect(redeployed.fn.CodeSha256).not.toBe(first.fn.CodeSha256);

      const asked = sites.outage.requests.length;
      expect(await passOk('1m-1')).toEqual([]);
      expect(sites.outage.requests.slice(asked).sort()).toEqual(['/', '/a', '/b', '/c', '/d']);
      expect(await passOk('10m-1')).toEqual([]);
      const removed = await invoke(await deployment.package(functionName()), { shardId: '5m-1' }, emulator.env);
      expect(removed.error?.errorMessage).toMatch(/unknown shard "5m-1"/);
    });

    test('cdk destroy removes the stack and keeps the table and its data (RETAIN), the report bucket and the KMS key', async () => {
      const before = await deployment.scanTable();
      await destroy(CONFIG, emulator.env);
      await expect(aws.cloudformation.send(new DescribeStacksCommand({ StackName: STACK }))).rejects.toThrow(
        /does not exist/,
      );
      expect(await deployment.scanTable()).toEqual(before);
      await expect(aws.lambda.send(new GetFunctionCommand({ FunctionName: functionName() }))).rejects.toThrow(
        /not found/i,
      );
      expect((await aws.scheduler.send(new ListSchedulesCommand({}))).Schedules).toEqual([]);
      await expect(
        aws.sns.send(new GetTopicAttributesCommand({ TopicArn: stack().topics.critical })),
      ).rejects.toThrow();
      expect(
        (await aws.s3.send(new HeadObjectCommand({ Bucket: stack().bucket, Key: 'index.html' }))).ContentType,
      ).toBe('text/html; charset=utf-8');
      const key = deployment.physicalOf('AWS::KMS::Key');
      expect((await aws.kms.send(new DescribeKeyCommand({ KeyId: key }))).KeyMetadata).toMatchObject({
        Enabled: true,
        KeyState: 'Enabled',
      });
    });
  });
});
