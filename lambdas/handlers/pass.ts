/**
 * One pass, shared by the Lambda handler and the CLI: probe every target, read what robots.txt means,
 * update each origin's state, keep the history. Only our own faults throw (store unavailable).
 */
import type { Prober } from '../adapters/http/prober';
import type { DynamoStore, VersionedState } from '../adapters/store/dynamo-store';
import { StateConflictError } from '../adapters/store/errors';
import type { MonitorsConfig, SiteConfig } from '../core/config/types';
import { passBudgetMs, streakCapOf } from '../core/pass/budget';
import { targetsOf } from '../core/probe/targets';
import type { CheckResult } from '../core/probe/types';
import { analyseRobots, type RobotsCopy } from '../core/robots/analyse';
import { applyResults } from '../core/state/latest';
import type { ProbeOutput } from '../adapters/http/prober';

export interface PassDeps {
  prober: Prober;
  store: DynamoStore;
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
  durationMs: number;
  /** Origins whose state changed and was written. */
  stateWrites: number;
  /** False when the pass was not later than the state already stored (a replay): state was left alone. */
  applied: boolean;
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

async function saveOrigin(deps: PassDeps, site: SiteConfig, passAt: string, results: CheckResult[], stored: VersionedState | undefined) {
  let current = stored;
  for (let tries = 0; ; tries += 1) {
    const next = applyResults(current?.state ?? null, site.origin, passAt, results, streakCapOf(site));
    if (next === current?.state) return { written: false, replay: passAt <= next.appliedAt };
    try {
      await deps.store.saveState(next, current?.version ?? null);
      return { written: true, replay: false };
    } catch (error) {
      // A concurrent pass wrote first: apply ours on top of what it wrote (once), never over it.
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
  const saved = await Promise.all(config.sites.map((site) =>
    saveOrigin(deps, site, passAt, results.filter((r) => r.origin === site.origin), stored.get(site.origin))));
  if (!saved.some((s) => s.replay)) {
    await Promise.all(newCopies.map(([origin, copy]) => deps.store.saveRobotsCopy(origin, copy)));
  }
  await deps.store.savePass(options.shardId, passAt, results);
  return {
    passAt,
    results,
    durationMs: Math.round(performance.now() - started),
    stateWrites: saved.filter((s) => s.written).length,
    applied: !saved.some((s) => s.replay),
  };
}
