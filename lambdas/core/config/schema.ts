/**
 * The monitors.yaml schema: one zod schema is both the type and the validator, used by the CLI,
 * the Lambda cold start and `cdk synth`. Keys named in the README are a contract: add, never rename.
 * Defaults live here, beside the key they belong to.
 */
import { z } from 'zod';
import { parseDurationMs } from './duration';

const duration = (what: string) =>
  z.string({ error: `expected a duration such as 30s, 5m or 1h for ${what}` }).transform((text, ctx) => {
    const ms = parseDurationMs(text);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `expected a duration such as 30s, 5m or 1h for ${what}`, input: text });
      return z.NEVER;
    }
    return ms;
  });

const count = (min: number, max: number) =>
  z
    .number({ error: `expected a whole number ${min}-${max}` })
    .int(`expected a whole number ${min}-${max}`)
    .min(min, `expected a whole number ${min}-${max}`)
    .max(max, `expected a whole number ${min}-${max}`);

/** One value or a list of them: `expectStatus: 200` reads as `[200]`. */
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (Array.isArray(value) ? value : [value]), z.array(item));

/** `defaults:` with every child commented out is YAML null: read it as "all defaults". */
const emptyAsDefault = <T extends z.ZodType>(schema: T) => z.preprocess((value) => value ?? undefined, schema);

const httpStatus = z
  .number({ error: 'expected an HTTP status 100-599' })
  .int('expected an HTTP status 100-599')
  .min(100, 'expected an HTTP status 100-599')
  .max(599, 'expected an HTTP status 100-599');

/** Settings a site inherits from `defaults:` and may override. */
export const SETTING_DEFAULTS = {
  /** How often each site is checked. */
  interval: '5m',
  /** Whole request: connect, headers and body. */
  timeout: '10s',
  /** Confirmation retries inside one pass before a failure counts. */
  retries: 2,
  /** Delay before the first retry; each later retry waits 5× longer (2s, 10s, 50s…), capped at 60s. */
  retryBackoff: '2s',
  /** Consecutive failing passes that confirm a URL is down. */
  failureThreshold: 2,
  /** Consecutive healthy passes that close an incident. */
  successThreshold: 2,
  /** User-Agent header of every request. */
  userAgent: 'crawlguard/0.1 (+synthetic uptime check)',
  /** url-deindex-risk: Google calls errors "for 1-2 days" acceptable, "multiple days" risky (SEO-RULES.md). */
  deindexRiskAfter: '24h',
  /** url-deindex-critical. */
  deindexCriticalAfter: '48h',
  /** Repeat the current tier of an open incident this often; `off` sends each tier once. */
  remindEvery: 'off',
  /** robots-cached-copy: Google uses the last good copy after 12 hours (robots.txt specification). */
  robotsCachedCopyAfter: '12h',
  /** robots-cliff-warning: five days before the cliff. */
  robotsCliffWarningAfter: '25d',
  /** robots-cliff: after 30 days Google stops using the cached copy (robots.txt specification; RFC 9309 2.3.1.4). */
  robotsCliffAfter: '30d',
} as const;

const settingsShape = {
  interval: duration('interval'),
  timeout: duration('timeout'),
  retries: count(0, 5),
  retryBackoff: duration('retryBackoff'),
  failureThreshold: count(1, 100),
  successThreshold: count(1, 100),
  userAgent: z.string().min(1, 'expected a non-empty User-Agent'),
  deindexRiskAfter: duration('deindexRiskAfter'),
  deindexCriticalAfter: duration('deindexCriticalAfter'),
  remindEvery: z
    .union([z.literal('off'), duration('remindEvery')], { error: 'expected off or a duration such as 6h' })
    .transform((value) => (value === 'off' ? null : value)),
  robotsCachedCopyAfter: duration('robotsCachedCopyAfter'),
  robotsCliffWarningAfter: duration('robotsCliffWarningAfter'),
  robotsCliffAfter: duration('robotsCliffAfter'),
};

const defaultsSchema = z.strictObject({
  interval: settingsShape.interval.prefault(SETTING_DEFAULTS.interval),
  timeout: settingsShape.timeout.prefault(SETTING_DEFAULTS.timeout),
  retries: settingsShape.retries.prefault(SETTING_DEFAULTS.retries),
  retryBackoff: settingsShape.retryBackoff.prefault(SETTING_DEFAULTS.retryBackoff),
  failureThreshold: settingsShape.failureThreshold.prefault(SETTING_DEFAULTS.failureThreshold),
  successThreshold: settingsShape.successThreshold.prefault(SETTING_DEFAULTS.successThreshold),
  userAgent: settingsShape.userAgent.prefault(SETTING_DEFAULTS.userAgent),
  deindexRiskAfter: settingsShape.deindexRiskAfter.prefault(SETTING_DEFAULTS.deindexRiskAfter),
  deindexCriticalAfter: settingsShape.deindexCriticalAfter.prefault(SETTING_DEFAULTS.deindexCriticalAfter),
  remindEvery: settingsShape.remindEvery.prefault(SETTING_DEFAULTS.remindEvery),
  robotsCachedCopyAfter: settingsShape.robotsCachedCopyAfter.prefault(SETTING_DEFAULTS.robotsCachedCopyAfter),
  robotsCliffWarningAfter: settingsShape.robotsCliffWarningAfter.prefault(SETTING_DEFAULTS.robotsCliffWarningAfter),
  robotsCliffAfter: settingsShape.robotsCliffAfter.prefault(SETTING_DEFAULTS.robotsCliffAfter),
});

const E164 = /^\+[1-9]\d{1,14}$/;
const SMS_FORMAT = 'expected a phone number in E.164 form in quotes, such as "+15555550100"';

const channels = z.array(z.enum(['sms', 'email'], { error: 'expected sms or email' }), {
  error: 'expected a list of channels such as [sms, email]',
});

/** Which channels each severity goes to. A site's routing overrides these per severity. */
export const DEFAULT_ROUTING = { critical: ['sms', 'email'], warning: ['email'], info: [] } as const;

const routingSchema = z.strictObject({
  critical: channels.optional(),
  warning: channels.optional(),
  info: channels.optional(),
});

const alertsSchema = z.strictObject({
  email: z.array(z.email('expected an email address')).default([]),
  sms: z.array(z.string({ error: SMS_FORMAT }).regex(E164, SMS_FORMAT)).default([]),
  /** Texts per UTC day across all sites; past it, alerts that would be texted go by email with a line saying so. */
  smsPerDay: count(0, 1000).default(10),
  routing: emptyAsDefault(routingSchema.prefault({})),
});

const limitsSchema = z.strictObject({
  /** Requests in flight at once across all sites. */
  concurrency: count(1, 2000).default(50),
  /** Requests in flight at once to one origin: a monitor must not become the load it watches for. */
  perOriginConcurrency: count(1, 50).default(4),
  /**
   * In AWS, sites are split into shards of at most this many checks (URLs plus robots.txt), one Lambda
   * invocation each. 500 at 50 in flight ends well inside a 1-minute interval and far under Lambda's
   * 1,024 open files. An origin is never split: a bigger site gets a shard of its own.
   */
  maxUrlsPerShard: count(10, 5000).default(500),
});

const reportSchema = z.strictObject({
  /** In AWS, how often the status page is republished after a pass (at most once a minute); `off` to never. */
  every: z
    .union([z.literal('off'), duration('report.every')], { error: 'expected off or a duration such as 15m' })
    .transform((value) => (value === 'off' ? null : value))
    .refine((ms) => ms === null || ms >= 60_000, 'the report is published at most once a minute: use 1m or more')
    .prefault('15m'),
});

const historySchema = z.strictObject({
  /** How long check history is kept (DynamoDB TTL). */
  retention: duration('retention').prefault('30d'),
});

const urlObjectSchema = z.strictObject({
  path: z.string({ error: 'expected a path such as /pricing or an absolute URL of this origin' }),
  /** Statuses that count as healthy; default: any 2xx after redirects. */
  expectStatus: oneOrMany(httpStatus).optional(),
  bodyContains: oneOrMany(z.string().min(1, 'expected a non-empty string')).default([]),
  bodyNotContains: oneOrMany(z.string().min(1, 'expected a non-empty string')).default([]),
});

/** A URL entry is a path string or an object with assertions; the string is shorthand for `{ path }`. */
const urlEntrySchema = z.preprocess((value) => (typeof value === 'string' ? { path: value } : value), urlObjectSchema);

/** Agents evaluated per site: each adds its rules and verdicts to what an event carries. */
export const MAX_AGENTS = 20;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const instant = z
  .string({ error: 'expected an ISO-8601 time with a zone, such as 2026-12-01T02:00:00Z' })
  .regex(ISO_INSTANT, 'expected an ISO-8601 time with a zone, such as 2026-12-01T02:00:00Z')
  .refine((text) => !Number.isNaN(Date.parse(text)), 'expected a real calendar time');

const maintenanceSchema = z.strictObject({
  start: instant,
  end: instant,
  reason: z.string().optional(),
});

const siteSchema = z.strictObject({
  origin: z.string({ error: 'expected an origin such as https://www.example.com' }),
  /** Check /robots.txt of this origin. */
  robots: z.boolean().default(true),
  /** robots.txt product tokens to evaluate. */
  agents: z
    .array(z.string().regex(/^[A-Za-z_-]+$/, 'expected a robots.txt product token such as Googlebot'))
    .min(1, 'expected at least one agent')
    .max(MAX_AGENTS, `expected at most ${MAX_AGENTS} agents`)
    .default(['Googlebot']),
  /** Opt in to loopback and private targets (the SSRF guard refuses them by default). */
  allowPrivateNetwork: z.boolean().default(false),
  urls: z.array(urlEntrySchema).default([]),
  /** One path or absolute URL of this origin per line, relative to monitors.yaml. */
  urlsFile: z.string().min(1).optional(),
  maintenance: z.array(maintenanceSchema).default([]),
  /** Per-site routing, e.g. `alerts: { routing: { critical: [email] } }` for a site nobody should be texted about. */
  alerts: z.strictObject({ routing: routingSchema.optional() }).optional(),
  interval: settingsShape.interval.optional(),
  timeout: settingsShape.timeout.optional(),
  retries: settingsShape.retries.optional(),
  retryBackoff: settingsShape.retryBackoff.optional(),
  failureThreshold: settingsShape.failureThreshold.optional(),
  successThreshold: settingsShape.successThreshold.optional(),
  userAgent: settingsShape.userAgent.optional(),
  deindexRiskAfter: settingsShape.deindexRiskAfter.optional(),
  deindexCriticalAfter: settingsShape.deindexCriticalAfter.optional(),
  remindEvery: settingsShape.remindEvery.optional(),
  robotsCachedCopyAfter: settingsShape.robotsCachedCopyAfter.optional(),
  robotsCliffWarningAfter: settingsShape.robotsCliffWarningAfter.optional(),
  robotsCliffAfter: settingsShape.robotsCliffAfter.optional(),
});

export const monitorsSchema = z.strictObject({
  version: z.literal(1, 'expected version: 1'),
  defaults: emptyAsDefault(defaultsSchema.prefault({})),
  alerts: emptyAsDefault(alertsSchema.prefault({})),
  limits: emptyAsDefault(limitsSchema.prefault({})),
  history: emptyAsDefault(historySchema.prefault({})),
  report: emptyAsDefault(reportSchema.prefault({})),
  sites: z.array(siteSchema, { error: 'expected a list of sites' }).min(1, 'expected at least one site'),
});

/** monitors.yaml as validated, before URLs are resolved against their origin. */
export type MonitorsDocument = z.output<typeof monitorsSchema>;
export type SiteDocument = MonitorsDocument['sites'][number];
export type UrlDocument = z.output<typeof urlObjectSchema>;
