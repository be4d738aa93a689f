/**
 * Delivery of an origin's outbox: log every event (idempotent by id), then send one notification for
 * all of the origin's pending alerts, then remove what was sent. The guarantee (README, "Delivery"):
 * an event is in the store before it is published and marked sent only after SNS took it; a failed
 * publish stays pending for the next pass; a lease keeps two passes from sending the same outbox.
 */
import { randomUUID } from 'node:crypto';
import type { Notifier } from '../adapters/notify/notifier';
import { DeliveryError } from '../adapters/notify/notifier';
import type { DynamoStore, VersionedState } from '../adapters/store/dynamo-store';
import { StateConflictError } from '../adapters/store/errors';
import type { OutboxEntry } from '../core/alerts/route';
import type { SiteSettings } from '../core/config/types';
import { buildNotification, type Notification } from '../core/messages/notification';
import type { OriginState } from '../core/rules/state';

/** Long enough for any publish and its retries; short enough that a crashed pass's outbox is soon retried. */
export const LEASE_MS = 2 * 60_000;

export interface DeliveryDeps {
  store: DynamoStore;
  notifier: Notifier;
  smsPerDay: number;
  /** Texts one texted notification costs: SNS sends it to every number of alerts.sms (at least one). */
  textsPerSms?: number;
  /** Wall clock for leases; a fixed --now instant must not make a lease last forever. */
  now?: () => number;
}

export interface OriginDelivery {
  origin: string;
  notification: Notification | null;
  /** Where it went, when published. */
  where: string | null;
  /** Entries still waiting for delivery after this pass. */
  pending: number;
  failure: { message: string; permanent: boolean } | null;
}

async function reload(store: DynamoStore, origin: string): Promise<VersionedState | undefined> {
  return (await store.loadStates([origin])).get(origin);
}

/** Writes `change(state)` conditionally; on a conflict, re-reads and re-applies (twice at most). */
async function update(
  store: DynamoStore,
  start: VersionedState,
  change: (state: OriginState) => OriginState | null,
): Promise<VersionedState | null> {
  let current: VersionedState | undefined = start;
  for (let tries = 0; current && tries < 3; tries += 1) {
    const next = change(current.state);
    if (!next) return null;
    try {
      return { state: next, ...(await store.saveState(next, current)) };
    } catch (error) {
      if (!(error instanceof StateConflictError)) throw error;
      current = await reload(store, start.state.origin);
    }
  }
  return null;
}

const leaseHeld = (state: OriginState, leaseId: string, nowMs: number) =>
  state.delivery !== null && state.delivery.leaseId !== leaseId && Date.parse(state.delivery.until) > nowMs;

/** `site`: the origin's settings, which the notification's words follow. */
export async function deliverOrigin(
  deps: DeliveryDeps,
  saved: VersionedState,
  passAt: string,
  site: SiteSettings,
): Promise<OriginDelivery> {
  const origin = saved.state.origin;
  const nowMs = (deps.now ?? Date.now)();
  const none: OriginDelivery = {
    origin,
    notification: null,
    where: null,
    pending: saved.state.outbox.length,
    failure: null,
  };
  if (saved.state.outbox.length === 0) return { ...none, pending: 0 };
  const logged = saved.state.outbox.map((e) => e.event);
  const fresh = new Set(await deps.store.logEvents(logged));
  // Events an earlier pass logged may have been sent by it, if it died after the mark and before it
  // cleared its outbox: those are not sent again.
  const retried = logged.filter((event) => !fresh.has(event.id));
  const alreadySent = retried.length > 0 ? await deps.store.sentAlready(retried) : new Set<string>();

  // Take the lease: one pass at a time sends an origin's outbox.
  const leaseId = randomUUID();
  const leased = await update(deps.store, saved, (state) =>
    leaseHeld(state, leaseId, nowMs) || state.outbox.length === 0
      ? null
      : { ...state, delivery: { leaseId, until: new Date(nowMs + LEASE_MS).toISOString() } },
  );
  if (!leased) return none;

  const entries = leased.state.outbox;
  const toSend = entries.filter((e) => e.channels.length > 0 && !alreadySent.has(e.event.id));
  let notification: Notification | null = null;
  let sent: OutboxEntry[] = entries.filter((e) => e.channels.length === 0 || alreadySent.has(e.event.id)); // only logged, or sent before
  let where: string | null = null;
  let failure: OriginDelivery['failure'] = null;
  if (toSend.length > 0) {
    const wantsSms = toSend.some((e) => e.channels.includes('sms'));
    const texts = deps.textsPerSms ?? 1;
    const smsAllowed = !wantsSms || (await deps.store.reserveSms(passAt, deps.smsPerDay, texts));
    notification = buildNotification({
      origin,
      site,
      at: passAt,
      entries: toSend,
      smsBudgetSpent: smsAllowed ? undefined : { smsPerDay: deps.smsPerDay },
    });
    if (notification) {
      try {
        const receipt = await deps.notifier.publish(notification);
        where = receipt.where;
        sent = entries;
        await deps.store.markSent(
          toSend.map((e) => e.event),
          new Date(nowMs).toISOString(),
          receipt.where,
          notification.channels,
        );
      } catch (error) {
        if (!(error instanceof DeliveryError)) throw error;
        failure = { message: error.message, permanent: error.permanent };
        // No text went out: a failing topic must not spend the day's budget (each pass retries the alert).
        if (wantsSms && smsAllowed) await deps.store.releaseSms(passAt, texts);
      }
    } else {
      sent = entries;
    }
  }
  const sentIds = new Set(sent.map((e) => e.event.id));
  const done = await update(deps.store, leased, (state) => ({
    ...state,
    outbox: state.outbox.filter((e) => !sentIds.has(e.event.id)),
    delivery: state.delivery?.leaseId === leaseId ? null : state.delivery,
  }));
  return { origin, notification, where, pending: done?.state.outbox.length ?? entries.length - sent.length, failure };
}
