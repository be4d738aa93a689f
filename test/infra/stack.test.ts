/** The CDK stack through synth and aws-cdk-lib/assertions (no AWS account, no network, no bundling). */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { synth } from '../support/synth';

const BASE = `version: 1
alerts:
  email: [ops@example.com, dev@example.com]
  sms: ["+15555550100"]
sites:
  - origin: https://www.example.com
    urls: [/, /pricing]
  - origin: https://blog.example.com
    interval: 1h
`;

const sites = (count: number, urlsEach: number) =>
  `version: 1\nsites:\n${Array.from(
    { length: count },
    (_, i) =>
      `  - origin: https://site${i}.example\n    urls: [${Array.from({ length: urlsEach }, (_, j) => `/p${j}`).join(', ')}]`,
  ).join('\n')}\n`;

let template: Template;
beforeAll(() => {
  template = synth(BASE);
});

const ref = (logicalIdPrefix: string) => Match.objectLike({ Ref: Match.stringLikeRegexp(`^${logicalIdPrefix}`) });

test('one on-demand table with the store layout keys, TTL on expiresAt, point-in-time recovery, retained', () => {
  template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
  template.hasResource('AWS::DynamoDB::GlobalTable', {
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: Match.objectLike({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    }),
  });
});

test('the probe function: Node.js 22 on arm64, its table and topics in the environment, failures to a DLQ', () => {
  template.hasResourceProperties('AWS::Lambda::Function', {
    Runtime: 'nodejs22.x',
    Architectures: ['arm64'],
    Handler: 'index.handler',
    Timeout: 900, // the longest interval (1h), capped at Lambda's 15 minutes
    Environment: {
      Variables: {
        CRAWLGUARD_TABLE: ref('StoreTable'),
        CRAWLGUARD_TOPIC_ARN_CRITICAL: ref('AlertsCritical'),
        CRAWLGUARD_TOPIC_ARN_WARNING: ref('AlertsWarning'),
        CRAWLGUARD_TOPIC_ARN_INFO: ref('AlertsInfo'),
      },
    },
  });
  template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
    MaximumRetryAttempts: 2,
    DestinationConfig: {
      OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProbeDeadLetters'), 'Arn'] } },
    },
  });
});

test('least privilege: the table with exactly the calls the store makes, publish to its topics, its own log group', () => {
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [ref('ProbeRole')] } });
  const statements = Object.values(policies).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties.PolicyDocument
        .Statement,
  );
  const actions = (s: Record<string, unknown>) => [s.Action].flat() as string[];
  // IAM reads a statement's actions and resources as sets (and @aws-cdk/aws-iam:minimizePolicies sorts and merges them).
  const store = statements.find((s) => actions(s).includes('dynamodb:PutItem'));
  expect(store).toEqual({
    Effect: 'Allow',
    Action: expect.any(Array),
    Resource: { 'Fn::GetAtt': [expect.stringMatching(/^StoreTable/), 'Arn'] },
  });
  expect(actions(store!).sort()).toEqual([
    'dynamodb:BatchGetItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:Query',
    'dynamodb:UpdateItem',
  ]);
  const published = statements.filter((s) => actions(s).includes('sns:Publish')).flatMap((s) => [s.Resource].flat());
  expect(published).toHaveLength(3);
  expect(published).toEqual(
    expect.arrayContaining(
      ['AlertsCritical', 'AlertsWarning', 'AlertsInfo'].map((id) => ({
        Ref: expect.stringMatching(new RegExp(`^${id}`)),
      })),
    ),
  );
  // No statement of the function may name every resource.
  expect(statements.filter((s) => [s.Resource].flat().includes('*'))).toEqual([]);
  template.resourcePropertiesCountIs('AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() }, 0);
});

test('three encrypted topics; subscriptions filter on the channels attribute, alarms (no attribute) pass', () => {
  template.resourceCountIs('AWS::SNS::Topic', 3);
  template.allResourcesProperties('AWS::SNS::Topic', {
    KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertsKey'), 'Arn'] },
  });
  template.hasResourceProperties('AWS::KMS::Key', {
    EnableKeyRotation: true,
    KeyPolicy: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        }),
      ]),
    },
  });
  // Every recipient on every topic: routing is carried by the channels attribute, not by subscriptions
  // (alert-routing.test.ts proves who receives what); 2 addresses and 1 number on each of 3 topics.
  template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email' }, 6);
  template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'sms' }, 3);
  for (const topic of ['AlertsCritical', 'AlertsWarning', 'AlertsInfo']) {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sms',
      Endpoint: '+15555550100',
      TopicArn: ref(topic),
      FilterPolicy: { channels: ['sms', { exists: false }] },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'dev@example.com',
      TopicArn: ref(topic),
      FilterPolicy: { channels: ['email', { exists: false }] },
    });
  }
});

test('one schedule per shard at its interval, the shard id as payload, through one role', () => {
  template.resourceCountIs('AWS::Scheduler::Schedule', 2);
  template.hasResourceProperties('AWS::Scheduler::Schedule', {
    ScheduleExpression: 'rate(5 minutes)',
    State: 'ENABLED',
    Target: Match.objectLike({
      Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProbeFunction'), 'Arn'] },
      Input: '{"shardId":"5m-1"}',
      RetryPolicy: { MaximumRetryAttempts: 0 },
    }),
  });
  template.hasResourceProperties('AWS::Scheduler::Schedule', {
    ScheduleExpression: 'rate(1 hour)',
    Target: Match.objectLike({ Input: '{"shardId":"1h-1"}' }),
  });
  template.resourcePropertiesCountIs(
    'AWS::IAM::Role',
    {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })],
      },
    },
    1,
  );
});

test.each([
  ['1 URL', 1, 'version: 1\nsites:\n  - origin: https://a.example\n'],
  ['600 URLs', 2, sites(60, 10)],
  ['5,000 URLs', 12, sites(500, 10)],
])('%s synthesize into %i schedules, each with its no-pass alarm', (_name, schedules, yaml) => {
  const t = synth(yaml);
  t.resourceCountIs('AWS::Scheduler::Schedule', schedules);
  t.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'PassesCompleted' }, schedules);
});

test('self-monitoring: errors, missed passes (3 intervals) and dead letters alarm on the critical topic', () => {
  const critical = [{ Ref: Match.stringLikeRegexp('^AlertsCritical') }];
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'Errors',
    Namespace: 'AWS/Lambda',
    Threshold: 1,
    AlarmActions: critical,
    OKActions: critical,
  });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    Namespace: 'Crawlguard',
    MetricName: 'PassesCompleted',
    Dimensions: [{ Name: 'Shard', Value: '5m-1' }],
    Period: 900,
    ComparisonOperator: 'LessThanThreshold',
    Threshold: 1,
    TreatMissingData: 'breaching',
    AlarmActions: critical,
  });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    Dimensions: [{ Name: 'Shard', Value: '1h-1' }],
    Period: 10_800,
  });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'ApproximateNumberOfMessagesVisible',
    AlarmActions: critical,
  });
  template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
});

test('outputs: table name, topic ARNs, dashboard URL, report URL', () => {
  for (const name of ['TableName', 'CriticalTopicArn', 'WarningTopicArn', 'InfoTopicArn', 'DashboardUrl', 'ReportUrl'])
    template.hasOutput(name, {});
});

test('the status page: a private bucket, CloudFront with origin access control, the function may write index.html only', () => {
  template.hasResourceProperties('AWS::S3::Bucket', {
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    },
    BucketEncryption: {
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    },
  });
  template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
  template.hasResourceProperties('AWS::CloudFront::Distribution', {
    DistributionConfig: Match.objectLike({
      DefaultRootObject: 'index.html',
      DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
      Origins: [
        Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: { OriginAccessIdentity: '' } }),
      ],
    }),
  });
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [ref('ProbeRole')] } });
  const statements = Object.values(policies).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } } }).Properties
        .PolicyDocument.Statement,
  );
  expect(statements.filter((s) => [s.Action].flat().some((a) => String(a).startsWith('s3:')))).toEqual([
    {
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: {
        'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^ReportBucket/), 'Arn'] }, '/index.html']],
      },
    },
  ]);
});

test('report: off leaves the page out', () => {
  const t = synth('version: 1\nreport: { every: off }\nsites:\n  - origin: https://a.example\n');
  t.resourceCountIs('AWS::S3::Bucket', 0);
  t.resourceCountIs('AWS::CloudFront::Distribution', 0);
});
