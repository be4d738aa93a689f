/**
 * The store on DynamoDB: the same code in AWS and locally (dynalite speaks the same API).
 * SDK errors are translated here into StoreError / StateConflictError.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandOutput, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CheckResult } from '../../core/probe/types';
import { sha256Hex, type RobotsCopy } from '../../core/robots/analyse';
import type { CrawlEvent } from '../../core/rules/event';
import type { OriginState } from '../../core/rules/state';
import { packResults, unpackResults, type FailureDetail, type HistoryEntry, type TargetList } from './codec';
import { StateConflictError, storeFailure } from './errors';
import { daysBetween, key } from './keys';

export interface VersionedState {
  state: OriginState;
  version: number;
}

export interface StoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** How long history is kept (the TTL on history items). */
  retentionMs: number;
}

/** Events are kept longer than check history: a year of incidents is what a yearly review needs. */
const EVENT_RETENTION_MS = 400 * 86_400_000;

/** DynamoDB's item limit is 400 KB; a robots.txt (up to 500 KiB) is stored gzipped, and dropped above this. */
const MAX_ROBOTS_GZIP_BYTES = 350_000;

/** The history item of one pass (also used by `crawlguard cost` to measure what a pass writes). */
export function historyItem(shardId: string, passAt: string, results: readonly CheckResult[], targetsHash: string, retentionMs: number): Record<string, unknown> {
  const { packed, details } = packResults(results);
  return {
    ...key.pass(shardId, passAt),
    targets: targetsHash,
    results: packed,
    details: Object.keys(details).length > 0 ? JSON.stringify(details) : undefined,
    expiresAt: Math.floor((Date.parse(passAt) + retentionMs) / 1000),
  };
}

/** An origin state item as stored (gzipped JSON), for the same measurement. */
export function stateItem(state: OriginState, version: number): Record<string, unknown> {
  // Gzipped: incidents and the outbox make the JSON repetitive; item size is what writes cost.
  return { ...key.originState(state.origin), state: gzipSync(JSON.stringify(state)), version, updatedAt: state.appliedAt };
}

export class DynamoStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  /** Target lists already known to be stored (they never change once written). */
  private readonly knownTargetLists = new Map<string, TargetList>();

  constructor(private readonly options: StoreOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.table = options.tableName;
  }

  private async send<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw storeFailure(operation, this.table, error);
    }
  }

  async loadStates(origins: readonly string[]): Promise<Map<string, VersionedState>> {
    const states = new Map<string, VersionedState>();
    for (let i = 0; i < origins.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = origins.slice(i, i + 100).map(key.originState);
      while (keys && keys.length > 0) {
        const requested: Record<string, unknown>[] = keys;
        const out: BatchGetCommandOutput = await this.send('BatchGetItem', () => this.doc.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: requested, ConsistentRead: true } } })));
        for (const item of out.Responses?.[this.table] ?? []) {
          const state = JSON.parse(gunzipSync(item.state as Uint8Array).toString('utf8')) as OriginState;
          states.set(state.origin, { state, version: item.version as number });
        }
        keys = out.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return states;
  }

  /** Writes a state if nobody wrote it since `expectedVersion` was read (null: it must not exist yet). */
  async saveState(state: OriginState, expectedVersion: number | null): Promise<number> {
    const version = (expectedVersion ?? 0) + 1;
    try {
      await this.doc.send(new PutCommand({
        TableName: this.table,
        Item: stateItem(state, version),
        ConditionExpression: expectedVersion === null ? 'attribute_not_exists(pk)' : 'version = :expected',
        ExpressionAttributeValues: expectedVersion === null ? undefined : { ':expected': expectedVersion },
      }));
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') throw new StateConflictError(state.origin, { cause: error });
      throw storeFailure('PutItem', this.table, error);
    }
    return version;
  }

  /**
   * Adds events to the event log. Idempotent: an event already logged (same id) is left as it is, so a
   * retried delivery never duplicates one. Returns the ids newly written.
   */
  async logEvents(events: readonly CrawlEvent[]): Promise<string[]> {
    const written: string[] = [];
    for (const event of events) {
      try {
        await this.doc.send(new PutCommand({
          TableName: this.table,
          Item: { ...key.event(event), event: JSON.stringify(event), expiresAt: Math.floor((Date.parse(event.at) + EVENT_RETENTION_MS) / 1000) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }));
        written.push(event.id);
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw storeFailure('PutItem', this.table, error);
      }
    }
    return written;
  }

  /** Marks logged events as delivered: when, where, and on which channels. */
  async markSent(events: readonly CrawlEvent[], sentAt: string, where: string, channels: readonly string[]): Promise<void> {
    await Promise.all(events.map((event) => this.send('UpdateItem', () => this.doc.send(new UpdateCommand({
      TableName: this.table,
      Key: key.event(event),
      UpdateExpression: 'SET sentAt = :at, sentTo = :where, channels = :channels',
      ExpressionAttributeValues: { ':at': sentAt, ':where': where, ':channels': [...channels] },
    })))));
  }

  /**
   * Takes one text from the day's SMS budget (UTC day), atomically across every shard and process.
   * False when the budget is spent.
   */
  async reserveSms(dayIso: string, smsPerDay: number): Promise<boolean> {
    if (smsPerDay <= 0) return false;
    try {
      await this.doc.send(new UpdateCommand({
        TableName: this.table,
        Key: key.smsBudget(dayIso),
        UpdateExpression: 'ADD texts :one SET expiresAt = :expires',
        ConditionExpression: 'attribute_not_exists(texts) OR texts < :limit',
        ExpressionAttributeValues: { ':one': 1, ':limit': smsPerDay, ':expires': Math.floor(Date.parse(dayIso) / 1000) + 3 * 86_400 },
      }));
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw storeFailure('UpdateItem', this.table, error);
    }
  }

  /**
   * Claims the next publication of the status page: true for exactly one caller per `everyMs`, across
   * every shard's invocation (a conditional write on one item).
   */
  async claimReport(nowIso: string, everyMs: number): Promise<boolean> {
    try {
      await this.doc.send(new UpdateCommand({
        TableName: this.table,
        Key: key.report,
        UpdateExpression: 'SET publishedAt = :now',
        ConditionExpression: 'attribute_not_exists(publishedAt) OR publishedAt <= :due',
        ExpressionAttributeValues: { ':now': nowIso, ':due': new Date(Date.parse(nowIso) - everyMs).toISOString() },
      }));
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw storeFailure('UpdateItem', this.table, error);
    }
  }

  /** The event log of an origin from an instant on, oldest first. */
  async events(origin: string, fromIso = ''): Promise<CrawlEvent[]> {
    const events: CrawlEvent[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.send('Query', () => this.doc.send(new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': key.originState(origin).pk, ':from': `EVENT#${fromIso}`, ':to': 'EVENT#~' },
        ExclusiveStartKey: startKey,
      })));
      for (const item of out.Items ?? []) events.push(JSON.parse(item.event as string) as CrawlEvent);
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return events;
  }

  async loadRobotsCopy(origin: string): Promise<RobotsCopy | null> {
    const out = await this.send('GetItem', () => this.doc.send(new GetCommand({ TableName: this.table, Key: key.robotsCopy(origin), ConsistentRead: true })));
    const item = out.Item;
    if (!item) return null;
    const text = item.text ? gunzipSync(item.text as Uint8Array).toString('utf8') : '';
    return { text, hash: item.hash as string, fetchedAt: item.fetchedAt as string, truncated: Boolean(item.truncated) };
  }

  async saveRobotsCopy(origin: string, copy: RobotsCopy): Promise<void> {
    const packed = gzipSync(copy.text);
    const text = packed.byteLength <= MAX_ROBOTS_GZIP_BYTES ? packed : undefined;
    await this.send('PutItem', () => this.doc.send(new PutCommand({
      TableName: this.table,
      Item: { ...key.robotsCopy(origin), text, hash: copy.hash, fetchedAt: copy.fetchedAt, truncated: copy.truncated },
    })));
  }

  private async targetListHash(results: readonly CheckResult[]): Promise<string> {
    const targets: TargetList = results.map((r) => [r.kind, r.url]);
    const json = JSON.stringify(targets);
    const hash = sha256Hex(json).slice(0, 20);
    if (!this.knownTargetLists.has(hash)) {
      const existing = await this.send('GetItem', () => this.doc.send(new GetCommand({ TableName: this.table, Key: key.targets(hash) })));
      if (!existing.Item) {
        await this.send('PutItem', () => this.doc.send(new PutCommand({ TableName: this.table, Item: { ...key.targets(hash), targets: json } })));
      }
      this.knownTargetLists.set(hash, targets);
    }
    return hash;
  }

  /** Appends one pass to the history: a single item for all its checks. Writing the same pass again overwrites it. */
  async savePass(shardId: string, passAt: string, results: readonly CheckResult[]): Promise<void> {
    const targets = await this.targetListHash(results);
    await this.send('PutItem', () => this.doc.send(new PutCommand({
      TableName: this.table,
      Item: historyItem(shardId, passAt, results, targets, this.options.retentionMs),
    })));
  }

  private async targetList(hash: string): Promise<TargetList> {
    const known = this.knownTargetLists.get(hash);
    if (known) return known;
    const out = await this.send('GetItem', () => this.doc.send(new GetCommand({ TableName: this.table, Key: key.targets(hash) })));
    if (!out.Item) throw storeFailure('GetItem', this.table, new Error(`target list ${hash} is missing`));
    const targets = JSON.parse(out.Item.targets as string) as TargetList;
    this.knownTargetLists.set(hash, targets);
    return targets;
  }

  /** Every check of a shard between two instants (inclusive), oldest first. */
  async history(shardId: string, fromMs: number, toMs: number): Promise<HistoryEntry[]> {
    const from = new Date(fromMs).toISOString();
    const to = new Date(toMs).toISOString();
    const entries: HistoryEntry[] = [];
    for (const day of daysBetween(fromMs, toMs)) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const out = await this.send('Query', () => this.doc.send(new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': key.passDay(shardId, day), ':from': from, ':to': to },
          ExclusiveStartKey: startKey,
        })));
        for (const item of out.Items ?? []) {
          const details = item.details ? (JSON.parse(item.details as string) as Record<number, FailureDetail>) : {};
          entries.push(...unpackResults(await this.targetList(item.targets as string), item.sk as string, item.results as string, details));
        }
        startKey = out.LastEvaluatedKey;
      } while (startKey);
    }
    return entries;
  }
}
