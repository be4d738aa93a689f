/**
 * Check history as items: one item per shard per pass (every check packed, detail for failures only),
 * and the target list it refers to, stored once per distinct list. Either is written as records in
 * parts (parts.ts) when it outgrows one item (a 500-check shard failing with the longest detail; a site
 * of 50,000 URLs): parts first, then the item that names them, so a reader never sees a head without
 * its parts.
 */
import type { CheckResult } from '../../core/probe/types';
import { createHash } from 'node:crypto';
import { packResults, unpackResults, type FailureDetail, type HistoryEntry, type TargetList } from './codec';
import { key } from './keys';
import { packRecords, PART_BYTES, recordsOf } from './parts';
import { storedJson } from './stored-json';
import type { Item } from './table';

interface PassBody {
  results: string;
  details: Record<number, FailureDetail>;
}

/** Packed results are one string; as records they go in runs of this many checks. */
const CHECKS_PER_RECORD = 10_000;

/** The items of one pass: the pass item last, after its parts (none when it fits). */
export function passItems(
  shardId: string,
  passAt: string,
  results: readonly CheckResult[],
  targetsHash: string,
  retentionMs: number,
): Item[] {
  const { packed, details } = packResults(results);
  const head = {
    ...key.pass(shardId, passAt),
    targets: targetsHash,
    expiresAt: Math.floor((Date.parse(passAt) + retentionMs) / 1000),
  };
  // Each detail on its own: their total decides, and no string ever holds them all.
  const detailLines = Object.entries(details).map(([index, detail]) => storedJson(['detail', Number(index), detail]));
  const detailBytes = detailLines.reduce((n, line) => n + Buffer.byteLength(line), 0);
  if (Buffer.byteLength(packed) + detailBytes < PART_BYTES) {
    return [{ ...head, results: packed, details: detailLines.length > 0 ? storedJson(details) : undefined }];
  }
  const entries = packed.split(' ');
  const runs = Array.from({ length: Math.ceil(entries.length / CHECKS_PER_RECORD) }, (_, i) =>
    JSON.stringify(['results', entries.slice(i * CHECKS_PER_RECORD, (i + 1) * CHECKS_PER_RECORD).join(' ')]),
  );
  const parts = packRecords([...runs, ...detailLines]);
  return [
    ...parts.map((data, i) => ({ ...key.passPart(shardId, passAt, i), data, expiresAt: head.expiresAt })),
    { ...head, parts: parts.length },
  ];
}

/** The pass item of a pass, as `crawlguard cost` measures it. */
export const historyItem = (...args: Parameters<typeof passItems>): Item => passItems(...args).at(-1)!;

function bodyOf(records: Iterable<unknown>): PassBody {
  const runs: string[] = [];
  const details: PassBody['details'] = {};
  for (const record of records as Iterable<['results', string] | ['detail', number, FailureDetail]>) {
    if (record[0] === 'results') runs.push(record[1]);
    else details[record[1]] = record[2];
  }
  return { results: runs.join(' '), details };
}

/** Reads the passes among the items of a history Query (pass items and their parts, in key order). */
export function passesOf(items: readonly Item[]): { checkedAt: string; targets: string; body: PassBody }[] {
  const parts = new Map(
    items.filter((item) => 'data' in item).map((item) => [String(item.sk), item.data as Uint8Array]),
  );
  return items
    .filter((item) => !('data' in item))
    .flatMap((item) => {
      const checkedAt = String(item.sk);
      const count = Number(item.parts ?? 0);
      if (count === 0) {
        const details = item.details ? (JSON.parse(String(item.details)) as PassBody['details']) : {};
        return [{ checkedAt, targets: String(item.targets), body: { results: String(item.results ?? ''), details } }];
      }
      const data = Array.from({ length: count }, (_, i) => parts.get(key.passPartSk(checkedAt, i)));
      // A pass whose parts are not all there was cut short by a crash while being written: it is skipped.
      if (data.some((d) => d === undefined)) return [];
      return [{ checkedAt, targets: String(item.targets), body: bodyOf(recordsOf(data as Uint8Array[])) }];
    });
}

export function historyEntries(targets: TargetList, pass: ReturnType<typeof passesOf>[number]): HistoryEntry[] {
  return unpackResults(targets, pass.checkedAt, pass.body.results, pass.body.details);
}

/** A target list's hash and items: one item, or parts (one record per target) and then the item naming them. */
export function targetListItems(results: readonly CheckResult[]): { hash: string; targets: TargetList; items: Item[] } {
  const targets: TargetList = results.map((r) => [r.kind, r.url]);
  const lines = targets.map((target) => JSON.stringify(target));
  // The hash of the list's JSON, fed line by line: a 100 MB list never becomes one string.
  const digest = createHash('sha256').update('[');
  lines.forEach((line, i) => digest.update(i === 0 ? line : `,${line}`));
  const hash = digest.update(']').digest('hex').slice(0, 20);
  const bytes = lines.reduce((n, line) => n + Buffer.byteLength(line) + 1, 2);
  if (bytes < PART_BYTES) return { hash, targets, items: [{ ...key.targets(hash), targets: `[${lines.join(',')}]` }] };
  const parts = packRecords(lines);
  return {
    hash,
    targets,
    items: [
      ...parts.map((data, i) => ({ ...key.targetsPart(hash, i), data })),
      { ...key.targets(hash), parts: parts.length },
    ],
  };
}

/** The target list of a stored head item, given a way to read its parts; null when a part is missing. */
export async function readTargetList(
  head: Item,
  parts: (count: number) => Promise<(Uint8Array | undefined)[]>,
): Promise<TargetList | null> {
  const count = Number(head.parts ?? 0);
  if (count === 0) return JSON.parse(String(head.targets)) as TargetList;
  const data = await parts(count);
  return data.some((d) => d === undefined) ? null : ([...recordsOf(data as Uint8Array[])] as TargetList);
}
