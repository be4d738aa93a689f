/** Human output of a pass: a table with one row per check, a detail line under each problem, a summary. */
import pc from 'picocolors';
import { formatDurationMs } from '../../core/config/duration';
import type { CheckResult, RobotsState } from '../../core/probe/types';
import type { RobotsFinding } from '../../core/robots/analyse';
import { headline } from '../../core/messages/headline';
import type { CrawlEvent } from '../../core/rules/event';
import type { OriginDelivery } from '../deliver';
import type { StoreFailure } from '../pass';

export type Colors = ReturnType<typeof pc.createColors>;

export function colorsFor(stream: NodeJS.WriteStream): Colors {
  const enabled = Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
  return pc.createColors(enabled || 'FORCE_COLOR' in process.env);
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - text.length));

function outcomeColor(c: Colors, result: CheckResult): (text: string) => string {
  if (result.outcome === 'ok') return c.green;
  if (result.outcome === 'not_checked') return c.dim;
  if (
    result.outcome === 'assertion_failed' ||
    result.outcome === 'client_error' ||
    result.outcome === 'unexpected_status'
  )
    return c.yellow;
  return c.red;
}

function robotsLines(finding: RobotsFinding, state: RobotsState): string[] {
  const lines: string[] = [];
  lines.push(
    {
      available: 'robots.txt available: crawlers apply this copy',
      unavailable: 'robots.txt unavailable: crawlers apply no restrictions',
      unreachable: `robots.txt unreachable: Google stops crawling the whole site, and after 12 h applies ${finding.copyFetchedAt ? `the last good copy (first fetched ${finding.copyFetchedAt})` : 'no restrictions (it has no earlier copy)'}`,
    }[state],
  );
  if (finding.truncated) lines.push('larger than 500 KiB: rules after that point are ignored by Google');
  for (const agent of finding.blocksSite) lines.push(`disallows / for ${agent}: the whole site is closed to it`);
  for (const [agent, urls] of Object.entries(finding.disallowed)) {
    for (const { url, rule } of urls)
      lines.push(
        `${agent} may not crawl ${url} (${rule.directive === 'allow' ? 'Allow' : 'Disallow'}: ${rule.pattern}, line ${rule.line})`,
      );
  }
  for (const change of finding.changes ?? []) {
    for (const rule of change.added) lines.push(`rule added for ${change.agent}: ${rule}`);
    for (const rule of change.removed) lines.push(`rule removed for ${change.agent}: ${rule}`);
  }
  return lines;
}

function details(result: CheckResult): string[] {
  const lines: string[] = [];
  if (result.error) lines.push(result.error);
  if (result.leak.length > 0)
    lines.push(`error page leaks: ${result.leak.join(', ')} (a production 5xx must not show these)`);
  if (result.retryAfter !== null) lines.push(`Retry-After: ${result.retryAfter}s`);
  if (result.attempts > 1) lines.push(`attempts: ${result.attemptLog.map((a) => a.status ?? a.outcome).join(' → ')}`);
  if (result.robots && result.robotsState) lines.push(...robotsLines(result.robots, result.robotsState));
  return lines;
}

export function renderTable(results: readonly CheckResult[], c: Colors): string[] {
  const rows = results.map((r) => ({
    result: r,
    cells: [String(r.status ?? '-'), r.outcome, `${r.latencyMs} ms`, String(r.attempts), r.requestId ?? '-', r.url],
  }));
  const header = ['STATUS', 'OUTCOME', 'LATENCY', 'TRIES', 'REQUEST ID', 'URL'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => Math.min(row.cells[i]!.length, 40))));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : pad(cell, widths[i]!))).join('  ');
  const out = [c.bold(line(header))];
  for (const { result, cells } of rows) {
    const color = outcomeColor(c, result);
    out.push(line(cells.map((cell, i) => (i === 1 ? color(pad(cell, widths[i]!)) : cell))));
    for (const detail of details(result)) out.push(c.dim(`        ↳ ${detail}`));
  }
  return out;
}

function severityColor(c: Colors, severity: CrawlEvent['severity']): (text: string) => string {
  return severity === 'critical' ? c.red : severity === 'warning' ? c.yellow : c.cyan;
}

/** Events of a pass: the headline, then what to expect next and where to look. */
export function renderEvents(events: readonly CrawlEvent[], c: Colors): string[] {
  if (events.length === 0) return [];
  const out = [c.bold(`Events (${events.length})`)];
  for (const event of events) {
    out.push(`${severityColor(c, event.severity)(event.tier.padEnd(22))} ${headline(event)}`);
    const more: string[] = [];
    if (event.nextTier) more.push(`next: ${event.nextTier.tier} in ${formatDurationMs(event.nextTier.inMs)}`);
    if (event.checkFirst) more.push(`check first: ${event.checkFirst}`);
    more.push(...event.notes);
    for (const line of more) out.push(c.dim(`        ↳ ${line}`));
  }
  return out;
}

/** Notifications of a pass: where each went, the text message, and failures in plain sight. */
export function renderDeliveries(deliveries: readonly OriginDelivery[], c: Colors): string[] {
  const out: string[] = [];
  for (const d of deliveries) {
    const n = d.notification;
    if (n && d.where)
      out.push(`${c.bold(`[${n.channels.join('+')}]`)} ${n.subject}`, c.dim(`        ↳ sent: ${d.where}`));
    if (n?.sms && d.where) out.push(c.dim(`        ↳ sms: ${n.sms}`));
    if (d.failure) out.push(c.red(`ALERT NOT DELIVERED for ${d.origin}: ${d.failure.message}`));
    if (d.pending > 0)
      out.push(
        c.yellow(`${d.pending} alert${d.pending === 1 ? '' : 's'} of ${d.origin} pending: the next pass retries`),
      );
  }
  return out.length > 0 ? [c.bold('Notifications'), ...out] : [];
}

/** Writes of ours that failed: loud, with what was lost and what happens next. */
export function renderStoreFailures(failures: readonly StoreFailure[], c: Colors): string[] {
  return failures.map((f) =>
    c.red(
      f.origin
        ? `NOT SAVED for ${f.origin}: ${f.message}; the next pass applies this one's results again`
        : `NOT SAVED: ${f.message}`,
    ),
  );
}

export function renderSummary(results: readonly CheckResult[], durationMs: number, c: Colors): string {
  const notChecked = results.filter((r) => r.outcome === 'not_checked').length;
  const failing = results.filter((r) => r.outcome !== 'ok' && r.outcome !== 'not_checked');
  const byOutcome = new Map<string, number>();
  for (const r of failing) byOutcome.set(r.outcome, (byOutcome.get(r.outcome) ?? 0) + 1);
  const breakdown = [...byOutcome].map(([outcome, n]) => `${outcome} ${n}`).join(', ');
  const ok = results.length - failing.length - notChecked;
  const head = `${plural(results.length, 'check')} in ${formatDurationMs(durationMs)}: ${ok} ok`;
  const skipped =
    notChecked > 0 ? `, ${c.yellow(`${notChecked} not checked`)} (the pass ran out of time: no verdict on them)` : '';
  return failing.length === 0
    ? `${notChecked === 0 ? c.green(head) : head}${skipped}`
    : `${head}, ${c.red(`${failing.length} not ok`)} (${breakdown})${skipped}`;
}
