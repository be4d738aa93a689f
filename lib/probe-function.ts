/**
 * The probe function: Node.js 22 on arm64, bundled by the local esbuild (never Docker), with the
 * validated config compiled in, failed async invocations kept in an SQS dead-letter queue.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { MonitorsConfig } from '../lambdas/core/config/types';

/** Lambda's ceiling is 15 minutes; a pass's budget is 90% of its interval (lambdas/core/pass/budget.ts). */
const MAX_TIMEOUT = Duration.minutes(15);

export class ProbeFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, config: MonitorsConfig) {
    super(scope, id);
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the probe function.',
    });
    // Its own role with its own log group's write permission, instead of the managed basic execution role.
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'crawlguard probe function',
    });
    logGroup.grantWrite(role);
    const longestIntervalMs = Math.max(...config.sites.map((s) => s.intervalMs));
    const timeout = Duration.millis(Math.min(longestIntervalMs, MAX_TIMEOUT.toMilliseconds()));
    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(__dirname, '..', 'lambdas', 'handlers', 'lambda.ts'),
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout,
      description: 'crawlguard: one pass over a shard of monitored URLs',
      logGroup,
      role,
      // Scheduler invokes asynchronously: Lambda retries twice (a replayed pass changes nothing), then
      // the event goes to the dead-letter queue, which has its own alarm.
      onFailure: new SqsDestination(this.deadLetters),
      retryAttempts: 2,
      bundling: {
        forceDockerBundling: false,
        minify: true,
        sourceMap: false,
        target: 'node22',
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        // CommonJS dependencies inside an ES module bundle need a require().
        banner:
          "import { createRequire as __cg_createRequire } from 'module'; const require = __cg_createRequire(import.meta.url);",
        // The Node.js 22 runtime ships AWS SDK v3; bundling it would add megabytes for nothing.
        externalModules: ['@aws-sdk/*'],
        define: { __CRAWLGUARD_CONFIG__: JSON.stringify(JSON.stringify(config)) },
      },
    });
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions::AwsSolutions-L1',
      reason:
        'The probe runs on Node.js 22, the runtime the project targets and tests; moving to 24 is a deliberate upgrade.',
    });
  }
}
