/**
 * Structured logs for Lambda: one JSON object per line, and CloudWatch metrics through the Embedded
 * Metric Format (a log line CloudWatch turns into metrics: no API call, no extra permission).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export const METRIC_NAMESPACE = 'Crawlguard';

export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

export function logJson(level: LogLevel, message: string, fields: Record<string, unknown> = {}, write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): void {
  write(JSON.stringify({ level, message, timestamp: new Date().toISOString(), ...fields }));
}

export interface MetricValue {
  name: string;
  value: number;
  unit: 'Count' | 'Milliseconds';
}

/** The `_aws` block that makes a log line also a set of metrics, with the given dimensions. */
export function emf(metrics: MetricValue[], dimensions: Record<string, string>, nowMs: number): Record<string, unknown> {
  const keys = Object.keys(dimensions);
  return {
    _aws: {
      Timestamp: nowMs,
      CloudWatchMetrics: [{
        Namespace: METRIC_NAMESPACE,
        // The shard dimension for per-shard alarms, and none for the totals on the dashboard.
        Dimensions: keys.length > 0 ? [keys, []] : [[]],
        Metrics: metrics.map((m) => ({ Name: m.name, Unit: m.unit })),
      }],
    },
    ...dimensions,
    ...Object.fromEntries(metrics.map((m) => [m.name, m.value])),
  };
}
