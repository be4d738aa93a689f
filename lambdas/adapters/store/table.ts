/**
 * The table as the store's modules use it: one document client, SDK errors translated at this boundary
 * (StoreError), and the batch calls with their limits (100 keys per BatchGetItem, 25 requests per
 * BatchWriteItem) and their unprocessed remainders retried with backoff, as the DynamoDB developer guide
 * asks ("Batch operations": retry UnprocessedItems with exponential backoff).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StoreError, storeFailure } from './errors';

export type Key = { pk: string; sk: string };
export type Item = Record<string, unknown>;

const GET_BATCH = 100;
const WRITE_BATCH = 25;
/** Unprocessed remainders are retried this many times (10 ms to ~2.5 s apart) before the store gives up. */
const BATCH_RETRIES = 8;

export class Table {
  readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    readonly name: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async send<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw storeFailure(operation, this.name, error);
    }
  }

  /** The items found for `keys` (consistent reads), in no particular order. */
  async batchGet(keys: readonly Key[]): Promise<Item[]> {
    const items: Item[] = [];
    for (let i = 0; i < keys.length; i += GET_BATCH) {
      let pending: Item[] | undefined = keys.slice(i, i + GET_BATCH);
      for (let tries = 0; pending && pending.length > 0; tries += 1) {
        if (tries > BATCH_RETRIES)
          throw new StoreError(
            `store unavailable: DynamoDB BatchGetItem on table "${this.name}" left ${pending.length} keys unprocessed; try again later`,
          );
        if (tries > 0) await sleep(10 * 2 ** tries);
        const request: Item[] = pending;
        const out = await this.send('BatchGetItem', () =>
          this.doc.send(
            new BatchGetCommand({ RequestItems: { [this.name]: { Keys: request, ConsistentRead: true } } }),
          ),
        );
        items.push(...(out.Responses?.[this.name] ?? []));
        pending = out.UnprocessedKeys?.[this.name]?.Keys;
      }
    }
    return items;
  }

  /** Puts and deletes in batches of 25; not atomic: callers order their writes so that a crash in between is harmless. */
  async batchWrite(puts: readonly Item[], deletes: readonly Key[] = []): Promise<void> {
    type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Key } };
    const requests: WriteRequest[] = [
      ...puts.map((Item) => ({ PutRequest: { Item } })),
      ...deletes.map((Key) => ({ DeleteRequest: { Key } })),
    ];
    for (let i = 0; i < requests.length; i += WRITE_BATCH) {
      let pending: WriteRequest[] | undefined = requests.slice(i, i + WRITE_BATCH);
      for (let tries = 0; pending && pending.length > 0; tries += 1) {
        if (tries > BATCH_RETRIES)
          throw new StoreError(
            `store unavailable: DynamoDB BatchWriteItem on table "${this.name}" left ${pending.length} writes unprocessed; try again later`,
          );
        if (tries > 0) await sleep(10 * 2 ** tries);
        const request: WriteRequest[] = pending;
        const out = await this.send('BatchWriteItem', () =>
          this.doc.send(new BatchWriteCommand({ RequestItems: { [this.name]: request } })),
        );
        pending = out.UnprocessedItems?.[this.name] as WriteRequest[] | undefined;
      }
    }
  }
}
