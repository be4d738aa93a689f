/** Exit statuses of the CLI (README, "CLI reference"). */
export const EXIT = {
  /** Every target healthy / every URL allowed / the config is valid. */
  ok: 0,
  /** Some target unhealthy / some URL disallowed. */
  unhealthy: 1,
  /** Usage or configuration error: the message says what to fix. */
  usage: 2,
  /** crawlguard's own fault (store unavailable, data directory locked). */
  internal: 3,
} as const;

/** A mistake in how the command was called; printed without a stack trace, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseNow(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms))
    throw new UsageError(
      `--now expects an ISO-8601 instant with a zone, such as 2026-12-01T09:00:00Z; got ${JSON.stringify(text)}`,
    );
  return ms;
}
