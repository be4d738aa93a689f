/**
 * One pass, shared by the Lambda handler and the CLI: probe every target, read what robots.txt means,
 * apply the rules per origin, save state with its events (one conditional write), deliver each origin's
 * outbox as one notification, keep the history. Only our own faults throw, and even those stay with the
 * origin they happened to: one origin's store failure never stops another origin's alerts.
 */
import type { ProbeOutput, Prober } from '../adapters/http/prober';
import type { DynamoStore, VersionedState } from '../adapters/store/dynamo-store';
import { StateConflictError, StoreError } from '../adapters/store/errors';
import type { MonitorsConfig, SiteConfig } from '../core/config/types';
import { passBudgetMs } from '../core/pass/budget';
import { scheduleTargets } from '../core/probe/schedule';
import { targetsOf } from '../core/probe/targets';
import type { CheckResult } from '../core/probe/types';
import { RobotsReader } from '../core/robots/reading';
import type { RobotsCopyRef } from '../core/rules/state';
import type { CrawlEvent } from '../core/rules/event';
import { groupBy } from '../core/group';
import { step } from '../core/rules/step';
import type { Notifier } from '../adapters/notify/notifier';
import { deliverOrigin, type OriginDelivery } from './deliver';

export interface PassDeps {
  prober: Prober;
  store: DynamoStore;
  notifier: Notifier;
  /** Wall clock for delivery leases (Date.now); tests that replay passes move it with them. */
  leaseClock?: () => number;
  /** Kept across passes (a Lambda's warm invocations, `run`): a steady robots.txt is not read again. */
  robots?: RobotsReader;
}

export interface PassOptions {
  /** History partition: one per shard in AWS, `local` on a laptop. */
  shardId: string;
  /** Fixes the clock at one instant for the whole pass (--now); the wall clock otherwise. */
  nowMs?: number;
  /** Stops probing (shutdown); a pass stopped this way writes nothing. */
  signal?: AbortSignal;
  /** Called after each check (the CLI's progress bar). */
  onProgress?: (done: number, total: number) => void;
}

/** A write of ours that failed: the origin it concerns (null: the pass's history), and why. */
export interface StoreFailure {
  origin: string | null;
  message: string;
}

export interface PassReport {
  passAt: string;
  /** In config order. */
  results: CheckResult[];
  /** Events this pass raised, in origin order. */
  events: CrawlEvent[];
  durationMs: number;
  /** Origins whose state changed and was written. */
  stateWrites: number;
  /** False when the pass was not later than the state already stored (a replay): state was left alone. */
  applied: boolean;
  /** Per origin with something to deliver: the notification sent, where, what is still pending, failures. */
  deliveries: OriginDelivery[];
  /** Our own writes that failed; every other origin went on. */
  storeFailures: StoreFailure[];
}

/** Reads one robots.txt fetch (core/robots/reading.ts); the stored copy is loaded only when it is needed. */
async function readRobots(
  deps: PassDeps,
  reader: RobotsReader,
  site: SiteConfig,
  output: ProbeOutput,
  stored: VersionedState | undefined,
) {
  const known = stored?.state.robotsCopy;
  const lastGood = reader.storedCopyNeeded(site, output, known) ? await deps.store.loadRobotsCopy(site.origin) : null;
  const reading = reader.read(site, output, known, lastGood);
  output.result.robots = reading.finding;
  return { copy: reading.newCopy, known: reading.known };
}

interface OriginOutcome {
  events: CrawlEvent[];
  written: boolean;
  replay: boolean;
  saved: VersionedState | undefined;
}

/** Concurrent writers of one origin are duplicate invocations of one shard: a few at most. */
const MAX_CONFLICT_RETRIES = 4;

/** Applies the rules and saves the state; a concurrent writer's state is reloaded and built upon. */
async function applyOrigin(
  deps: PassDeps,
  site: SiteConfig,
  passAt: string,
  results: CheckResult[],
  stored: VersionedState | undefined,
  robotsCopy: RobotsCopyRef | null | undefined,
): Promise<OriginOutcome> {
  const pages = results.filter((r) => r.kind === 'page');
  const robots = results.find((r) => r.kind === 'robots') ?? null;
  let current = stored;
  for (let tries = 0; ; tries += 1) {
    const out = step({ site, previous: current?.state ?? null, passAt, pages, robots, robotsCopy });
    if (!out.changed)
      return {
        events: [],
        written: false,
        replay: current !== undefined && passAt <= current.state.appliedAt,
        saved: current,
      };
    try {
      const version = await deps.store.saveState(out.state, current ?? null);
      return { events: out.events, written: true, replay: false, saved: { state: out.state, ...version } };
    } catch (error) {
      // Another pass of this origin wrote first (a duplicate invocation): build on what it wrote.
      if (!(error instanceof StateConflictError) || tries >= MAX_CONFLICT_RETRIES) throw error;
      current = (await deps.store.loadStates([site.origin])).get(site.origin);
    }
  }
}

/** Everything one origin's pass writes and sends; a store failure is kept with the origin. */
async function passOrigin(
  deps: PassDeps,
  reader: RobotsReader,
  config: MonitorsConfig,
  site: SiteConfig,
  passAt: string,
  outputs: ProbeOutput[],
  stored: VersionedState | undefined,
) {
  try {
    const robotsOutput = outputs.find((o) => o.result.kind === 'robots' && o.result.outcome !== 'not_checked');
    const robots = robotsOutput ? await readRobots(deps, reader, site, robotsOutput, stored) : undefined;
    // A new robots.txt copy is stored before the state that names its hash, so a state never points at a
    // copy the store does not hold. Not for a replayed origin: an older pass must not replace a newer copy.
    const replayed = passAt <= (stored?.state.appliedAt ?? '');
    if (robots?.copy && !replayed) await deps.store.saveRobotsCopy(site.origin, robots.copy);
    const applied = await applyOrigin(
      deps,
      site,
      passAt,
      outputs.map((o) => o.result),
      stored,
      robots?.known,
    );
    // Pending events of earlier passes (a delivery that failed) go out with this pass's.
    const { smsPerDay, sms } = config.alerts;
    const delivery =
      applied.saved &&
      (await deliverOrigin(
        {
          store: deps.store,
          notifier: deps.notifier,
          smsPerDay,
          textsPerSms: Math.max(1, sms.length),
          now: deps.leaseClock,
        },
        applied.saved,
        passAt,
        site,
      ));
    return { applied, delivery, failure: null };
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    return { applied: null, delivery: undefined, failure: { origin: site.origin, message: error.message } };
  }
}

export async function runPass(deps: PassDeps, config: MonitorsConfig, options: PassOptions): Promise<PassReport> {
  const started = performance.now();
  const passAtMs = options.nowMs ?? Date.now();
  const passAt = new Date(passAtMs).toISOString();
  const clock = options.nowMs === undefined ? Date.now : () => passAtMs;
  const stored = await deps.store.loadStates(config.sites.map((s) => s.origin));
  // What answered quickly last time goes first and what hung goes last (core/probe/schedule.ts).
  const targets = scheduleTargets(targetsOf(config), stored);
  const probed = await deps.prober.probeAll(
    targets.map((t) => t.target),
    {
      deadline: started + passBudgetMs(config),
      signal: options.signal,
      clock,
      onProgress: options.onProgress,
    },
  );
  // Back to config order: results, history and the report read targets as configured.
  const outputs: ProbeOutput[] = [];
  probed.forEach((output, i) => (outputs[targets[i]!.index] = output));
  const byOrigin = groupBy(outputs, (o) => o.result.origin);
  const reader = deps.robots ?? new RobotsReader();
  const perOrigin = await Promise.all(
    config.sites.map((site) =>
      passOrigin(deps, reader, config, site, passAt, byOrigin.get(site.origin) ?? [], stored.get(site.origin)),
    ),
  );
  const results = outputs.map((o) => o.result);
  const storeFailures: StoreFailure[] = perOrigin.flatMap((o) => (o.failure ? [o.failure] : []));
  try {
    await deps.store.savePass(options.shardId, passAt, results);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    storeFailures.push({ origin: null, message: `history of this pass not saved: ${error.message}` });
  }
  const applied = perOrigin.flatMap((o) => (o.applied ? [o.applied] : []));
  return {
    passAt,
    results,
    events: applied.flatMap((a) => a.events),
    durationMs: Math.round(performance.now() - started),
    stateWrites: applied.filter((a) => a.written).length,
    applied: !applied.some((a) => a.replay),
    deliveries: perOrigin.flatMap((o) =>
      o.delivery && (o.delivery.notification || o.delivery.pending > 0 || o.delivery.failure) ? [o.delivery] : [],
    ),
    storeFailures,
  };
}

/** The pass in numbers: the `summary` line of `check --json`, and the Lambda's log line. */
export function summarize(report: PassReport) {
  const healthy = report.results.filter((r) => r.outcome === 'ok').length;
  const notChecked = report.results.filter((r) => r.outcome === 'not_checked').length;
  return {
    passAt: report.passAt,
    checks: report.results.length,
    healthy,
    unhealthy: report.results.length - healthy - notChecked,
    notChecked,
    events: report.events.length,
    notifications: report.deliveries.filter((d) => d.where).length,
    pendingAlerts: report.deliveries.reduce((n, d) => n + d.pending, 0),
    deliveryFailures: report.deliveries.filter((d) => d.failure).map((d) => ({ origin: d.origin, ...d.failure! })),
    storeFailures: report.storeFailures,
    durationMs: report.durationMs,
    stateWrites: report.stateWrites,
    applied: report.applied,
  };
}

export type PassSummary = ReturnType<typeof summarize>;
