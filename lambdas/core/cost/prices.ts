/**
 * The prices the estimate assumes: AWS public list prices for us-east-1 as of the date below. This
 * machine is offline, so they were not fetched live: check https://aws.amazon.com/pricing before
 * relying on the total. Every figure is printed with the estimate.
 */
export const PRICES = {
  asOf: '2025-12 (AWS list prices, us-east-1; not re-checked live)',
  lambdaArmGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  dynamoPerMillionWriteUnits: 0.625, // on-demand, since the November 2024 price cut
  dynamoPerMillionReadUnits: 0.125,
  dynamoStorageGbMonth: 0.25,
  schedulerPerMillionInvocations: 1.0,
  schedulerFreeInvocationsPerMonth: 14_000_000,
  cloudwatchCustomMetricMonth: 0.3,
  cloudwatchAlarmMonth: 0.1,
  cloudwatchDashboardMonth: 3.0, // the first three dashboards of an account are free
  cloudwatchLogsIngestGb: 0.5,
  snsPerMillionPublishes: 0.5,
  snsPerEmail: 0.00002, // USD 2.00 per 100,000
  snsSmsUs: 0.00645, // varies by country and carrier
  syntheticsCanaryRun: 0.0012,
} as const;

/** AWS prices a month as 730 hours (so one check a minute is 43,800 runs). */
export const HOURS_PER_MONTH = 730;
