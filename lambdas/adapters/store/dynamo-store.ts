/**
 * The store on DynamoDB: the same code in AWS and locally (dynalite speaks the same API). SDK errors
 * are translated into StoreError / StateConflictError. Every item it writes fits DynamoDB's 400 KB by
 * construction: large values are cut into parts (parts.ts), events are bounded (core/rules/bounds.ts).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CheckResult } from '../../core/probe/types';
import type { RobotsCopy } from '../../core/robots/analyse';
import type { CrawlEvent } from '../../core/rules/event';
import type { OriginState } from '../../core/rules/state';
import type { HistoryEntry, TargetList } from './codec';
import { StoreError, storeFailure } from './errors';
import { logEvents, markSent, sentAlready } from './event-log';
import { historyEntries, passesOf, passItems, readTargetList, targetListItems } from './history-items';
import { daysBetween, key } from './keys';
import { PART_BYTES, slices } from './parts';
import { loadStates, saveState, type StoredVersion, type VersionedState } from './state-items';
import { Table, type Item } from './table';

export type { StoredVersion, VersionedState } from './state-items';
export { historyItem } from './history-items';
export { stateItems } from './state-items';

export interface StoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** How long history is kept (the TTL on history items). */
  retentionMs: number;
}

export class DynamoStore {
  private readonly table: Table;
  /** Target lists already known to be stored (they never change once written). */
  private readonly knownTargetLists = new Map<string, TargetList>();

  constructor(private readonly options: StoreOptions) {
    this.table = new Table(options.client, options.tableName);
  }

  private get doc() {
    return this.table.doc;
  }

  private get name() {
    return this.table.name;
  }

  loadStates(origins: readonly string[]): Promise<Map<string, VersionedState>> {
    return loadStates(this.table, origins);
  }

  /** Writes a state if nobody wrote it since `expected` was read (null: it must not exist yet). */
  saveState(state: OriginState, expected: VersionedState | null): Promise<StoredVersion> {
    return saveState(this.table, state, expected);
  }

  /** Adds events to the event log (idempotent by id, so a retried delivery never duplicates one). */
  logEvents(events: readonly CrawlEvent[]): Promise<string[]> {
    return logEvents(this.table, events);
  }

  /** Of logged events, the ids already marked sent. */
  sentAlready(events: readonly CrawlEvent[]): Promise<Set<string>> {
    return sentAlready(this.table, events);
  }

  markSent(events: readonly CrawlEvent[], sentAt: string, where: string, channels: readonly string[]): Promise<void> {
    return markSent(this.table, events, sentAt, where, channels);
  }

  /**
   * Takes `texts` texts (one notification to every phone number) from the day's SMS budget (UTC day),
   * atomically across every shard and process. False when they do not all fit in what is left.
   */
  async reserveSms(dayIso: string, smsPerDay: number, texts = 1): Promise<boolean> {
    if (texts > smsPerDay) return false;
    return this.conditionalUpdate(
      new UpdateCommand({
        TableName: this.name,
        Key: key.smsBudget(dayIso),
        UpdateExpression: 'ADD texts :texts SET expiresAt = :expires',
        ConditionExpression: 'attribute_not_exists(texts) OR texts <= :room',
        ExpressionAttributeValues: {
          ':texts': texts,
          ':room': smsPerDay - texts,
          ':expires': Math.floor(Date.parse(dayIso) / 1000) + 3 * 86_400,
        },
      }),
    );
  }

  /**
   * Gives back a text reserved for a notification SNS did not take: the budget counts texts sent. The alert
   * stays pending, and its re-send reserves again.
   */
  async releaseSms(dayIso: string, texts = 1): Promise<void> {
    await this.conditionalUpdate(
      new UpdateCommand({
        TableName: this.name,
        Key: key.smsBudget(dayIso),
        UpdateExpression: 'ADD texts :back',
        ConditionExpression: 'texts >= :texts',
        ExpressionAttributeValues: { ':back': -texts, ':texts': texts },
      }),
    );
  }

  /**
   * Claims the next publication of the status page: true for exactly one caller per `everyMs`, across
   * every shard's invocation (a conditional write on one item).
   */
  claimReport(nowIso: string, everyMs: number): Promise<boolean> {
    return this.conditionalUpdate(
      new UpdateCommand({
        TableName: this.name,
        Key: key.report,
        UpdateExpression: 'SET publishedAt = :now',
        ConditionExpression: 'attribute_not_exists(publishedAt) OR publishedAt <= :due',
        ExpressionAttributeValues: { ':now': nowIso, ':due': new Date(Date.parse(nowIso) - everyMs).toISOString() },
      }),
    );
  }

  /** True when the update was applied, false when its condition did not hold. */
  private async conditionalUpdate(command: UpdateCommand): Promise<boolean> {
    try {
      await this.doc.send(command);
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw storeFailure('UpdateItem', this.name, error);
    }
  }

  /** All items of a Query, page by page. */
  private async query(values: Record<string, string>): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.table.send('Query', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.name,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: values,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** The event log of an origin from an instant on, oldest first. */
  async events(origin: string, fromIso = ''): Promise<CrawlEvent[]> {
    const items = await this.query({
      ':pk': key.originState(origin).pk,
      ':from': `EVENT#${fromIso}`,
      ':to': 'EVENT#~',
    });
    return items.map((item) => JSON.parse(item.event as string) as CrawlEvent);
  }

  private async robotsCopyItem(origin: string): Promise<Item | undefined> {
    const out = await this.table.send('GetItem', () =>
      this.doc.send(new GetCommand({ TableName: this.name, Key: key.robotsCopy(origin), ConsistentRead: true })),
    );
    return out.Item;
  }

  async loadRobotsCopy(origin: string): Promise<RobotsCopy | null> {
    // A copy replaced while its parts were being read is read again (its parts are deleted after the replacement).
    for (let tries = 0; tries < 3; tries += 1) {
      const item = await this.robotsCopyItem(origin);
      if (!item) return null;
      const count = Number(item.parts ?? 0);
      const keys = Array.from({ length: count }, (_, i) => key.robotsCopyPart(origin, String(item.hash), i));
      const found = new Map(
        (await this.table.batchGet(keys)).map((part) => [String(part.sk), part.data as Uint8Array]),
      );
      const data = count === 0 ? [item.text as Uint8Array | undefined] : keys.map((k) => found.get(k.sk));
      if (count > 0 && data.some((d) => d === undefined)) continue;
      const text = data[0] ? gunzipSync(Buffer.concat(data as Uint8Array[])).toString('utf8') : '';
      return {
        text,
        hash: item.hash as string,
        fetchedAt: item.fetchedAt as string,
        truncated: Boolean(item.truncated),
      };
    }
    throw new StoreError(`the stored robots.txt copy of ${origin} names parts that are missing; run the pass again`);
  }

  /** The copy's gzip in the item, or in parts (written first) when a 500 KiB robots.txt of random rules outgrows it. */
  async saveRobotsCopy(origin: string, copy: RobotsCopy): Promise<void> {
    const packed = gzipSync(copy.text);
    const cut = packed.byteLength <= PART_BYTES ? [] : slices(packed);
    const previous = await this.robotsCopyItem(origin);
    await this.table.batchWrite(cut.map((data, i) => ({ ...key.robotsCopyPart(origin, copy.hash, i), data })));
    await this.table.send('PutItem', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.name,
          Item: {
            ...key.robotsCopy(origin),
            text: cut.length === 0 ? packed : undefined,
            parts: cut.length,
            hash: copy.hash,
            fetchedAt: copy.fetchedAt,
            truncated: copy.truncated,
          },
        }),
      ),
    );
    const stale = Number(previous?.parts ?? 0);
    if (stale > 0 && previous?.hash !== copy.hash) {
      await this.table
        .batchWrite(
          [],
          Array.from({ length: stale }, (_, i) => key.robotsCopyPart(origin, String(previous!.hash), i)),
        )
        .catch(() => undefined);
    }
  }

  private async targetListHash(results: readonly CheckResult[]): Promise<string> {
    const list = targetListItems(results);
    if (!this.knownTargetLists.has(list.hash)) {
      const existing = await this.table.send('GetItem', () =>
        this.doc.send(new GetCommand({ TableName: this.name, Key: key.targets(list.hash) })),
      );
      if (!existing.Item) {
        await this.table.batchWrite(list.items.slice(0, -1));
        await this.table.send('PutItem', () =>
          this.doc.send(new PutCommand({ TableName: this.name, Item: list.items.at(-1)! })),
        );
      }
      this.knownTargetLists.set(list.hash, list.targets);
    }
    return list.hash;
  }

  /** Appends one pass to the history: one item for all its checks (parts when it is large). Writing it again overwrites it. */
  async savePass(shardId: string, passAt: string, results: readonly CheckResult[]): Promise<void> {
    const items = passItems(shardId, passAt, results, await this.targetListHash(results), this.options.retentionMs);
    await this.table.batchWrite(items.slice(0, -1));
    await this.table.send('PutItem', () =>
      this.doc.send(new PutCommand({ TableName: this.name, Item: items.at(-1)! })),
    );
  }

  private async targetList(hash: string): Promise<TargetList> {
    const known = this.knownTargetLists.get(hash);
    if (known) return known;
    const out = await this.table.send('GetItem', () =>
      this.doc.send(new GetCommand({ TableName: this.name, Key: key.targets(hash) })),
    );
    const targets =
      out.Item &&
      (await readTargetList(out.Item, async (count) => {
        const keys = Array.from({ length: count }, (_, i) => key.targetsPart(hash, i));
        const found = new Map(
          (await this.table.batchGet(keys)).map((item) => [String(item.sk), item.data as Uint8Array]),
        );
        return keys.map((k) => found.get(k.sk));
      }));
    if (!targets) throw storeFailure('GetItem', this.name, new Error(`target list ${hash} is missing`));
    this.knownTargetLists.set(hash, targets);
    return targets;
  }

  /** Every check of a shard between two instants (inclusive), oldest first. */
  async history(shardId: string, fromMs: number, toMs: number): Promise<HistoryEntry[]> {
    const from = new Date(fromMs).toISOString();
    const to = new Date(toMs).toISOString();
    const entries: HistoryEntry[] = [];
    for (const day of daysBetween(fromMs, toMs)) {
      // `#~` takes in the parts of the last pass (`<checkedAt>#0001` sorts after `<checkedAt>`).
      const items = await this.query({ ':pk': key.passDay(shardId, day), ':from': from, ':to': `${to}#~` });
      for (const pass of passesOf(items)) entries.push(...historyEntries(await this.targetList(pass.targets), pass));
    }
    return entries;
  }
}
