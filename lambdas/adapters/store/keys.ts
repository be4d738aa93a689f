/**
 * The single-table layout (README, "Storage layout"). Partition by origin for state, by shard and UTC
 * day for history, so a day of one shard's passes is one Query.
 *
 * | pk                        | sk                        | what                                                  |
 * | ORIGIN#<origin>           | STATE                     | latest state of the origin and its URLs (versioned)   |
 * | ORIGIN#<origin>           | STATE#URLS#<write>#<n>    | a big state's URL records, in parts (parts.ts)        |
 * | ORIGIN#<origin>           | STATE#REST#<write>#<n>    | its other records (outbox, incidents notified)        |
 * | ORIGIN#<origin>           | ROBOTS#GOOD               | last good robots.txt (gzip), its hash and fetchedAt   |
 * | ORIGIN#<origin>           | ROBOTS#PART#<hash>#<n>    | the parts of a copy whose gzip outgrows one item      |
 * | ORIGIN#<origin>           | EVENT#<at>#<id>           | one event of the event log (idempotent by id)         |
 * | HIST#<shard>#<yyyy-mm-dd> | <checkedAt ISO>           | every check of one pass, packed; TTL expiresAt        |
 * | HIST#<shard>#<yyyy-mm-dd> | <checkedAt ISO>#<n>       | the parts of a pass too big for one item              |
 * | TARGETS#<hash>            | TARGETS                   | the target list pass items refer to                   |
 * | TARGETS#<hash>            | PART#<n>                  | the parts of a target list too big for one item       |
 * | BUDGET#sms                | <yyyy-mm-dd>              | texts sent that UTC day (atomic counter; TTL)         |
 * | REPORT                    | PUBLISHED                 | when the status page was last published (AWS)         |
 */
import { partIndex } from './parts';

/** The two sets of a state's parts: URL records (kept across writes that change no URL), and the rest. */
export type StatePartSet = 'URLS' | 'REST';

export const key = {
  originState: (origin: string) => ({ pk: `ORIGIN#${origin}`, sk: 'STATE' }),
  statePart: (origin: string, set: StatePartSet, writeId: string, index: number) => ({
    pk: `ORIGIN#${origin}`,
    sk: `STATE#${set}#${writeId}#${partIndex(index)}`,
  }),
  robotsCopy: (origin: string) => ({ pk: `ORIGIN#${origin}`, sk: 'ROBOTS#GOOD' }),
  robotsCopyPart: (origin: string, hash: string, index: number) => ({
    pk: `ORIGIN#${origin}`,
    sk: `ROBOTS#PART#${hash.slice(0, 20)}#${partIndex(index)}`,
  }),
  event: (event: { origin: string; at: string; id: string }) => ({
    pk: `ORIGIN#${event.origin}`,
    sk: `EVENT#${event.at}#${event.id}`,
  }),
  passDay: (shardId: string, dayIso: string) => `HIST#${shardId}#${dayIso}`,
  pass: (shardId: string, checkedAt: string) => ({ pk: key.passDay(shardId, checkedAt.slice(0, 10)), sk: checkedAt }),
  passPart: (shardId: string, checkedAt: string, index: number) => ({
    pk: key.passDay(shardId, checkedAt.slice(0, 10)),
    sk: key.passPartSk(checkedAt, index),
  }),
  passPartSk: (checkedAt: string, index: number) => `${checkedAt}#${partIndex(index)}`,
  targets: (hash: string) => ({ pk: `TARGETS#${hash}`, sk: 'TARGETS' }),
  targetsPart: (hash: string, index: number) => ({ pk: `TARGETS#${hash}`, sk: `PART#${partIndex(index)}` }),
  smsBudget: (dayIso: string) => ({ pk: 'BUDGET#sms', sk: dayIso.slice(0, 10) }),
  report: { pk: 'REPORT', sk: 'PUBLISHED' },
};

/** UTC days (yyyy-mm-dd) from `fromMs` to `toMs`, inclusive. */
export function daysBetween(fromMs: number, toMs: number): string[] {
  const days: string[] = [];
  const day = 86_400_000;
  for (let t = Math.floor(fromMs / day) * day; t <= toMs; t += day) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Key schema shared by the local table and the CDK table. */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk', ttlAttribute: 'expiresAt' } as const;
