/** The status report from the store: what the CLI writes to a file and the Lambda publishes to S3. */
import type { DynamoStore } from '../adapters/store/dynamo-store';
import type { MonitorsConfig } from '../core/config/types';
import { buildReport, type ReportModel } from '../core/report/model';
import { renderReport } from '../core/report/html';
import { redactCredentials } from '../core/redact';

const DAY = 86_400_000;

/** Reads states, 30 days of events, the last day of history and the robots.txt copies, then builds the page. */
export async function reportFromStore(
  store: DynamoStore,
  config: MonitorsConfig,
  shardIds: readonly string[],
  nowMs: number,
): Promise<{ model: ReportModel; html: string }> {
  const nowIso = new Date(nowMs).toISOString();
  const origins = config.sites.map((s) => s.origin);
  const [stored, events, history, copies] = await Promise.all([
    store.loadStates(origins),
    Promise.all(
      origins.map(async (o) => [o, await store.events(o, new Date(nowMs - 30 * DAY).toISOString())] as const),
    ),
    Promise.all(shardIds.map((shard) => store.history(shard, nowMs - DAY, nowMs))),
    Promise.all(
      config.sites.filter((s) => s.robots).map(async (s) => [s.origin, await store.loadRobotsCopy(s.origin)] as const),
    ),
  ]);
  const model = buildReport({
    config,
    nowIso,
    states: new Map([...stored].map(([origin, v]) => [origin, v.state])),
    events: new Map(events),
    samples: history
      .flat()
      .map((e) => ({ url: e.url, checkedAt: e.checkedAt, outcome: e.outcome, latencyMs: e.latencyMs })),
    robotsCopies: new Map(copies),
  });
  return { model, html: redactCredentials(renderReport(model)) };
}
