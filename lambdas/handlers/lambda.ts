/**
 * The Lambda entry point. EventBridge Scheduler invokes it with `{"shardId": "5m-1"}`; it runs that
 * shard's pass and logs one summary line (which is also the pass's metrics). The validated monitors.yaml
 * is bundled in at synth; the table and topics come from the environment, read once at cold start.
 */
import { EnvError, requireEnv, topicsFromEnv } from '../adapters/env';
import { createProber } from '../adapters/http/prober';
import { SnsNotifier } from '../adapters/notify/sns-notifier';
import { createDynamoClient } from '../adapters/store/dynamo-client';
import { DynamoStore } from '../adapters/store/dynamo-store';
import { emf, logJson } from '../adapters/telemetry';
import { planShards, shardConfig } from '../core/config/shards';
import { ReportBucket } from '../adapters/report-bucket';
import { reportFromStore } from './report';
import type { MonitorsConfig } from '../core/config/types';
import { RobotsReader } from '../core/robots/reading';
import { runPass, summarize, type PassDeps, type PassSummary } from './pass';

/** Set by esbuild at synth (lib/probe-function.ts): the validated config as JSON. */
declare const __CRAWLGUARD_CONFIG__: string | undefined;

export interface ShardEvent {
  shardId: string;
}

interface ColdStart {
  config: MonitorsConfig;
  deps: PassDeps;
  /** Set when the stack has a report bucket (CRAWLGUARD_REPORT_BUCKET). */
  reportBucket: ReportBucket | null;
}

let cold: ColdStart | undefined;

function coldStart(env: NodeJS.ProcessEnv = process.env): ColdStart {
  const json =
    typeof __CRAWLGUARD_CONFIG__ === 'string' ? __CRAWLGUARD_CONFIG__ : requireEnv('CRAWLGUARD_CONFIG_JSON', env);
  const config = JSON.parse(json) as MonitorsConfig;
  const topics = topicsFromEnv(env);
  if (!topics)
    throw new EnvError(
      'CRAWLGUARD_TOPIC_ARN_CRITICAL (or CRAWLGUARD_TOPIC_ARN) is not set: the crawlguard stack sets the topic ARNs on the function',
    );
  // CRAWLGUARD_DYNAMODB_ENDPOINT is for running the handler against a local DynamoDB (tests); unset in AWS.
  const dynamo = createDynamoClient({ endpoint: env.CRAWLGUARD_DYNAMODB_ENDPOINT || undefined });
  const store = new DynamoStore({
    client: dynamo,
    tableName: requireEnv('CRAWLGUARD_TABLE', env),
    retentionMs: config.history.retentionMs,
  });
  const notifier = new SnsNotifier({ client: (sdk) => new sdk.SNSClient({ maxAttempts: 1 }), topics });
  const prober = createProber({
    concurrency: config.limits.concurrency,
    perOriginConcurrency: config.limits.perOriginConcurrency,
  });
  const bucket = env.CRAWLGUARD_REPORT_BUCKET?.trim();
  const reportBucket = bucket ? new ReportBucket(bucket, (sdk) => new sdk.S3Client({})) : null;
  return { config, deps: { prober, store, notifier, robots: new RobotsReader() }, reportBucket };
}

/**
 * After a pass, one invocation in `report.every` republishes the status page. Its failure is logged,
 * not thrown: the pass and its alerts are done, and the page is republished by a later pass.
 */
async function publishReport(run: ColdStart): Promise<void> {
  const everyMs = run.config.report.everyMs;
  if (!run.reportBucket || everyMs === null) return;
  const nowMs = Date.now();
  try {
    if (!(await run.deps.store.claimReport(new Date(nowMs).toISOString(), everyMs))) return;
    const { html } = await reportFromStore(
      run.deps.store,
      run.config,
      planShards(run.config).map((s) => s.id),
      nowMs,
    );
    await run.reportBucket.publish(html);
    logJson('INFO', 'report published', { bytes: html.length });
  } catch (error) {
    logJson('ERROR', 'report not published', { error: (error as Error).message });
  }
}

/** Thrown after the pass is saved and logged, so the invocation fails and the errors alarm fires. */
export class AlertDeliveryFailedError extends Error {
  override readonly name = 'AlertDeliveryFailedError';
}

/** Thrown after every other origin was handled and the summary logged: a write of ours failed. */
export class StoreWriteFailedError extends Error {
  override readonly name = 'StoreWriteFailedError';
}

export async function handler(event: ShardEvent): Promise<PassSummary & { shardId: string }> {
  cold ??= coldStart();
  const config = typeof event?.shardId === 'string' ? shardConfig(cold.config, event.shardId) : null;
  if (!config)
    throw new Error(
      `unknown shard ${JSON.stringify(event?.shardId)}: the schedule and the deployed config disagree; deploy again`,
    );
  const report = await runPass(cold.deps, config, { shardId: event.shardId });
  const summary = { shardId: event.shardId, ...summarize(report) };
  logJson('INFO', 'pass complete', {
    ...summary,
    ...emf(
      [
        { name: 'PassesCompleted', value: 1, unit: 'Count' },
        { name: 'Checks', value: summary.checks, unit: 'Count' },
        { name: 'Failures', value: summary.unhealthy, unit: 'Count' },
        { name: 'Events', value: summary.events, unit: 'Count' },
        { name: 'PassDurationMs', value: summary.durationMs, unit: 'Milliseconds' },
        // Per shard only what the no-pass alarm needs; the rest as totals.
      ],
      { Shard: event.shardId },
      ['PassesCompleted'],
      Date.now(),
    ),
  });
  // Failures per origin for the dashboard: a line per failing origin only (a healthy pass logs one line).
  const failing = new Map<string, number>();
  for (const r of report.results) if (r.outcome !== 'ok') failing.set(r.origin, (failing.get(r.origin) ?? 0) + 1);
  for (const [origin, count] of failing)
    logJson(
      'WARN',
      'origin failures',
      emf(
        [{ name: 'OriginFailures', value: count, unit: 'Count' }],
        { Origin: origin },
        ['OriginFailures'],
        Date.now(),
      ),
    );
  await publishReport(cold);
  const permanent = summary.deliveryFailures.filter((f) => f.permanent);
  if (permanent.length > 0)
    throw new AlertDeliveryFailedError(`alerts not delivered: ${permanent.map((f) => f.message).join('; ')}`);
  if (summary.storeFailures.length > 0)
    throw new StoreWriteFailedError(
      `not saved: ${summary.storeFailures.map((f) => `${f.origin ?? 'history'}: ${f.message}`).join('; ')}`,
    );
  return summary;
}

/** For tests: forget the cold start so a changed environment is read again. */
export function resetColdStart(): void {
  cold = undefined;
}
