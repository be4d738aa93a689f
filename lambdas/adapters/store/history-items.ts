/**
 * Check history as items: one item per shard per pass (every check packed, detail for failures only),
 * and the target list it refers to, stored once per distinct list. Either is cut into parts when it
 * outgrows one item (a 500-check shard failing with the longest detail; a site of 50,000 URLs): parts
 * first, then the item that names them, so a reader never sees a head without its parts.
 */
import type { CheckResult } from '../../core/probe/types';
import { sha256Hex } from '../../core/robots/analyse';
import { packResults, unpackResults, type FailureDetail, type HistoryEntry, type TargetList } from './codec';
import { itemBytes } from './item-size';
import { key } from './keys';
import { gunzipJson, gzipJson, PART_BYTES, slices } from './parts';
import type { Item } from './table';

interface PassBody {
  results: string;
  details: Record<number, FailureDetail>;
}

/** The items of one pass: the pass item last, after its parts (none when it fits). */
export function passItems(shardId: string, passAt: string, results: readonly CheckResult[], targetsHash: string, retentionMs: number): Item[] {
  const { packed, details } = packResults(results);
  const head = { ...key.pass(shardId, passAt), targets: targetsHash, expiresAt: Math.floor((Date.parse(passAt) + retentionMs) / 1000) };
  const inline = { ...head, results: packed, details: Object.keys(details).length > 0 ? JSON.stringify(details) : undefined };
  if (itemBytes(inline) <= PART_BYTES) return [inline];
  const cut = slices(gzipJson({ results: packed, details } satisfies PassBody));
  return [...cut.map((data, i) => ({ ...key.passPart(shardId, passAt, i), data, expiresAt: head.expiresAt })), { ...head, parts: cut.length }];
}

/** The pass item of a pass, as `crawlguard cost` measures it. */
export const historyItem = (...args: Parameters<typeof passItems>): Item => passItems(...args).at(-1)!;

/** Reads the passes among the items of a history Query (pass items and their parts, in key order). */
export function passesOf(items: readonly Item[]): { checkedAt: string; targets: string; body: PassBody }[] {
  const parts = new Map(items.filter((item) => 'data' in item).map((item) => [String(item.sk), item.data as Uint8Array]));
  return items.filter((item) => !('data' in item)).flatMap((item) => {
    const checkedAt = String(item.sk);
    const count = Number(item.parts ?? 0);
    if (count === 0) {
      const details = item.details ? (JSON.parse(String(item.details)) as PassBody['details']) : {};
      return [{ checkedAt, targets: String(item.targets), body: { results: String(item.results ?? ''), details } }];
    }
    const data = Array.from({ length: count }, (_, i) => parts.get(key.passPartSk(checkedAt, i)));
    // A pass whose parts are not all there was cut short by a crash while being written: it is skipped.
    if (data.some((d) => d === undefined)) return [];
    return [{ checkedAt, targets: String(item.targets), body: gunzipJson(Buffer.concat(data as Uint8Array[])) as PassBody }];
  });
}

export function historyEntries(targets: TargetList, pass: ReturnType<typeof passesOf>[number]): HistoryEntry[] {
  return unpackResults(targets, pass.checkedAt, pass.body.results, pass.body.details);
}

/** A target list's hash and items: one item, or parts and then the item naming them. */
export function targetListItems(results: readonly CheckResult[]): { hash: string; targets: TargetList; items: Item[] } {
  const targets: TargetList = results.map((r) => [r.kind, r.url]);
  const json = JSON.stringify(targets);
  const hash = sha256Hex(json).slice(0, 20);
  if (Buffer.byteLength(json) <= PART_BYTES) return { hash, targets, items: [{ ...key.targets(hash), targets: json }] };
  const cut = slices(gzipJson(targets));
  return { hash, targets, items: [...cut.map((data, i) => ({ ...key.targetsPart(hash, i), data })), { ...key.targets(hash), parts: cut.length }] };
}

/** The target list of a stored head item, given a way to read its parts. */
export async function readTargetList(head: Item, parts: (count: number) => Promise<(Uint8Array | undefined)[]>): Promise<TargetList | null> {
  const count = Number(head.parts ?? 0);
  if (count === 0) return JSON.parse(String(head.targets)) as TargetList;
  const data = await parts(count);
  return data.some((d) => d === undefined) ? null : (gunzipJson(Buffer.concat(data as Uint8Array[])) as TargetList);
}
