/**
 * An origin's state as items: one `STATE` item, conditional on its version. The state is written as
 * records (its head, each URL, each pending event, each notified incident; parts.ts): kept inside the
 * STATE item when they fit, otherwise (a site of 50,000 URLs, an outbox of thousands of events) in parts
 * written before the `STATE` item that names them. Part keys carry the id of the write
 * that made them, so two writers never share a part: the loser of a version race deletes its own, the
 * winner deletes those of the version it replaced, and a reader that finds a part gone re-reads the head.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { gunzipSync } from 'node:zlib';
import type { OutboxEntry } from '../../core/alerts/route';
import type { Channel } from '../../core/config/types';
import type { OriginState, UrlState } from '../../core/rules/state';
import { StateConflictError, StoreError, storeFailure } from './errors';
import { key } from './keys';
import { packRecords, recordsOf } from './parts';
import type { Item, Key, Table } from './table';

/** Which write made a state, and in how many parts it is stored (0: inside the STATE item). */
export interface StoredVersion {
  version: number;
  writeId: string;
  parts: number;
}

export interface VersionedState extends StoredVersion {
  state: OriginState;
}

type StateRecord =
  | ['head', Omit<OriginState, 'urls' | 'outbox' | 'notified'>]
  | ['url', string, UrlState]
  | ['outbox', OutboxEntry]
  | ['notified', string, Channel[]];

function* stateRecords(state: OriginState): Generator<string> {
  const { urls, outbox, notified, ...head } = state;
  const line = (record: StateRecord) => JSON.stringify(record);
  yield line(['head', head]);
  for (const [url, urlState] of Object.entries(urls)) yield line(['url', url, urlState]);
  for (const entry of outbox) yield line(['outbox', entry]);
  for (const [incident, channels] of Object.entries(notified)) yield line(['notified', incident, channels]);
}

function stateOf(records: Iterable<unknown>): OriginState {
  let head: Omit<OriginState, 'urls' | 'outbox' | 'notified'> | undefined;
  const urls: OriginState['urls'] = {};
  const outbox: OriginState['outbox'] = [];
  const notified: OriginState['notified'] = {};
  for (const record of records as Iterable<StateRecord>) {
    if (record[0] === 'head') head = record[1];
    else if (record[0] === 'url') urls[record[1]] = record[2];
    else if (record[0] === 'outbox') outbox.push(record[1]);
    else notified[record[1]] = record[2];
  }
  if (!head) throw new StoreError('a stored state has no head record; it was not written by this version of crawlguard');
  return { ...head, urls, outbox, notified };
}

/** The items of one state write: the STATE item and its parts (none when it fits in the STATE item). */
export function stateItems(state: OriginState, version: number, writeId: string): { head: Item; parts: Item[] } {
  // Gzipped: incidents and the outbox make the JSON repetitive; item size is what writes cost.
  const packed = packRecords(stateRecords(state));
  const base = { ...key.originState(state.origin), version, writeId, updatedAt: state.appliedAt };
  if (packed.length === 1) return { head: { ...base, records: packed[0], parts: 0 }, parts: [] };
  return { head: { ...base, parts: packed.length }, parts: packed.map((data, i) => ({ ...key.statePart(state.origin, writeId, i), data })) };
}

/** A STATE item (and its parts' data) back to the state; `state` is the single-JSON form of earlier versions. */
function decode(head: Item, parts: Uint8Array[]): OriginState {
  if (head.state) return JSON.parse(gunzipSync(head.state as Uint8Array).toString('utf8')) as OriginState;
  return stateOf(recordsOf(head.records ? [head.records as Uint8Array] : parts));
}

const partKeys = (origin: string, stored: StoredVersion): Key[] =>
  Array.from({ length: stored.parts }, (_, i) => key.statePart(origin, stored.writeId, i));

const originOf = (head: Item) => String(head.pk).slice('ORIGIN#'.length);

function storedVersion(head: Item): StoredVersion {
  return { version: Number(head.version), writeId: typeof head.writeId === 'string' ? head.writeId : '', parts: Number(head.parts ?? 0) };
}

/** A reader that found a part deleted under it re-reads the head this many times. */
const READ_RETRIES = 3;

export async function loadStates(table: Table, origins: readonly string[]): Promise<Map<string, VersionedState>> {
  const states = new Map<string, VersionedState>();
  let wanted = [...origins];
  for (let tries = 0; wanted.length > 0; tries += 1) {
    if (tries > READ_RETRIES) throw new StoreError(`the stored state of ${wanted.join(', ')} names parts that are missing; run the pass again`);
    const heads = await table.batchGet(wanted.map(key.originState));
    const split = heads.filter((head) => Number(head.parts ?? 0) > 0);
    const parts = new Map((await table.batchGet(split.flatMap((head) => partKeys(originOf(head), storedVersion(head)))))
      .map((item) => [String(item.sk), item.data as Uint8Array]));
    const missing: string[] = [];
    for (const head of heads) {
      const stored = storedVersion(head);
      const origin = originOf(head);
      const data = partKeys(origin, stored).map((k) => parts.get(k.sk));
      if (data.some((d) => d === undefined)) missing.push(origin);
      else states.set(origin, { ...stored, state: decode(head, data as Uint8Array[]) });
    }
    wanted = missing;
  }
  return states;
}

/** Deletes parts nobody references any more; a failure only leaves unreachable items behind. */
async function dropParts(table: Table, origin: string, stored: StoredVersion | null): Promise<void> {
  if (!stored || stored.parts === 0) return;
  await table.batchWrite([], partKeys(origin, stored)).catch(() => undefined);
}

/**
 * Writes a state if nobody wrote it since `expected` was read (null: it must not exist yet). A write
 * whose answer was lost and that the SDK retried is recognised as ours by its write id.
 */
export async function saveState(table: Table, state: OriginState, expected: StoredVersion | null): Promise<StoredVersion> {
  const stored: StoredVersion = { version: (expected?.version ?? 0) + 1, writeId: randomUUID().slice(0, 13), parts: 0 };
  const { head, parts } = stateItems(state, stored.version, stored.writeId);
  stored.parts = parts.length;
  await table.batchWrite(parts);
  try {
    await table.doc.send(new PutCommand({
      TableName: table.name,
      Item: head,
      ConditionExpression: expected === null ? 'attribute_not_exists(pk)' : 'version = :expected',
      ExpressionAttributeValues: expected === null ? undefined : { ':expected': expected.version },
    }));
  } catch (error) {
    const conflict = (error as Error).name === 'ConditionalCheckFailedException';
    if (conflict && (await isOurs(table, state.origin, stored.writeId))) return finish(table, state.origin, expected, stored);
    await dropParts(table, state.origin, stored);
    if (conflict) throw new StateConflictError(state.origin, { cause: error });
    throw storeFailure('PutItem', table.name, error);
  }
  return finish(table, state.origin, expected, stored);
}

async function isOurs(table: Table, origin: string, writeId: string): Promise<boolean> {
  const [head] = await table.batchGet([key.originState(origin)]);
  return head?.writeId === writeId;
}

async function finish(table: Table, origin: string, replaced: StoredVersion | null, stored: StoredVersion): Promise<StoredVersion> {
  await dropParts(table, origin, replaced);
  return stored;
}
