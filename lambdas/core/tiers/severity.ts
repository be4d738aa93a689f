/** Severities, most severe first: routing (alerts.routing) and the SNS topics are per severity. */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Most severe first: 0 for critical. */
export const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
