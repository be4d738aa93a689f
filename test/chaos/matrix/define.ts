/**
 * The fault matrix (issue "Alerts you can trust", part 5): every shape crossed with every fault. Four
 * passes per cell, 5 minutes apart: healthy, failing (the fault strikes here), failing (SNS and DynamoDB
 * faults last through it), healthy (recoveries; whatever was pending goes out). For every cell, against the same passes without a fault:
 * - no event lost: the event log holds exactly the events of the fault-free run, and every event that
 *   run notified was notified;
 * - none duplicated beyond the documented window: each notified event was published once, or at most
 *   twice when the process died after SNS accepted it and before it was marked sent (README, "The
 *   delivery guarantee");
 * - none raised that the checks do not support: no event id outside the fault-free run's;
 * - nothing left pending once the faults are over.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { createProber, type ProbeOutput } from '../../../lambdas/adapters/http/prober';
import type { Resolver } from '../../../lambdas/adapters/http/ssrf';
import { SnsNotifier } from '../../../lambdas/adapters/notify/sns-notifier';
import { DynamoStore } from '../../../lambdas/adapters/store/dynamo-store';
import { loadMonitorsConfig } from '../../../lambdas/adapters/config-file';
import type { MonitorsConfig } from '../../../lambdas/core/config/types';
import { targetsOf } from '../../../lambdas/core/probe/targets';
import { passExitStatus } from '../../../lambdas/handlers/cli/commands/check';
import { runPass, type PassReport } from '../../../lambdas/handlers/pass';
import { startSite, type RunningSite } from '../../../demo/site';
import { tempDir, tempStore } from '../../support/store';
import { byTarget, Killed, Process, Recorder, replayProber, type KillPoint } from './harness';
import { OTHER_HOST, otherRespond, type Phase, type Shape } from './shapes';

const sns = mockClient(SNSClient);
const TOPICS = {
  critical: 'arn:aws:sns:us-east-1:123456789012:critical',
  warning: 'arn:aws:sns:us-east-1:123456789012:warning',
  info: 'arn:aws:sns:us-east-1:123456789012:info',
};
const PHASES: Phase[] = ['healthy', 'failing', 'failing', 'healthy'];
const FAULT_PASS = 1;
const passAt = (i: number) => Date.UTC(2026, 11, 1, 9, 5 * i);
const loopback: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];

type Fault =
  | { kind: 'none' }
  | { kind: 'sns'; how: 'throttled' | '5xx' | 'permanent' }
  | { kind: 'dynamodb-throttling' }
  | { kind: 'kill'; at: KillPoint }
  | { kind: 'concurrent' };

const FAULTS: [string, Fault][] = [
  ['SNS throttling the critical topic only', { kind: 'sns', how: 'throttled' }],
  ['SNS answering 5xx on the critical topic only', { kind: 'sns', how: '5xx' }],
  ['SNS refusing the critical topic for good (until it is fixed)', { kind: 'sns', how: 'permanent' }],
  ['DynamoDB throttling', { kind: 'dynamodb-throttling' }],
  ['killed after the state is saved', { kind: 'kill', at: 'state saved' }],
  ['killed after the events are logged', { kind: 'kill', at: 'event logged' }],
  ['killed after SNS accepted, before the mark', { kind: 'kill', at: 'published' }],
  ['killed after the mark, before the outbox is cleared', { kind: 'kill', at: 'marked sent' }],
  ['two invocations of the shard at once', { kind: 'concurrent' }],
];

const SNS_ERRORS = {
  throttled: () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' }),
  '5xx': () =>
    Object.assign(new Error('We encountered an internal error'), {
      name: 'InternalErrorException',
      $metadata: { httpStatusCode: 500 },
    }),
  permanent: () =>
    Object.assign(new Error('User is not authorized to perform: SNS:Publish'), { name: 'AuthorizationErrorException' }),
};

/** While `on()`, fails every 7th DynamoDB call with throttling, below the SDK's retry step (the SDK retries it). */
function throttle(client: DynamoDBClient, on: () => boolean): void {
  let calls = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      calls += 1;
      if (on() && calls % 7 === 0)
        throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
          name: 'ProvisionedThroughputExceededException',
          $metadata: { httpStatusCode: 400 },
        });
      return next(args);
    },
    { step: 'deserialize', name: 'throttle', priority: 'high' },
  );
}

interface Outcome {
  logged: string[];
  recorder: Recorder;
  reports: PassReport[];
  pending: number;
}

async function runCell(
  config: MonitorsConfig,
  recorded: Record<Phase, Map<string, ProbeOutput>>,
  fault: Fault,
): Promise<Outcome> {
  const local = await tempStore();
  try {
    const recorder = new Recorder();
    // SNS and DynamoDB faults strike the failing passes, then are over.
    let broken = false;
    if (fault.kind === 'dynamodb-throttling') throttle(local.client, () => broken);
    sns.reset();
    sns.on(PublishCommand).callsFake((input: { TopicArn: string }) => {
      if (broken && fault.kind === 'sns' && input.TopicArn === TOPICS.critical) throw SNS_ERRORS[fault.how]();
      return { MessageId: `m-${Math.random()}` };
    });
    const notifier = new SnsNotifier({
      client: new SNSClient({ region: 'us-east-1' }),
      topics: TOPICS,
      sleep: async () => undefined,
    });
    // Each process starts afresh on the same table (a new DynamoStore over the same client), as a restart does.
    const newProcess = () =>
      new Process(
        new DynamoStore({ client: local.client, tableName: 'crawlguard', retentionMs: config.history.retentionMs }),
        notifier,
        recorder,
      );
    let proc = newProcess();
    const reports: PassReport[] = [];
    for (const [i, phase] of PHASES.entries()) {
      broken = i === FAULT_PASS || i === FAULT_PASS + 1;
      const deps = (p: Process) => ({
        prober: replayProber(recorded[phase]),
        store: p.store,
        notifier: p.notifier,
        leaseClock: () => passAt(i),
      });
      const pass = (p: Process) => runPass(deps(p), config, { shardId: 'matrix', nowMs: passAt(i) });
      if (i === FAULT_PASS && fault.kind === 'kill') {
        proc.arm(fault.at);
        await expect(pass(proc)).rejects.toBeInstanceOf(Killed);
        proc = newProcess(); // restarted; the next pass is 5 minutes later, past the 2-minute lease
        continue;
      }
      if (i === FAULT_PASS && fault.kind === 'concurrent') {
        const twin = newProcess();
        reports.push(...(await Promise.all([pass(proc), pass(twin)])));
        continue;
      }
      reports.push(await pass(proc));
    }
    const origins = config.sites.map((s) => s.origin);
    const logged = (await Promise.all(origins.map((o) => local.store.events(o))))
      .flat()
      .map((e) => e.id)
      .sort();
    const states = await local.store.loadStates(origins);
    const pending = [...states.values()].reduce((n, s) => n + s.state.outbox.length, 0);
    return { logged, recorder, reports, pending };
  } finally {
    await local.cleanup();
  }
}

/** The matrix row of one shape: its own file each, so that jest runs the rows side by side. */
export function defineMatrix(shape: Shape): void {
  describe(shape.name, () => {
    let site: RunningSite;
    let dir: ReturnType<typeof tempDir>;
    let config: MonitorsConfig;
    const recorded = {} as Record<Phase, Map<string, ProbeOutput>>;
    let reference: Outcome;

    beforeAll(async () => {
      let phase: Phase = 'healthy';
      const main = new URL(`http://${shape.host}`).host; // the IDN host as it arrives: punycode
      site = await startSite({});
      // Every path of every host: one dispatcher by Host header and phase.
      const dispatch = (req: Parameters<Shape['respond']>[0], res: Parameters<Shape['respond']>[1]) =>
        (req.headers.host?.startsWith(main) ? shape.respond : otherRespond)(req, res, phase);
      site.fallback(dispatch);
      dir = tempDir();
      for (const [name, text] of Object.entries(shape.files ?? {})) writeFileSync(join(dir.path, name), text);
      writeFileSync(
        join(dir.path, 'monitors.yaml'),
        [
          'version: 1',
          `defaults: { failureThreshold: 1, successThreshold: 1, ${shape.defaults} }`,
          'alerts: { email: [ops@example.com], sms: ["+15555550100"], smsPerDay: 1000 }',
          'limits: { concurrency: 200, perOriginConcurrency: 50 }',
          'sites:',
          `  - origin: http://${shape.host}:${site.port}`,
          '    allowPrivateNetwork: true',
          ...shape.siteYaml(site.port),
          `  - origin: http://${OTHER_HOST}:${site.port}`,
          '    allowPrivateNetwork: true',
          '    urls: [/, /x]',
        ].join('\n'),
      );
      config = loadMonitorsConfig(join(dir.path, 'monitors.yaml'));
      // Probed for real, once per behaviour: a 4-connection origin as configured for the hanging shape.
      const hanging = shape.hangingTimeoutMs;
      const prober = createProber({
        concurrency: config.limits.concurrency,
        perOriginConcurrency: hanging ? 4 : config.limits.perOriginConcurrency,
        resolve: loopback,
      });
      for (const p of ['healthy', 'failing'] as const) {
        phase = p;
        const targets = targetsOf(config).map((t) =>
          hanging && p === 'failing' && t.origin === config.sites[0]!.origin ? { ...t, timeoutMs: hanging } : t,
        );
        recorded[p] = byTarget(
          await prober.probeAll(targets, { deadline: performance.now() + 600_000, clock: Date.now }),
        );
      }
      await prober.close();
      // A recording is only as good as its answers: the healthy one must be healthy everywhere.
      const unhealthy = [...recorded.healthy.values()].filter((o) => o.result.outcome !== 'ok');
      expect({
        unhealthy: unhealthy.length,
        first: unhealthy.slice(0, 3).map((o) => `${o.result.url} ${o.result.outcome} ${o.result.error}`),
      }).toEqual({ unhealthy: 0, first: [] });
      reference = await runCell(config, recorded, { kind: 'none' });
    }, 300_000);

    afterAll(async () => {
      await site.close();
      dir.cleanup();
    });

    test('the fault-free run raises, logs and notifies what the shape is about', () => {
      expect(reference.logged.length).toBeGreaterThan(0);
      expect(reference.recorder.published.length).toBeGreaterThanOrEqual(4); // critical and warning, outage and recovery
      expect(reference.logged.every((id) => reference.recorder.count(id) <= 1)).toBe(true);
      expect(
        reference.reports.every((r) => r.storeFailures.length === 0 && r.deliveries.every((d) => !d.failure)),
      ).toBe(true);
    });

    test.each(FAULTS)(
      '%s',
      async (_name, fault) => {
        const cell = await runCell(config, recorded, fault);
        // No event lost, none raised that the checks do not support.
        expect(cell.logged).toEqual(reference.logged);
        const notified = [...reference.recorder.ids()].sort();
        expect([...cell.recorder.ids()].sort()).toEqual(notified);
        // None duplicated beyond the documented window.
        const allowed = fault.kind === 'kill' && fault.at === 'published' ? 2 : 1;
        const over = notified.filter((id) => cell.recorder.count(id) > allowed);
        expect(over).toEqual([]);
        if (allowed === 1) expect(notified.filter((id) => cell.recorder.count(id) !== 1)).toEqual([]);
        // Nothing pending once the fault is over; a permanent refusal was loud while it lasted.
        expect(cell.pending).toBe(0);
        if (fault.kind === 'sns' && fault.how === 'permanent')
          expect(passExitStatus(cell.reports[FAULT_PASS]!)).toBe(3);
        if (fault.kind === 'sns')
          expect(cell.reports[FAULT_PASS]!.deliveries.filter((d) => d.failure).map((d) => d.origin)).toEqual([
            config.sites[0]!.origin,
          ]);
        if (fault.kind === 'dynamodb-throttling') expect(cell.reports.flatMap((r) => r.storeFailures)).toEqual([]);
      },
      300_000,
    );
  });
}
