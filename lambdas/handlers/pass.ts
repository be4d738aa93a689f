/**
 * One pass, shared by the Lambda handler and the CLI: probe every target, read what robots.txt means,
 * apply the rules per origin, save state with its events (one conditional write), deliver each origin's
 * outbox as one notification, keep the history. Only our own faults throw (store unavailable).
 */
import type { ProbeOutput, Prober } from '../adapters/http/prober';
import type { DynamoStore, VersionedState } from '../adapters/store/dynamo-store';
import { StateConflictError } from '../adapters/store/errors';
import type { MonitorsConfig, SiteConfig } from '../core/config/types';
import { passBudgetMs } from '../core/pass/budget';
import { targetsOf } from '../core/probe/targets';
import type { CheckResult } from '../core/probe/types';
import { analyseRobots, type RobotsCopy } from '../core/robots/analyse';
import type { CrawlEvent } from '../core/rules/event';
import { step } from '../core/rules/step';
import type { Notifier } from '../adapters/notify/notifier';
import { deliverOrigin, type OriginDelivery } from './deliver';

export interface PassDeps {
  prober: Prober;
  store: DynamoStore;
  notifier: Notifier;
}

export interface PassOptions {
  /** History partition: one per shard in AWS, `local` on a laptop. */
  shardId: string;
  /** Fixes the clock at one instant for the whole pass (--now); the wall clock otherwise. */
  nowMs?: number;
  /** Stops probing (shutdown); a pass stopped this way writes nothing. */
  signal?: AbortSignal;
}

export interface PassReport {
  passAt: string;
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
}

async function readRobots(deps: PassDeps, config: MonitorsConfig, outputs: ProbeOutput[]) {
  const sites = new Map(config.sites.map((site) => [site.origin, site]));
  const newCopies: [string, RobotsCopy][] = [];
  await Promise.all(outputs.filter((o) => o.result.kind === 'robots').map(async ({ result, robotsText }) => {
    const site = sites.get(result.origin)!;
    const lastGood = await deps.store.loadRobotsCopy(site.origin);
    const urls = site.urls.map((u) => u.url);
    const { finding, newCopy } = analyseRobots({ result, text: robotsText, agents: site.agents, urls, lastGood });
    result.robots = finding;
    if (newCopy) newCopies.push([site.origin, newCopy]);
  }));
  return newCopies;
}

interface OriginOutcome {
  events: CrawlEvent[];
  written: boolean;
  replay: boolean;
  saved: VersionedState | undefined;
}

/** Applies the rules and saves the state; a concurrent writer's state is reloaded and built upon (once). */
async function applyOrigin(deps: PassDeps, site: SiteConfig, passAt: string, results: CheckResult[], stored: VersionedState | undefined): Promise<OriginOutcome> {
  const pages = results.filter((r) => r.kind === 'page');
  const robots = results.find((r) => r.kind === 'robots') ?? null;
  let current = stored;
  for (let tries = 0; ; tries += 1) {
    const out = step({ site, previous: current?.state ?? null, passAt, pages, robots });
    if (!out.changed) return { events: [], written: false, replay: current !== undefined && passAt <= current.state.appliedAt, saved: current };
    try {
      const version = await deps.store.saveState(out.state, current?.version ?? null);
      return { events: out.events, written: true, replay: false, saved: { state: out.state, version } };
    } catch (error) {
      if (!(error instanceof StateConflictError) || tries > 0) throw error;
      current = (await deps.store.loadStates([site.origin])).get(site.origin);
    }
  }
}

export async function runPass(deps: PassDeps, config: MonitorsConfig, options: PassOptions): Promise<PassReport> {
  const started = performance.now();
  const passAtMs = options.nowMs ?? Date.now();
  const passAt = new Date(passAtMs).toISOString();
  const clock = options.nowMs === undefined ? Date.now : () => passAtMs;
  const outputs = await deps.prober.probeAll(targetsOf(config), {
    deadline: started + passBudgetMs(config),
    signal: options.signal,
    clock,
  });
  const results = outputs.map((o) => o.result);
  const newCopies = await readRobots(deps, config, outputs);

  const stored = await deps.store.loadStates(config.sites.map((s) => s.origin));
  const applied = await Promise.all(config.sites.map((site) =>
    applyOrigin(deps, site, passAt, results.filter((r) => r.origin === site.origin), stored.get(site.origin))));
  const replay = applied.some((a) => a.replay);
  if (!replay) await Promise.all(newCopies.map(([origin, copy]) => deps.store.saveRobotsCopy(origin, copy)));
  // Pending events of earlier passes (a delivery that failed) go out with this pass's.
  const delivery = { store: deps.store, notifier: deps.notifier, smsPerDay: config.alerts.smsPerDay };
  const deliveries = (await Promise.all(applied.map((a) => a.saved && deliverOrigin(delivery, a.saved, passAt))))
    .filter((d): d is OriginDelivery => Boolean(d && (d.notification || d.pending > 0 || d.failure)));
  await deps.store.savePass(options.shardId, passAt, results);
  return {
    passAt,
    results,
    events: applied.flatMap((a) => a.events),
    durationMs: Math.round(performance.now() - started),
    stateWrites: applied.filter((a) => a.written).length,
    applied: !replay,
    deliveries,
  };
}

/** The pass in numbers: the `summary` line of `check --json`, and the Lambda's log line. */
export function summarize(report: PassReport) {
  const healthy = report.results.filter((r) => r.outcome === 'ok').length;
  return {
    passAt: report.passAt,
    checks: report.results.length,
    healthy,
    unhealthy: report.results.length - healthy,
    events: report.events.length,
    notifications: report.deliveries.filter((d) => d.where).length,
    pendingAlerts: report.deliveries.reduce((n, d) => n + d.pending, 0),
    deliveryFailures: report.deliveries.filter((d) => d.failure).map((d) => ({ origin: d.origin, ...d.failure! })),
    durationMs: report.durationMs,
    stateWrites: report.stateWrites,
    applied: report.applied,
  };
}

export type PassSummary = ReturnType<typeof summarize>;
