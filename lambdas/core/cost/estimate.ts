/**
 * A monthly cost estimate for a config, with every assumption in the output. Pure: the item sizes come
 * in measured from the real storage encoding (the `cost` command encodes sample items with the codec).
 */
import { planShards } from '../config/shards';
import type { MonitorsConfig } from '../config/types';
import { HOURS_PER_MONTH, PRICES } from './prices';

export interface ItemSizes {
  /** Bytes a history item adds per check, and its fixed part (keys, attribute names). */
  historyBytesPerCheck: number;
  historyItemOverheadBytes: number;
  /** A steady origin state item (gzipped), read every pass. */
  stateItemBytes: number;
  /** The stored robots.txt copy, read every pass. */
  robotsCopyBytes: number;
}

export interface Assumptions {
  /** Average time a check takes in Lambda (network included: Lambda bills wall time). */
  checkLatencyMs: number;
  memoryMb: number;
  /** Per-pass fixed time: reading state, saving, delivering. */
  passOverheadMs: number;
  alertsPerMonth: number;
  logBytesPerPass: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  checkLatencyMs: 300,
  memoryMb: 512,
  passOverheadMs: 150,
  alertsPerMonth: 30,
  logBytesPerPass: 700,
};

export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  usd: number;
  note?: string;
}

export interface Estimate {
  urls: number;
  origins: number;
  shards: number;
  checksPerMonth: number;
  lines: CostLine[];
  totalUsd: number;
  perUrlMonthUsd: number;
  synthetics: { runs: number; usd: number; perUrlMonthUsd: number };
  assumptions: Assumptions;
  prices: typeof PRICES;
}

const units = (bytes: number, unitBytes: number) => Math.max(1, Math.ceil(bytes / unitBytes));

export function estimate(
  config: MonitorsConfig,
  sizes: ItemSizes,
  assumptions: Assumptions = DEFAULT_ASSUMPTIONS,
): Estimate {
  const shards = planShards(config);
  const bySite = new Map(config.sites.map((s) => [s.origin, s]));
  let passes = 0;
  let checksPerMonth = 0;
  let gbSeconds = 0;
  let writeUnits = 0;
  let readUnits = 0;
  let historyBytes = 0;
  const retentionMonths = config.history.retentionMs / (HOURS_PER_MONTH * 3_600_000);
  for (const shard of shards) {
    const passesPerMonth = (HOURS_PER_MONTH * 3_600_000) / shard.intervalMs;
    const waves = Math.ceil(shard.checks / config.limits.concurrency);
    const seconds = (waves * assumptions.checkLatencyMs + assumptions.passOverheadMs) / 1000;
    const itemBytes = sizes.historyItemOverheadBytes + shard.checks * sizes.historyBytesPerCheck;
    const withRobots = shard.origins.filter((o) => bySite.get(o)?.robots).length;
    passes += passesPerMonth;
    checksPerMonth += passesPerMonth * shard.checks;
    gbSeconds += passesPerMonth * seconds * (assumptions.memoryMb / 1024);
    // Steady state: one history item per pass (1 write unit per KB); states and robots copies read
    // with strong consistency (1 read unit per 4 KB, per item).
    writeUnits += passesPerMonth * units(itemBytes, 1024);
    readUnits +=
      passesPerMonth *
      (shard.origins.length * units(sizes.stateItemBytes, 4096) + withRobots * units(sizes.robotsCopyBytes, 4096));
    historyBytes += passesPerMonth * retentionMonths * itemBytes;
  }
  const metrics = shards.length + 4; // PassesCompleted per shard; Checks, Failures, Events, PassDurationMs totals
  const alarms = shards.length + 2; // no-pass per shard; errors; dead letters
  const gb = (bytes: number) => bytes / 1024 ** 3;
  const schedulerBilled = Math.max(0, passes - PRICES.schedulerFreeInvocationsPerMonth);
  const lines: CostLine[] = [
    {
      item: `Lambda compute (arm64, ${assumptions.memoryMb} MB)`,
      quantity: gbSeconds,
      unit: 'GB-s',
      usd: gbSeconds * PRICES.lambdaArmGbSecond,
    },
    {
      item: 'Lambda requests',
      quantity: passes,
      unit: 'invocations',
      usd: (passes / 1e6) * PRICES.lambdaPerMillionRequests,
    },
    {
      item: 'EventBridge Scheduler',
      quantity: passes,
      unit: 'invocations',
      usd: (schedulerBilled / 1e6) * PRICES.schedulerPerMillionInvocations,
      note: 'first 14M a month free',
    },
    {
      item: 'DynamoDB writes (history items)',
      quantity: writeUnits,
      unit: 'write units',
      usd: (writeUnits / 1e6) * PRICES.dynamoPerMillionWriteUnits,
    },
    {
      item: 'DynamoDB reads (state, robots.txt)',
      quantity: readUnits,
      unit: 'read units',
      usd: (readUnits / 1e6) * PRICES.dynamoPerMillionReadUnits,
    },
    {
      item: 'DynamoDB storage (history kept)',
      quantity: gb(historyBytes),
      unit: 'GB',
      usd: gb(historyBytes) * PRICES.dynamoStorageGbMonth,
    },
    {
      item: 'CloudWatch custom metrics',
      quantity: metrics,
      unit: 'metrics',
      usd: metrics * PRICES.cloudwatchCustomMetricMonth,
      note: '+0.30 for each origin that fails in the month',
    },
    { item: 'CloudWatch alarms', quantity: alarms, unit: 'alarms', usd: alarms * PRICES.cloudwatchAlarmMonth },
    {
      item: 'CloudWatch dashboard',
      quantity: 1,
      unit: 'dashboard',
      usd: PRICES.cloudwatchDashboardMonth,
      note: 'free if the account has fewer than 3',
    },
    {
      item: 'CloudWatch Logs ingestion',
      quantity: gb(passes * assumptions.logBytesPerPass),
      unit: 'GB',
      usd: gb(passes * assumptions.logBytesPerPass) * PRICES.cloudwatchLogsIngestGb,
    },
    {
      item: `SNS (${assumptions.alertsPerMonth} alert emails)`,
      quantity: assumptions.alertsPerMonth,
      unit: 'notifications',
      usd: assumptions.alertsPerMonth * (PRICES.snsPerEmail + PRICES.snsPerMillionPublishes / 1e6),
      note: `texts extra: up to ${config.alerts.smsPerDay * 30} a month at about ${PRICES.snsSmsUs} each (US)`,
    },
  ];
  const totalUsd = lines.reduce((sum, line) => sum + line.usd, 0);
  const urls = config.sites.reduce((n, s) => n + s.urls.length, 0);
  const pageChecks = config.sites.reduce((n, s) => n + (s.urls.length * HOURS_PER_MONTH * 3_600_000) / s.intervalMs, 0);
  return {
    urls,
    origins: config.sites.length,
    shards: shards.length,
    checksPerMonth,
    lines,
    totalUsd,
    perUrlMonthUsd: urls > 0 ? totalUsd / urls : 0,
    synthetics: {
      runs: pageChecks,
      usd: pageChecks * PRICES.syntheticsCanaryRun,
      perUrlMonthUsd: urls > 0 ? (pageChecks * PRICES.syntheticsCanaryRun) / urls : 0,
    },
    assumptions,
    prices: PRICES,
  };
}
