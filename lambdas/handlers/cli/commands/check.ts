/** `crawlguard check --once`: one pass over every URL and robots.txt, stored, then printed. */
import { loadMonitorsConfig } from '../../../adapters/config-file';
import type { Resolver } from '../../../adapters/http/ssrf';
import { runPass, summarize, type PassReport } from '../../pass';
import { EXIT, parseNow } from '../errors';
import type { Io } from '../io';
import { LOCAL_SHARD, openLocalRuntime } from '../local-runtime';
import { progressReporter } from '../progress';
import { renderDeliveries, renderEvents, renderStoreFailures, renderSummary, renderTable } from '../render';

export interface CheckOptions {
  config: string;
  dataDir: string;
  json?: boolean;
  now?: string;
  /** Tests and the demo map host names without real DNS. */
  resolve?: Resolver;
}

export function printPass(report: PassReport, json: boolean, io: Io): void {
  if (json) {
    for (const result of report.results) io.out(JSON.stringify({ type: 'result', ...result }));
    for (const event of report.events) io.out(JSON.stringify({ type: 'event', ...event }));
    for (const d of report.deliveries) {
      const n = d.notification;
      io.out(
        JSON.stringify({
          type: 'notification',
          origin: d.origin,
          severity: n?.severity ?? null,
          channels: n?.channels ?? [],
          subject: n?.subject ?? null,
          sms: n?.sms ?? null,
          eventIds: n?.eventIds ?? [],
          where: d.where,
          pending: d.pending,
          failure: d.failure,
        }),
      );
    }
    io.out(JSON.stringify({ type: 'summary', ...summarize(report) }));
    return;
  }
  for (const line of renderTable(report.results, io.colors)) io.out(line);
  io.out(renderSummary(report.results, report.durationMs, io.colors));
  for (const line of renderEvents(report.events, io.colors)) io.out(line);
  for (const line of renderDeliveries(report.deliveries, io.colors)) io.out(line);
  for (const line of renderStoreFailures(report.storeFailures, io.colors)) io.err(line);
  if (!report.applied)
    io.out(io.colors.yellow(`state not updated: a later pass is already stored than ${report.passAt} (replay)`));
}

/**
 * 3 when an alert could not be delivered for good or a write of ours failed (neither may go unnoticed);
 * else 1 when any target is unhealthy or was not checked (the pass did not see everything); else 0.
 */
export function passExitStatus(report: PassReport): number {
  if (report.storeFailures.length > 0 || report.deliveries.some((d) => d.failure?.permanent)) return EXIT.internal;
  return report.results.every((r) => r.outcome === 'ok') ? EXIT.ok : EXIT.unhealthy;
}

export async function checkOnce(options: CheckOptions, io: Io): Promise<number> {
  const nowMs = parseNow(options.now);
  const config = loadMonitorsConfig(options.config);
  const runtime = await openLocalRuntime(config, options.dataDir, options.resolve, { command: 'check --once' });
  const owner = runtime.local.sharedWith;
  // README, "While crawlguard run is going": the pass goes into run's store, as a second pass of its own would.
  if (owner)
    io.err(
      `crawlguard: ${options.dataDir} is held by crawlguard ${owner.command} (pid ${owner.pid}): this pass is stored in its store and alerts go out once`,
    );
  const progress = progressReporter(process.stderr);
  try {
    const report = await runPass(runtime.deps, config, {
      shardId: LOCAL_SHARD,
      nowMs,
      onProgress: options.json ? undefined : progress.onProgress,
    });
    progress.finish();
    printPass(report, Boolean(options.json), io);
    return passExitStatus(report);
  } finally {
    await runtime.close();
  }
}
