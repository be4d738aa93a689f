/**
 * The server's own id for a request, so an operator can find the matching log line.
 * Order: the most specific first (a CDN id beats a generic correlation id).
 */
const REQUEST_ID_HEADERS = [
  'x-request-id',
  'x-amzn-requestid', // API Gateway, Lambda URLs
  'x-amz-request-id', // S3
  'x-amz-cf-id', // CloudFront
  'cf-ray', // Cloudflare
  'x-vercel-id',
  'x-served-by', // Fastly
  'fly-request-id',
  'x-cloud-trace-context', // Google Cloud
  'x-ms-request-id', // Azure
  'x-correlation-id',
  'x-trace-id',
  'traceparent', // W3C Trace Context
];

/** Headers as lower-case names; the first request id found, or null. */
export function findRequestId(headers: Readonly<Record<string, string>>): string | null {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers[name]?.trim();
    if (value) return value.slice(0, 200);
  }
  return null;
}

/** Retry-After in seconds (delta-seconds or HTTP-date relative to `nowMs`), null when absent or unreadable. */
export function parseRetryAfterSeconds(value: string | undefined, nowMs: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const dateMs = Date.parse(trimmed);
  return Number.isNaN(dateMs) ? null : Math.max(0, Math.round((dateMs - nowMs) / 1000));
}
