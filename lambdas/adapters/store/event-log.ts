/**
 * The event log: one item per event under its origin, written idempotently by id, marked sent after
 * SNS took the notification. Events are bounded by construction (core/rules/bounds.ts); should one
 * still not fit an item, it is logged without its tier detail and says so, so that no event is ever
 * missing from the log and no oversized event can stop an origin's delivery.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import type { CrawlEvent } from '../../core/rules/event';
import { storeFailure } from './errors';
import { itemBytes } from './item-size';
import { key } from './keys';
import { storedJson } from './stored-json';
import { PART_BYTES } from './parts';
import type { Item, Table } from './table';

/** Events are kept longer than check history: a year of incidents is what a yearly review needs. */
const EVENT_RETENTION_MS = 400 * 86_400_000;
/** Writes in flight at once: a 50,000-URL outage logs 50,000 events without taking minutes. */
const LOG_CONCURRENCY = 16;

/** The log item of an event; one that would not fit keeps everything but its detail, and says why. */
export function eventItem(event: CrawlEvent): Item {
  const expiresAt = Math.floor((Date.parse(event.at) + EVENT_RETENTION_MS) / 1000);
  const item = { ...key.event(event), event: storedJson(event), expiresAt };
  if (itemBytes(item) <= PART_BYTES) return item;
  const omitted = { omitted: `the detail was ${itemBytes(item)} bytes, more than one DynamoDB item holds` };
  return {
    ...item,
    event: storedJson({ ...event, detail: omitted, gaps: event.gaps.slice(-5), notes: event.notes.slice(0, 5) }),
  };
}

/** Adds events to the log; an event already logged (same id) is left as it is. Returns the ids newly written. */
export async function logEvents(table: Table, events: readonly CrawlEvent[]): Promise<string[]> {
  const limit = pLimit(LOG_CONCURRENCY);
  const written = await Promise.all(
    events.map((event) =>
      limit(async () => {
        try {
          await table.doc.send(
            new PutCommand({
              TableName: table.name,
              Item: eventItem(event),
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
          return event.id;
        } catch (error) {
          if ((error as Error).name === 'ConditionalCheckFailedException') return null;
          throw storeFailure('PutItem', table.name, error);
        }
      }),
    ),
  );
  return written.filter((id): id is string => id !== null);
}

/** Of logged events, those already marked sent: a pass that died after the mark must not send them again. */
export async function sentAlready(table: Table, events: readonly CrawlEvent[]): Promise<Set<string>> {
  const items = await table.batchGet(events.map((event) => key.event(event)));
  const sent = new Set(items.filter((item) => typeof item.sentAt === 'string').map((item) => String(item.sk)));
  return new Set(events.filter((event) => sent.has(key.event(event).sk)).map((event) => event.id));
}

/** Marks logged events as delivered: when, where, and on which channels. */
export async function markSent(
  table: Table,
  events: readonly CrawlEvent[],
  sentAt: string,
  where: string,
  channels: readonly string[],
): Promise<void> {
  const limit = pLimit(LOG_CONCURRENCY);
  await Promise.all(
    events.map((event) =>
      limit(() =>
        table.send('UpdateItem', () =>
          table.doc.send(
            new UpdateCommand({
              TableName: table.name,
              Key: key.event(event),
              UpdateExpression: 'SET sentAt = :at, sentTo = :where, channels = :channels',
              ExpressionAttributeValues: { ':at': sentAt, ':where': where, ':channels': [...channels] },
            }),
          ),
        ),
      ),
    ),
  );
}
