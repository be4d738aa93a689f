/**
 * Compact history: one item per shard per pass holds every check of the pass as a few characters
 * (`o200:123`, outcome code + status + latency), with full detail kept only for checks that failed.
 * At about 10 bytes per check a write unit (1 KB) covers ~100 checks: storage cost stays far under
 * 0.05 write units per check while each URL's history can still be read back.
 */
import { clip } from '../../core/messages/ascii';
import type { Outcome } from '../../core/probe/outcome';
import { clipText } from '../../core/rules/bounds';
import type { CheckResult, TargetKind } from '../../core/probe/types';

const CODE: Record<Outcome, string> = {
  ok: 'o',
  server_error: 's',
  rate_limited: 'r',
  client_error: 'c',
  unexpected_status: 'u',
  assertion_failed: 'a',
  timeout: 't',
  dns: 'd',
  connect: 'n',
  reset: 'x',
  tls: 'l',
  too_many_redirects: 'm',
  blocked: 'b',
  not_checked: 'k',
};
const OUTCOME_OF = Object.fromEntries(Object.entries(CODE).map(([outcome, code]) => [code, outcome as Outcome]));

/** What a failed check keeps beyond its packed entry. */
export type FailureDetail = Pick<
  CheckResult,
  'requestId' | 'error' | 'retryAfter' | 'leak' | 'redirects' | 'finalUrl' | 'attemptLog'
>;

/** A check read back from history: `checkedAt` is the pass's instant; detail only for failures. */
export type HistoryEntry = Pick<
  CheckResult,
  'kind' | 'url' | 'checkedAt' | 'status' | 'outcome' | 'latencyMs' | 'attempts'
> & {
  detail: FailureDetail | null;
};

/** The target list a pass item refers to by hash, stored once. */
export type TargetList = [TargetKind, string][];

/** A URL as history keeps it: a hostile Location header may be 16 KB long. */
const MAX_URL_CHARS = 2_100;

/**
 * The detail of one failed check, bounded whatever the target answered: at most 6 attempts (retries are
 * 0-5), each text cut (bounds.ts), so a pass of 500 checks failing in every way stays a few items.
 */
function failureDetail(r: CheckResult): FailureDetail {
  const { requestId, retryAfter, leak, redirects } = r;
  return {
    requestId,
    error: clipText(r.error),
    retryAfter,
    leak,
    redirects,
    finalUrl: clip(r.finalUrl, MAX_URL_CHARS),
    attemptLog: r.attemptLog.map((a) => ({ ...a, error: clipText(a.error) })),
  };
}

export function packResults(results: readonly CheckResult[]): {
  packed: string;
  details: Record<number, FailureDetail>;
} {
  const details: Record<number, FailureDetail> = {};
  const entries = results.map((r, index) => {
    if (r.outcome !== 'ok') details[index] = failureDetail(r);
    return `${CODE[r.outcome]}${r.status ?? ''}:${r.latencyMs}${r.attempts === 1 ? '' : `*${r.attempts}`}`;
  });
  return { packed: entries.join(' '), details };
}

const ENTRY = /^([a-z])(\d*):(\d+)(?:\*(\d+))?$/;

export function unpackResults(
  targets: TargetList,
  checkedAt: string,
  packed: string,
  details: Record<number, FailureDetail>,
): HistoryEntry[] {
  const entries = packed ? packed.split(' ') : [];
  if (entries.length !== targets.length)
    throw new Error(`history item has ${entries.length} checks for ${targets.length} targets`);
  return entries.map((entry, index) => {
    const match = ENTRY.exec(entry);
    const outcome = match && OUTCOME_OF[match[1]!];
    if (!match || !outcome) throw new Error(`unreadable history entry ${JSON.stringify(entry)}`);
    const [kind, url] = targets[index]!;
    return {
      kind,
      url,
      checkedAt,
      status: match[2] ? Number(match[2]) : null,
      outcome,
      latencyMs: Number(match[3]),
      attempts: match[4] ? Number(match[4]) : 1,
      detail: details[index] ?? null,
    };
  });
}
