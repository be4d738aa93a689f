/**
 * The fault matrix's machinery. Each shape is probed once per behaviour by the real prober against its
 * loopback site; every cell then replays those results through the real pass, store (dynalite) and
 * notifier, with one fault injected, so that the cells differ by their fault only.
 * - ReplayProber: the recorded results, stamped with each pass's instant.
 * - Process: a store and notifier that die at a chosen point, as a killed process does (nothing after).
 * - Recorder: which event ids each accepted notification carried.
 */
import type { ProbeOutput, Prober } from '../../../lambdas/adapters/http/prober';
import type { Notifier, Receipt } from '../../../lambdas/adapters/notify/notifier';
import type { DynamoStore } from '../../../lambdas/adapters/store/dynamo-store';
import type { Notification } from '../../../lambdas/core/messages/notification';
import type { Target } from '../../../lambdas/core/probe/types';

const keyOf = (t: Pick<Target, 'kind' | 'url'>) => `${t.kind} ${t.url}`;

/** Results as recorded, re-stamped to `atMs` (checkedAt and every attempt), fresh objects each time. */
function restamp(output: ProbeOutput, atMs: number): ProbeOutput {
  const at = new Date(atMs).toISOString();
  const result = { ...output.result, checkedAt: at, attemptLog: output.result.attemptLog.map((a) => ({ ...a, at })) };
  return { result, robotsText: output.robotsText };
}

export function replayProber(recorded: Map<string, ProbeOutput>): Prober {
  const probe = async (target: Target, run: { clock: () => number }) => {
    const output = recorded.get(keyOf(target));
    if (!output) throw new Error(`nothing recorded for ${keyOf(target)}`);
    return restamp(output, run.clock());
  };
  return {
    probe,
    probeAll: (targets, run) => Promise.all(targets.map((target) => probe(target, run))),
    close: async () => undefined,
  };
}

export const byTarget = (outputs: readonly ProbeOutput[]) => new Map(outputs.map((o) => [keyOf(o.result), o]));

/** Where a process dies: right after the named write succeeded, before anything else. */
export type KillPoint = 'state saved' | 'event logged' | 'published' | 'marked sent';

export class Killed extends Error {
  override readonly name = 'Killed';
}

/** Event ids per accepted notification, across every process of a cell. */
export class Recorder {
  readonly published: string[][] = [];
  count(id: string): number {
    return this.published.filter((ids) => ids.includes(id)).length;
  }
  ids(): Set<string> {
    return new Set(this.published.flat());
  }
}

/**
 * One process: the store and notifier it runs with. Armed with a kill point, it dies at the first such
 * write: that write happened, and every later call of the process throws Killed.
 */
export class Process {
  private dead = false;
  private armed: KillPoint | null = null;
  readonly store: DynamoStore;
  readonly notifier: Notifier;

  constructor(store: DynamoStore, inner: Notifier, recorder: Recorder) {
    const self = this;
    const after = (point: KillPoint) => {
      if (self.armed === point) self.dead = true;
    };
    const kills: Partial<Record<keyof DynamoStore, KillPoint>> = {
      saveState: 'state saved',
      logEvents: 'event logged',
      markSent: 'marked sent',
    };
    this.store = new Proxy(store, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          if (self.dead) throw new Killed(`killed before ${String(name)}`);
          const out = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          const point = kills[name as keyof DynamoStore];
          if (point) after(point);
          return out;
        };
      },
    });
    this.notifier = {
      async publish(notification: Notification): Promise<Receipt> {
        if (self.dead) throw new Killed('killed before publish');
        const receipt = await inner.publish(notification);
        recorder.published.push(notification.eventIds);
        after('published');
        return receipt;
      },
    };
  }

  arm(point: KillPoint): void {
    this.armed = point;
  }
}
