/**
 * `crawlguard run`: the long-running local mode. Each site is checked on its own interval; monitors.yaml
 * is re-read when it changes (a broken edit is reported and the last good config kept).
 * SIGINT/SIGTERM stop it cleanly: probing stops, nothing is half-written, the store is closed.
 */
import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadMonitorsConfig } from '../../../adapters/config-file';
import type { Resolver } from '../../../adapters/http/ssrf';
import { ConfigError } from '../../../core/config/errors';
import type { MonitorsConfig } from '../../../core/config/types';
import { runPass } from '../../pass';
import { EXIT } from '../errors';
import type { Io } from '../io';
import { LOCAL_SHARD, openLocalRuntime } from '../local-runtime';
import { plural, renderDeliveries, renderEvents, renderStoreFailures, renderSummary, renderTable } from '../render';

export interface RunOptions {
  config: string;
  dataDir: string;
  resolve?: Resolver;
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

export async function runLoop(options: RunOptions, io: Io, signal: AbortSignal): Promise<number> {
  let config: MonitorsConfig = loadMonitorsConfig(options.config);
  let configMtime = mtimeOf(options.config);
  const runtime = await openLocalRuntime(config, options.dataDir, options.resolve, { command: 'run', exclusive: true });
  const nextDue = new Map<string, number>();
  io.out(
    `crawlguard: watching ${plural(config.sites.length, 'site')} from ${options.config}; data in ${options.dataDir}. Ctrl-C stops.`,
  );
  try {
    while (!signal.aborted) {
      const mtime = mtimeOf(options.config);
      if (mtime !== configMtime) {
        configMtime = mtime;
        try {
          config = loadMonitorsConfig(options.config);
          io.out(`crawlguard: ${options.config} changed; now watching ${plural(config.sites.length, 'site')}`);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          io.err(
            `crawlguard: ${options.config} changed but is not valid; still using the previous version:\n${error.message}`,
          );
        }
      }
      const now = Date.now();
      const due = config.sites.filter((site) => (nextDue.get(site.origin) ?? 0) <= now);
      if (due.length > 0) {
        try {
          const report = await runPass(runtime.deps, { ...config, sites: due }, { shardId: LOCAL_SHARD, signal });
          const problems = report.results.filter((r) => r.outcome !== 'ok');
          io.out(`${report.passAt}  ${renderSummary(report.results, report.durationMs, io.colors)}`);
          if (problems.length > 0) for (const line of renderTable(problems, io.colors)) io.out(line);
          for (const line of renderEvents(report.events, io.colors)) io.out(line);
          for (const line of renderDeliveries(report.deliveries, io.colors)) io.out(line);
          for (const line of renderStoreFailures(report.storeFailures, io.colors)) io.err(line);
        } catch (error) {
          if (signal.aborted) break;
          throw error;
        }
        for (const site of due) nextDue.set(site.origin, Math.max(now + site.intervalMs, Date.now()));
      }
      const wakeAt = Math.min(...config.sites.map((site) => nextDue.get(site.origin) ?? 0));
      await sleep(Math.max(0, wakeAt - Date.now()), undefined, { signal }).catch(() => undefined);
    }
  } finally {
    await runtime.close();
  }
  io.out('crawlguard: stopped');
  return EXIT.ok;
}
