/**
 * An origin's state as items: one `STATE` item, conditional on its version. The state is written as
 * records (its head, each URL, each pending event, each notified incident; parts.ts): inside the STATE
 * item when they fit, otherwise in parts written before the `STATE` item that names them. URL records
 * and the rest are two sets of parts, because delivery rewrites the state twice a pass (the lease, then
 * the cleared outbox) without touching a URL: such a write keeps referring to the URL parts it found, so
 * a site of 50,000 URLs is not rewritten to take a lease.
 * Part keys carry the id of the write that made them, so two writers never share a part: the loser of a
 * version race deletes what it wrote, the winner deletes what the version it replaced referred to and
 * it does not, and a reader that finds a part gone re-reads the head.
 */
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { OutboxEntry } from '../../core/alerts/route';
import type { Channel } from '../../core/config/types';
import type { OriginState, UrlState } from '../../core/rules/state';
import { StateConflictError, StoreError, storeFailure } from './errors';
import { key, type StatePartSet } from './keys';
import { packRecords, PART_BYTES, recordsOf } from './parts';
import type { Item, Key, Table } from './table';
import { storedJson } from './stored-json';

/** A set of parts: written by the write `writeId`, `count` of them. */
interface PartSet {
  writeId: string;
  count: number;
}

/** Which write made a state, and where its records are. */
export interface StoredVersion {
  version: number;
  writeId: string;
  /** URL records in parts, possibly an earlier write's that this one kept; null: inside the STATE item. */
  urls: PartSet | null;
  /** The other records in parts (always this write's own); 0: inside the STATE item. */
  restParts: number;
}

export interface VersionedState extends StoredVersion {
  state: OriginState;
}

type StateRecord =
  | ['head', Omit<OriginState, 'urls' | 'outbox' | 'notified'>]
  | ['url', string, UrlState]
  | ['outbox', OutboxEntry]
  | ['notified', string, Channel[]];

const line = (record: StateRecord) => storedJson(record);

function* urlRecords(state: OriginState): Generator<string> {
  for (const [url, urlState] of Object.entries(state.urls)) yield line(['url', url, urlState]);
}

function* restRecords(state: OriginState): Generator<string> {
  const { urls: _urls, outbox, notified, ...head } = state;
  yield line(['head', head]);
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
  if (!head)
    throw new StoreError('a stored state has no head record; it was not written by this version of crawlguard');
  return { ...head, urls, outbox, notified };
}

const partItems = (origin: string, set: StatePartSet, writeId: string, data: Uint8Array[]): Item[] =>
  data.map((bytes, i) => ({ ...key.statePart(origin, set, writeId, i), data: bytes }));

/**
 * The items of one state write: the STATE item and the parts it needs (none when everything fits in it).
 * `keepUrls`: the URL parts of the version read, whose URLs this state has not changed.
 */
export function stateItems(
  state: OriginState,
  version: number,
  writeId: string,
  keepUrls: PartSet | null = null,
): { head: Item; parts: Item[]; stored: StoredVersion } {
  const base = { ...key.originState(state.origin), version, writeId, updatedAt: state.appliedAt };
  const rest = packRecords(restRecords(state));
  const urls = keepUrls ? [] : packRecords(urlRecords(state));
  const bytes = [...rest, ...urls].reduce((n, part) => n + part.byteLength, 0);
  // Small enough for one item: everything inside it (concatenated gzip members read as one stream).
  if (!keepUrls && rest.length + urls.length <= 2 && bytes <= PART_BYTES) {
    return {
      head: { ...base, records: Buffer.concat([...rest, ...urls]), restParts: 0 },
      parts: [],
      stored: { version, writeId, urls: null, restParts: 0 },
    };
  }
  const urlSet = keepUrls ?? { writeId, count: urls.length };
  const restInline = rest.length === 1;
  const head = {
    ...base,
    records: restInline ? rest[0] : undefined,
    restParts: restInline ? 0 : rest.length,
    urlsWriteId: urlSet.writeId,
    urlParts: urlSet.count,
  };
  const parts = [
    ...partItems(state.origin, 'URLS', writeId, urls),
    ...(restInline ? [] : partItems(state.origin, 'REST', writeId, rest)),
  ];
  return { head, parts, stored: { version, writeId, urls: urlSet, restParts: head.restParts } };
}

const originOf = (head: Item) => String(head.pk).slice('ORIGIN#'.length);

function storedVersion(head: Item): StoredVersion {
  const writeId = typeof head.writeId === 'string' ? head.writeId : '';
  const urlParts = Number(head.urlParts ?? 0);
  return {
    version: Number(head.version),
    writeId,
    urls: urlParts > 0 ? { writeId: String(head.urlsWriteId), count: urlParts } : null,
    restParts: Number(head.restParts ?? 0),
  };
}

function partKeys(origin: string, stored: StoredVersion): Key[] {
  const keys = (set: StatePartSet, writeId: string, count: number) =>
    Array.from({ length: count }, (_, i) => key.statePart(origin, set, writeId, i));
  return [
    ...(stored.urls ? keys('URLS', stored.urls.writeId, stored.urls.count) : []),
    ...keys('REST', stored.writeId, stored.restParts),
  ];
}

/** A STATE item (and its parts' data) back to the state; `state` is the single-JSON form of earlier versions. */
function decode(head: Item, parts: Uint8Array[]): OriginState {
  if (head.state) return JSON.parse(gunzipSync(head.state as Uint8Array).toString('utf8')) as OriginState;
  return stateOf(recordsOf([...(head.records ? [head.records as Uint8Array] : []), ...parts]));
}

/** A reader that found a part deleted under it re-reads the head this many times. */
const READ_RETRIES = 3;

export async function loadStates(table: Table, origins: readonly string[]): Promise<Map<string, VersionedState>> {
  const states = new Map<string, VersionedState>();
  let wanted = [...origins];
  for (let tries = 0; wanted.length > 0; tries += 1) {
    if (tries > READ_RETRIES)
      throw new StoreError(`the stored state of ${wanted.join(', ')} names parts that are missing; run the pass again`);
    const heads = (await table.batchGet(wanted.map(key.originState))).map((head) => ({
      head,
      stored: storedVersion(head),
      origin: originOf(head),
    }));
    const keys = heads.flatMap(({ origin, stored }) => partKeys(origin, stored));
    const parts = new Map((await table.batchGet(keys)).map((item) => [String(item.sk), item.data as Uint8Array]));
    const missing: string[] = [];
    for (const { head, stored, origin } of heads) {
      const data = partKeys(origin, stored).map((k) => parts.get(k.sk));
      if (data.some((d) => d === undefined)) missing.push(origin);
      else states.set(origin, { ...stored, state: decode(head, data as Uint8Array[]) });
    }
    wanted = missing;
  }
  return states;
}

/** Deletes parts nobody references any more; a failure only leaves unreachable items behind. */
async function dropParts(table: Table, origin: string, keys: Key[]): Promise<void> {
  if (keys.length > 0) await table.batchWrite([], keys).catch(() => undefined);
}

/** The parts `old` referred to that `now` does not. */
function released(origin: string, old: StoredVersion, now: StoredVersion): Key[] {
  const kept = new Set(partKeys(origin, now).map((k) => k.sk));
  return partKeys(origin, old).filter((k) => !kept.has(k.sk));
}

async function isOurs(table: Table, origin: string, writeId: string): Promise<boolean> {
  const [head] = await table.batchGet([key.originState(origin)]);
  return head?.writeId === writeId;
}

/**
 * Writes a state if nobody wrote it since `expected` was read (null: it must not exist yet). A write
 * whose answer was lost and that the SDK retried is recognised as ours by its write id.
 */
export async function saveState(
  table: Table,
  state: OriginState,
  expected: VersionedState | null,
): Promise<StoredVersion> {
  const writeId = randomUUID().slice(0, 13);
  const keepUrls = expected?.urls && state.urls === expected.state.urls ? expected.urls : null;
  const { head, parts, stored } = stateItems(state, (expected?.version ?? 0) + 1, writeId, keepUrls);
  await table.batchWrite(parts);
  try {
    await table.doc.send(
      new PutCommand({
        TableName: table.name,
        Item: head,
        ConditionExpression: expected === null ? 'attribute_not_exists(pk)' : 'version = :expected',
        ExpressionAttributeValues: expected === null ? undefined : { ':expected': expected.version },
      }),
    );
  } catch (error) {
    const conflict = (error as Error).name === 'ConditionalCheckFailedException';
    if (!conflict || !(await isOurs(table, state.origin, writeId))) {
      await dropParts(
        table,
        state.origin,
        parts.map((p) => ({ pk: String(p.pk), sk: String(p.sk) })),
      );
      if (conflict) throw new StateConflictError(state.origin, { cause: error });
      throw storeFailure('PutItem', table.name, error);
    }
  }
  if (expected) await dropParts(table, state.origin, released(state.origin, expected, stored));
  return stored;
}
