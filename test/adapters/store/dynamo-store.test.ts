/** The store through dynalite: the real DynamoDB API over HTTP on 127.0.0.1. */
import { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { packResults, unpackResults } from '../../../lambdas/adapters/store/codec';
import { StateConflictError, StoreError } from '../../../lambdas/adapters/store/errors';
import { startLocalStore } from '../../../lambdas/adapters/store/local-dynamo';
import type { CheckResult } from '../../../lambdas/core/probe/types';
import type { OriginState } from '../../../lambdas/core/rules/state';
import { sha256Hex } from '../../../lambdas/core/robots/analyse';
import { tempDir, tempStore } from '../../support/store';

const ORIGIN = 'https://a.example';
const AT = '2026-12-01T09:00:00.000Z';

function result(
  path: string,
  outcome: CheckResult['outcome'],
  status: number | null,
  extra: Partial<CheckResult> = {},
): CheckResult {
  return {
    kind: 'page',
    origin: ORIGIN,
    url: `${ORIGIN}${path}`,
    checkedAt: AT,
    status,
    outcome,
    latencyMs: 42,
    attempts: 1,
    redirects: 0,
    finalUrl: `${ORIGIN}${path}`,
    bytes: 10,
    truncated: false,
    requestId: null,
    retryAfter: null,
    leak: [],
    error: null,
    attemptLog: [],
    ...extra,
  };
}

const state = (appliedAt: string): OriginState => ({
  origin: ORIGIN,
  appliedAt,
  urls: {},
  robots: null,
  crawl: null,
  outbox: [],
  notified: {},
  delivery: null,
});

describe('codec', () => {
  test('packs a pass in a few bytes per check and reads it back', () => {
    const results = [
      result('/', 'ok', 200),
      result('/x', 'server_error', 503, { attempts: 3, requestId: 'r1', error: null, retryAfter: 60, leak: ['sql'] }),
      result('/y', 'timeout', null, { latencyMs: 10_000, error: 'no response within 10000 ms' }),
    ];
    const { packed, details } = packResults(results);
    expect(packed).toBe('o200:42 s503:42*3 t:10000');
    expect(Object.keys(details)).toEqual(['1', '2']);
    const back = unpackResults(
      results.map((r) => [r.kind, r.url]),
      AT,
      packed,
      details,
    );
    expect(back.map((e) => [e.url, e.outcome, e.status, e.latencyMs, e.attempts])).toEqual([
      [`${ORIGIN}/`, 'ok', 200, 42, 1],
      [`${ORIGIN}/x`, 'server_error', 503, 42, 3],
      [`${ORIGIN}/y`, 'timeout', null, 10_000, 1],
    ]);
    expect(back[1]!.detail).toMatchObject({ requestId: 'r1', retryAfter: 60, leak: ['sql'] });
    expect(back[0]!.detail).toBeNull();
  });

  test('refuses an item that does not match its target list', () => {
    expect(() => unpackResults([['page', 'x']], AT, 'o200:1 o200:2', {})).toThrow(
      'history item has 2 checks for 1 targets',
    );
  });
});

describe('DynamoStore on dynalite', () => {
  let local: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    local = await tempStore();
  });
  afterEach(() => local.cleanup());

  test('state: create, update with the version read, refuse a stale version', async () => {
    const { store } = local;
    expect((await store.loadStates([ORIGIN])).size).toBe(0);
    const first = await store.saveState(state(AT), null);
    expect(first).toEqual({ version: 1, writeId: expect.any(String), urls: null, restParts: 0 });
    await expect(store.saveState(state(AT), null)).rejects.toBeInstanceOf(StateConflictError);
    const loaded = (await store.loadStates([ORIGIN])).get(ORIGIN)!;
    expect(loaded).toEqual({ state: state(AT), ...first });
    expect((await store.saveState(state('2026-12-01T09:05:00.000Z'), loaded)).version).toBe(2);
    await expect(store.saveState(state('2026-12-01T09:06:00.000Z'), loaded)).rejects.toThrow(
      `the state of ${ORIGIN} was changed by another pass`,
    );
  });

  test('loads many origins in batches of 100', async () => {
    const origins = Array.from({ length: 130 }, (_, i) => `https://site${i}.example`);
    await Promise.all(origins.map((origin) => local.store.saveState({ ...state(AT), origin }, null)));
    const states = await local.store.loadStates(origins);
    expect(states.size).toBe(130);
    expect(states.get('https://site129.example')?.version).toBe(1);
  });

  test('robots copy round trip, gzipped', async () => {
    const text = `User-agent: *\n${'Disallow: /x\n'.repeat(10_000)}`;
    await local.store.saveRobotsCopy(ORIGIN, { text, hash: sha256Hex(text), fetchedAt: AT, truncated: false });
    expect(await local.store.loadRobotsCopy(ORIGIN)).toEqual({
      text,
      hash: sha256Hex(text),
      fetchedAt: AT,
      truncated: false,
    });
    expect(await local.store.loadRobotsCopy('https://other.example')).toBeNull();
  });

  test('history: one item per pass, read back per day range', async () => {
    const times = ['2026-11-30T23:55:00.000Z', '2026-12-01T00:00:00.000Z', '2026-12-01T00:05:00.000Z'];
    for (const [i, at] of times.entries()) {
      await local.store.savePass('local', at, [
        result('/', 'ok', 200, { checkedAt: at }),
        result('/b', i === 1 ? 'server_error' : 'ok', i === 1 ? 500 : 200, { checkedAt: at }),
      ]);
    }
    const all = await local.store.history('local', Date.parse(times[0]!), Date.parse(times[2]!));
    expect(all.map((e) => [e.checkedAt, e.url.slice(ORIGIN.length), e.outcome])).toEqual([
      [times[0], '/', 'ok'],
      [times[0], '/b', 'ok'],
      [times[1], '/', 'ok'],
      [times[1], '/b', 'server_error'],
      [times[2], '/', 'ok'],
      [times[2], '/b', 'ok'],
    ]);
    expect(await local.store.history('other-shard', Date.parse(times[0]!), Date.parse(times[2]!))).toEqual([]);
  });

  test('a steady pass of 100 URLs costs a fraction of a write unit per check', async () => {
    const results = Array.from({ length: 100 }, (_, i) => result(`/page-${i}`, 'ok', 200));
    await local.store.savePass('local', AT, results); // first pass also stores the target list
    const consumed: ConsumedCapacity[] = [];
    local.client.middlewareStack.add(
      (next) => async (args) => {
        (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
        const out = await next(args);
        const capacity = (out.output as { ConsumedCapacity?: ConsumedCapacity }).ConsumedCapacity;
        if (capacity) consumed.push(capacity);
        return out;
      },
      { step: 'initialize' },
    );
    await local.store.savePass('local', '2026-12-01T09:05:00.000Z', results);
    const units = consumed.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
    expect(units).toBeGreaterThan(0);
    expect(units / results.length).toBeLessThanOrEqual(0.05);
  });
});

describe('the embedded store on disk', () => {
  test('keeps state across restarts', async () => {
    const dir = tempDir();
    try {
      const first = await startLocalStore(dir.path);
      await first.store.saveState(state(AT), null);
      await first.close();
      const second = await startLocalStore(dir.path);
      expect((await second.store.loadStates([ORIGIN])).get(ORIGIN)?.state).toEqual(state(AT));
      await second.close();
    } finally {
      dir.cleanup();
    }
  });

  test('one holder per data directory: a later opener uses its store, or is refused (naming it) when it must hold it', async () => {
    const dir = tempDir();
    const first = await startLocalStore(dir.path, undefined, { command: 'run' });
    try {
      const error = await startLocalStore(dir.path, undefined, { exclusive: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as Error).message).toBe(
        `the data directory ${dir.path} is in use by crawlguard run (pid ${process.pid}); stop it or pass --data-dir DIR`,
      );
      const second = await startLocalStore(dir.path);
      try {
        expect(second.sharedWith).toMatchObject({ pid: process.pid, command: 'run', endpoint: first.endpoint });
        await first.store.saveState(state(AT), null);
        expect((await second.store.loadStates([ORIGIN])).get(ORIGIN)?.state).toEqual(state(AT));
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
      dir.cleanup();
    }
  });

  test('an unreachable endpoint is a StoreError that names the table', async () => {
    const { DynamoStore } = await import('../../../lambdas/adapters/store/dynamo-store');
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const client = new DynamoDBClient({
      endpoint: 'http://127.0.0.1:1',
      region: 'local',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const store = new DynamoStore({ client, tableName: 'nope', retentionMs: 1 });
    await expect(store.loadRobotsCopy(ORIGIN)).rejects.toThrow(
      /^store unavailable: DynamoDB GetItem on table "nope" failed/,
    );
    client.destroy();
  });
});
