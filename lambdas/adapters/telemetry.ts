/**
 * Structured logs for Lambda: one JSON object per line, and CloudWatch metrics through the Embedded
 * Metric Format (a log line CloudWatch turns into metrics: no API call, no extra permission).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export const METRIC_NAMESPACE = 'Crawlguard';

export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

export function logJson(
  level: LogLevel,
  message: string,
  fields: Record<string, unknown> = {},
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): void {
  write(JSON.stringify({ level, message, timestamp: new Date().toISOString(), ...fields }));
}

export interface MetricValue {
  name: string;
  value: number;
  unit: 'Count' | 'Milliseconds';
}

/**
 * The `_aws` block that makes a log line also a set of metrics. `dimensioned` metrics are published
 * with the given dimensions and without; the others only as totals (each dimensioned metric is a
 * custom metric CloudWatch bills monthly, so only what an alarm needs gets a dimension).
 */
export function emf(
  metrics: MetricValue[],
  dimensions: Record<string, string>,
  dimensioned: string[],
  nowMs: number,
): Record<string, unknown> {
  const definition = (list: MetricValue[]) => list.map((m) => ({ Name: m.name, Unit: m.unit }));
  const withDimensions = metrics.filter((m) => dimensioned.includes(m.name));
  const directives: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] = [
    {
      Namespace: METRIC_NAMESPACE,
      Dimensions: [[]],
      Metrics: definition(metrics.filter((m) => !dimensioned.includes(m.name))),
    },
  ];
  if (withDimensions.length > 0)
    directives.push({
      Namespace: METRIC_NAMESPACE,
      Dimensions: [Object.keys(dimensions), []],
      Metrics: definition(withDimensions),
    });
  return {
    _aws: { Timestamp: nowMs, CloudWatchMetrics: directives.filter((d) => d.Metrics.length > 0) },
    ...dimensions,
    ...Object.fromEntries(metrics.map((m) => [m.name, m.value])),
  };
}
