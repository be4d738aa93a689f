/**
 * The deployed stack as the emulator reports it, and what the scenarios do with it: fire a shard's schedule
 * as EventBridge Scheduler would, and see which notifications reached whom.
 */
import {
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { ScanCommand, type AttributeValue, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand, type FunctionConfiguration } from '@aws-sdk/client-lambda';
import { GetScheduleCommand, ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { DynamoStore } from '../../lambdas/adapters/store/dynamo-store';
import type { AwsClients } from './clients';
import type { Delivery, Emulator } from './emulator';
import { fetchFunction, invoke, type DeployedFunction, type Invocation } from './lambda';
import type { TemplateResource } from './resources';

export const STACK = 'Crawlguard';
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface StackView {
  outputs: Record<string, string>;
  template: { Resources: Record<string, TemplateResource> };
  /** Logical id → physical id, as CloudFormation reports them. */
  physical: Map<string, string>;
  topics: Record<Severity, string>;
  table: string;
  bucket: string;
  fn: FunctionConfiguration;
}

/** A notification as its receivers saw it: one SNS message, the topic it went to, who got it. */
export interface Received {
  topic: Severity;
  /** `email:ADDRESS` and `sms:NUMBER`, sorted. */
  receivers: string[];
  subject: string | null;
  email: string | null;
  sms: string | null;
  channels: string[];
}

export class Deployment {
  stack!: StackView;
  /** Unpacked packages by CodeSha256: fetched once, also when two invocations start together. */
  private readonly packages = new Map<string, Promise<DeployedFunction>>();

  constructor(
    readonly emulator: Emulator,
    readonly aws: AwsClients,
  ) {}

  async read(): Promise<StackView> {
    const { cloudformation, lambda } = this.aws;
    const { Stacks: [described] = [] } = await cloudformation.send(new DescribeStacksCommand({ StackName: STACK }));
    const outputs = Object.fromEntries((described?.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));
    const { TemplateBody } = await cloudformation.send(new GetTemplateCommand({ StackName: STACK }));
    const { StackResources = [] } = await cloudformation.send(new DescribeStackResourcesCommand({ StackName: STACK }));
    const physical = new Map(StackResources.map((r) => [r.LogicalResourceId!, r.PhysicalResourceId!]));
    const fnName = StackResources.find((r) => r.ResourceType === 'AWS::Lambda::Function')!.PhysicalResourceId!;
    const fn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fnName }));
    this.stack = {
      outputs,
      template: JSON.parse(TemplateBody!) as StackView['template'],
      physical,
      topics: { critical: outputs.CriticalTopicArn!, warning: outputs.WarningTopicArn!, info: outputs.InfoTopicArn! },
      table: outputs.TableName!,
      bucket: fn.Environment!.Variables!.CRAWLGUARD_REPORT_BUCKET!,
      fn,
    };
    return this.stack;
  }

  /** The physical id of the stack's one resource of `type`. */
  physicalOf(type: string): string {
    const [logicalId, ...more] = Object.keys(this.stack.template.Resources).filter(
      (id) => this.stack.template.Resources[id]!.Type === type,
    );
    if (!logicalId || more.length > 0) throw new Error(`expected one ${type} in the template`);
    return this.stack.physical.get(logicalId)!;
  }

  /** The deployed schedules, with the shard each one's Input names. */
  async schedules() {
    const { Schedules = [] } = await this.aws.scheduler.send(new ListSchedulesCommand({}));
    return Promise.all(
      Schedules.map(async ({ Name }) => {
        const schedule = await this.aws.scheduler.send(new GetScheduleCommand({ Name }));
        return { ...schedule, shardId: (JSON.parse(schedule.Target!.Input!) as { shardId: string }).shardId };
      }),
    );
  }

  /** The deployed package of a function, unpacked. */
  package(name: string): Promise<DeployedFunction> {
    return this.aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name })).then(({ CodeSha256 }) => {
      if (!this.packages.has(CodeSha256!)) this.packages.set(CodeSha256!, fetchFunction(this.aws.lambda, name));
      return this.packages.get(CodeSha256!)!;
    });
  }

  /** Fires the schedule of `shardId` as EventBridge Scheduler would: its target function, its Input. */
  async fire(shardId: string): Promise<Invocation> {
    const schedule = (await this.schedules()).find((s) => s.shardId === shardId);
    if (!schedule) throw new Error(`no schedule for shard ${shardId}`);
    const fn = await this.package(schedule.Target!.Arn!.split(':').pop()!);
    return invoke(fn, JSON.parse(schedule.Target!.Input!), this.emulator.env);
  }

  /** The notifications delivered to email and SMS subscribers after the `since`-th delivery. */
  async received(since = 0): Promise<Received[]> {
    const byMessage = new Map<string, Delivery[]>();
    for (const d of (await this.emulator.deliveries()).slice(since))
      byMessage.set(d.messageId, [...(byMessage.get(d.messageId) ?? []), d]);
    return [...byMessage.values()].map((copies) => ({
      topic: SEVERITIES.find((s) => this.stack.topics[s] === copies[0]!.topicArn)!,
      receivers: copies.map((d) => `${d.protocol}:${d.endpoint}`).sort(),
      subject: copies.find((d) => d.protocol === 'email')?.subject ?? null,
      email: copies.find((d) => d.protocol === 'email')?.message ?? null,
      sms: copies.find((d) => d.protocol === 'sms')?.message ?? null,
      channels: JSON.parse(copies[0]!.messageAttributes.channels?.Value ?? '[]') as string[],
    }));
  }

  /** Fires a shard; the invocation and the notifications it caused. */
  async pass(shardId: string): Promise<{ invocation: Invocation; received: Received[] }> {
    const since = (await this.emulator.deliveries()).length;
    const invocation = await this.fire(shardId);
    return { invocation, received: await this.received(since) };
  }

  /** The project's own store adapter on the deployed table. */
  store(): DynamoStore {
    return new DynamoStore({ client: this.aws.dynamodb, tableName: this.stack.table, retentionMs: 30 * 86_400_000 });
  }

  /** Every item of the table, by key. */
  async scanTable(): Promise<Map<string, string>> {
    const items = new Map<string, string>();
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const page: ScanCommandOutput = await this.aws.dynamodb.send(
        new ScanCommand({ TableName: this.stack.table, ExclusiveStartKey }),
      );
      for (const item of page.Items ?? []) items.set(`${item.pk!.S}|${item.sk!.S}`, JSON.stringify(item));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }
}
