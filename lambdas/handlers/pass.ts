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
import { analyseRobots, sha256Hex, type RobotsCopy, type RobotsFinding } from '../core/robots/analyse';
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

/** What robots.txt analysis found last time per origin: reused while nothing it depends on changed. */
const findings = new Map<string, { key: string; finding: RobotsFinding; newCopy: RobotsCopy | null }>();

/**
 * Reads what each robots.txt fetch means. The last good copy is only read from the store when the
 * fetched text differs from it (or robots.txt is down): its hash is in the origin's state, so a steady
 * robots.txt costs no read, and an unchanged analysis is not redone.
 */
async function readRobots(deps: PassDeps, config: MonitorsConfig, outputs: ProbeOutput[], stored: Map<string, VersionedState>) {
  const sites = new Map(config.sites.map((site) => [site.origin, site]));
  const copies = new Map<string, { copy: RobotsCopy | null; known: RobotsCopyRef | null }>();
  await Promise.all(outputs.filter((o) => o.result.kind === 'robots').map(async ({ result, robotsText }) => {
    const site = sites.get(result.origin)!;
    const known = stored.get(site.origin)?.state.robotsCopy;
    const hash = robotsText === null ? null : sha256Hex(robotsText);
    const urls = site.urls.map((u) => u.url);
    // Everything the analysis depends on; a state from before the copy's hash was kept is never cached.
    const key = JSON.stringify([result.robotsState, result.truncated, hash, known ?? null, site.agents, urls.join('\n')]);
    const cached = findings.get(site.origin);
    let analysed = known !== undefined && cached?.key === key ? cached : undefined;
    if (!analysed) {
      const lastGood = known && hash === known.hash
        ? { text: robotsText!, hash, fetchedAt: known.fetchedAt, truncated: result.truncated }
        : known === null ? null : await deps.store.loadRobotsCopy(site.origin); // undefined: state from before the hash was kept
      const { finding, newCopy } = analyseRobots({ result, text: robotsText, agents: site.agents, urls, lastGood });
      analysed = { key, finding, newCopy };
      findings.set(site.origin, analysed);
    }
    result.robots = analysed.finding;
    const copy = analysed.newCopy;
    copies.set(site.origin, { copy, known: copy ? { hash: copy.hash, fetchedAt: copy.fetchedAt } : known ?? null });
  }));
  return copies;
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
async function applyOrigin(deps: PassDeps, site: SiteConfig, passAt: string, results: CheckResult[], stored: VersionedState | undefined, robotsCopy: RobotsCopyRef | null | undefined): Promise<OriginOutcome> {
  const pages = results.filter((r) => r.kind === 'page');
  const robots = results.find((r) => r.kind === 'robots') ?? null;
  let current = stored;
  for (let tries = 0; ; tries += 1) {
    const out = step({ site, previous: current?.state ?? null, passAt, pages, robots, robotsCopy });
    if (!out.changed) return { events: [], written: false, replay: current !== undefined && passAt <= current.state.appliedAt, saved: current };
    try {
      const version = await deps.store.saveState(out.state, current?.version ?? null);
      return { events: out.events, written: true, replay: false, saved: { state: out.state, version } };
    } catch (error) {
      // Another pass of this origin wrote first (a duplicate invocation): build on what it wrote.
      if (!(error instanceof StateConflictError) || tries >= MAX_CONFLICT_RETRIES) throw error;
      current = (await deps.store.loadStates([site.origin])).get(site.origin);
      // Our own write, whose answer was lost and which the SDK retried: the state saved is this pass's.
      const ids = new Set(current?.state.outbox.map((e) => e.event.id));
      if (current?.state.appliedAt === passAt && out.events.every((e) => ids.has(e.id))) {
        return { events: out.events, written: true, replay: false, saved: current };
      }
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
    onProgress: options.onProgress,
  });
  const results = outputs.map((o) => o.result);
  const stored = await deps.store.loadStates(config.sites.map((s) => s.origin));
  const copies = await readRobots(deps, config, outputs, stored);
  // A new robots.txt copy is stored before the state that names its hash, so a state never points at a
  // copy the store does not hold (a crash in between would otherwise leave a stale copy behind it).
  // Not for a replayed origin: an older pass must not replace a newer copy.
  const replayed = (origin: string) => passAt <= (stored.get(origin)?.state.appliedAt ?? '');
  await Promise.all([...copies].filter(([origin, c]) => c.copy && !replayed(origin)).map(([origin, c]) => deps.store.saveRobotsCopy(origin, c.copy!)));
  const byOrigin = groupBy(results, (r) => r.origin);
  const applied = await Promise.all(config.sites.map((site) =>
    applyOrigin(deps, site, passAt, byOrigin.get(site.origin) ?? [], stored.get(site.origin), copies.get(site.origin)?.known)));
  const replay = applied.some((a) => a.replay);
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
