/**
 * "Every resource created": moto marks a stack complete even when a resource threw, and skips types it does
 * not know (toolchain notes). So each resource of the deployed template is looked up through its own
 * service's API, by the physical id CloudFormation reports. A type with no lookup here fails the test.
 */
import { DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { GetDistributionCommand, GetOriginAccessControlCommand } from '@aws-sdk/client-cloudfront';
import { DescribeAlarmsCommand, GetDashboardCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { GetFunctionCommand, GetFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { GetBucketPolicyCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetScheduleCommand } from '@aws-sdk/client-scheduler';
import { GetSubscriptionAttributesCommand, GetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { AwsClients } from './clients';

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

type Lookup = (aws: AwsClients, physicalId: string, resource: TemplateResource) => Promise<unknown>;

/** A policy's statements as effect and actions: the template's resources and conditions are unresolved intrinsics. */
const policyOf = (document: unknown) =>
  JSON.stringify(
    (document as { Statement: { Effect: string; Action: unknown }[] }).Statement.map((s) => [s.Effect, s.Action]),
  );

/** Each returns what the service says about the resource, or throws when it does not know it. */
const LOOKUPS: Record<string, Lookup | 'nothing to look up'> = {
  'AWS::DynamoDB::GlobalTable': (aws, id) => aws.dynamodb.send(new DescribeTableCommand({ TableName: id })),
  'AWS::KMS::Key': (aws, id) => aws.kms.send(new DescribeKeyCommand({ KeyId: id })),
  'AWS::SNS::Topic': (aws, id) => aws.sns.send(new GetTopicAttributesCommand({ TopicArn: id })),
  'AWS::SNS::Subscription': (aws, id) => aws.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: id })),
  'AWS::SNS::TopicPolicy': async (aws, _id, resource) => {
    for (const topic of resource.Properties!.Topics as string[]) {
      const { Attributes } = await aws.sns.send(new GetTopicAttributesCommand({ TopicArn: topic }));
      if (policyOf(JSON.parse(Attributes!.Policy!)) !== policyOf(resource.Properties!.PolicyDocument))
        throw new Error(`${topic} lacks the policy`);
    }
  },
  'AWS::SQS::Queue': (aws, id) =>
    aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: id, AttributeNames: ['All'] })),
  'AWS::SQS::QueuePolicy': async (aws, _id, resource) => {
    for (const url of resource.Properties!.Queues as string[]) {
      const { Attributes } = await aws.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] }),
      );
      if (policyOf(JSON.parse(Attributes!.Policy!)) !== policyOf(resource.Properties!.PolicyDocument))
        throw new Error(`${url} lacks the policy`);
    }
  },
  'AWS::Logs::LogGroup': async (aws, id) => {
    const { logGroups } = await aws.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: id }));
    if (!logGroups?.some((g) => g.logGroupName === id)) throw new Error(`no log group ${id}`);
  },
  'AWS::IAM::Role': (aws, id) => aws.iam.send(new GetRoleCommand({ RoleName: id })),
  // An inline policy: found by its PolicyName on each of its roles.
  'AWS::IAM::Policy': async (aws, _id, resource) => {
    const name = resource.Properties!.PolicyName as string;
    for (const role of resource.Properties!.Roles as string[])
      await aws.iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: name }));
  },
  'AWS::Lambda::Function': (aws, id) => aws.lambda.send(new GetFunctionCommand({ FunctionName: id })),
  'AWS::Lambda::EventInvokeConfig': (aws, _id, resource) =>
    aws.lambda.send(
      new GetFunctionEventInvokeConfigCommand({ FunctionName: resource.Properties!.FunctionName as string }),
    ),
  'AWS::Scheduler::Schedule': (aws, id) => aws.scheduler.send(new GetScheduleCommand({ Name: id })),
  'AWS::S3::Bucket': (aws, id) => aws.s3.send(new HeadBucketCommand({ Bucket: id })),
  'AWS::S3::BucketPolicy': (aws, _id, resource) =>
    aws.s3.send(new GetBucketPolicyCommand({ Bucket: resource.Properties!.Bucket as string })),
  'AWS::CloudFront::OriginAccessControl': (aws, id) =>
    aws.cloudfront.send(new GetOriginAccessControlCommand({ Id: id })),
  'AWS::CloudFront::Distribution': (aws, id) => aws.cloudfront.send(new GetDistributionCommand({ Id: id })),
  'AWS::CloudWatch::Alarm': async (aws, id) => {
    const { MetricAlarms } = await aws.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [id] }));
    if (MetricAlarms?.length !== 1) throw new Error(`no alarm ${id}`);
  },
  'AWS::CloudWatch::Dashboard': (aws, id) => aws.cloudwatch.send(new GetDashboardCommand({ DashboardName: id })),
  // CDK's version report: CloudFormation accepts it and creates nothing.
  'AWS::CDK::Metadata': 'nothing to look up',
};

export interface Missing {
  logicalId: string;
  type: string;
  why: string;
}

/** Resources of the template that the emulator's services do not know (empty: all were created). */
export async function missingResources(
  aws: AwsClients,
  stackName: string,
  template: { Resources: Record<string, TemplateResource> },
): Promise<Missing[]> {
  const { StackResources: listed = [] } = await aws.cloudformation.send(
    new DescribeStackResourcesCommand({ StackName: stackName }),
  );
  const physical = new Map(listed.map((r) => [r.LogicalResourceId!, r.PhysicalResourceId]));
  const resolved = resolveRefs(template.Resources, physical);
  const missing: Missing[] = [];
  for (const [logicalId, resource] of Object.entries(resolved)) {
    const lookup = LOOKUPS[resource.Type];
    const id = physical.get(logicalId);
    if (!lookup)
      missing.push({ logicalId, type: resource.Type, why: 'no lookup for this type in test/aws/resources.ts' });
    else if (!id) missing.push({ logicalId, type: resource.Type, why: 'CloudFormation lists no physical id' });
    else if (lookup !== 'nothing to look up') {
      await lookup(aws, id, resource).catch((error: Error) =>
        missing.push({ logicalId, type: resource.Type, why: `${error.name}: ${error.message}` }),
      );
    }
  }
  return missing;
}

/** The template's own `Ref`s replaced by the physical ids (enough for the properties the lookups read). */
function resolveRefs(resources: Record<string, TemplateResource>, physical: Map<string, string | undefined>) {
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === 'object') {
      const ref = (value as { Ref?: string }).Ref;
      if (typeof ref === 'string' && physical.has(ref)) return physical.get(ref);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    }
    return value;
  };
  return resolve(resources) as Record<string, TemplateResource>;
}
