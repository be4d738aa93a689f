/**
 * Chaos: DynamoDB faults. Throttling is retried; a store that goes away mid-pass fails the pass loudly
 * and the next pass picks up from what was saved; a write whose answer is lost is never applied twice.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createProber, type Prober } from '../../lambdas/adapters/http/prober';
import { LocalNotifier } from '../../lambdas/adapters/notify/local-notifier';
import { startLocalStore } from '../../lambdas/adapters/store/local-dynamo';
import { parseMonitorsConfig } from '../../lambdas/core/config/parse';
import type { MonitorsConfig } from '../../lambdas/core/config/types';
import { passExitStatus } from '../../lambdas/handlers/cli/commands/check';
import { runPass } from '../../lambdas/handlers/pass';
import { behave, startSite, type RunningSite } from '../../demo/site';
import { tempDir } from '../support/store';

let site: RunningSite;
let prober: Prober;
let dir: ReturnType<typeof tempDir>;
let config: MonitorsConfig;
const minute = (m: number) => Date.UTC(2026, 11, 1, 9, m);

beforeEach(async () => {
  site = await startSite({
    '/': behave.ok(),
    '/a': behave.status(500),
    '/robots.txt': behave.text('User-agent: *\nAllow: /\n'),
  });
  prober = createProber({ concurrency: 10, perOriginConcurrency: 4 });
  dir = tempDir();
  config = parseMonitorsConfig(
    'monitors.yaml',
    `version: 1\ndefaults: { retries: 0, timeout: 2s }\nsites:\n  - origin: ${site.origin}\n    allowPrivateNetwork: true\n    urls: [/, /a]\n`,
    () => '',
  );
});

afterEach(async () => {
  await prober.close();
  await site.close();
  dir.cleanup();
});

/** Makes the client fail the first `times` calls matching `when`, below the SDK's retry step. */
function inject(
  client: DynamoDBClient,
  when: (command: string, input: Record<string, unknown>) => boolean,
  error: () => Error,
  times: number,
  after = false,
) {
  let left = times;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const matches = left > 0 && when(context.commandName ?? '', args.input as Record<string, unknown>);
      if (matches && !after) {
        left -= 1;
        throw error();
      }
      const out = await next(args);
      if (matches && after) {
        left -= 1;
        throw error(); // the write happened; its answer is lost
      }
      return out;
    },
    { step: 'deserialize', name: 'chaos', priority: 'high' },
  );
}

const throttled = () =>
  Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
    name: 'ProvisionedThroughputExceededException',
    $metadata: { httpStatusCode: 400 },
  });
const lostAnswer = () =>
  Object.assign(new Error('socket hang up'), { name: 'TimeoutError', $metadata: {}, $retryable: {} });

test('throttling is retried by the pass: nothing is lost', async () => {
  const local = await startLocalStore(dir.path);
  try {
    inject(local.client, (command) => command === 'PutItemCommand' || command === 'BatchGetItemCommand', throttled, 2);
    const notifier = new LocalNotifier(dir.path);
    await runPass({ prober, store: local.store, notifier }, config, { shardId: 'local', nowMs: minute(0) });
    const report = await runPass({ prober, store: local.store, notifier }, config, {
      shardId: 'local',
      nowMs: minute(5),
    });
    expect(report.events.map((e) => e.tier)).toEqual(['url-down']);
    expect((await local.store.loadStates([site.origin])).get(site.origin)?.state.appliedAt).toBe(
      new Date(minute(5)).toISOString(),
    );
    expect(await local.store.history('local', minute(0), minute(5))).toHaveLength(6);
  } finally {
    await local.close();
  }
});

test('a store that goes away mid-pass: each write it could not make is reported; the next pass starts from what was saved', async () => {
  let local = await startLocalStore(dir.path);
  const notifier = new LocalNotifier(dir.path);
  await runPass({ prober, store: local.store, notifier }, config, { shardId: 'local', nowMs: minute(0) });
  // During the next pass's probing, the store stops.
  const stopping = local;
  site.route('/', (_req, res) => void stopping.close().then(() => res.end('ok')));
  const failed = await runPass({ prober, store: local.store, notifier }, config, {
    shardId: 'local',
    nowMs: minute(5),
  });
  expect(failed.storeFailures).toEqual([
    {
      origin: site.origin,
      message: expect.stringMatching(/^store unavailable: DynamoDB PutItem on table "crawlguard" failed/),
    },
    { origin: null, message: expect.stringMatching(/^history of this pass not saved: store unavailable/) },
  ]);
  expect(passExitStatus(failed)).toBe(3);
  expect(failed.events).toEqual([]); // nothing saved, so nothing raised: the next pass raises it

  site.route('/', behave.ok());
  local = await startLocalStore(dir.path);
  try {
    const report = await runPass({ prober, store: local.store, notifier }, config, {
      shardId: 'local',
      nowMs: minute(10),
    });
    expect(report.events.map((e) => e.tier)).toEqual(['url-down']); // raised once, by the pass that could save it
    expect((await local.store.events(site.origin)).map((e) => e.tier)).toEqual(['url-down']);
  } finally {
    await local.close();
  }
});

test('a state write whose answer is lost (the SDK retries it) is not applied twice', async () => {
  const local = await startLocalStore(dir.path);
  try {
    const notifier = new LocalNotifier(dir.path);
    await runPass({ prober, store: local.store, notifier }, config, { shardId: 'local', nowMs: minute(0) });
    const version = (await local.store.loadStates([site.origin])).get(site.origin)!.version;
    inject(
      local.client,
      (command, input) => command === 'PutItemCommand' && (input.Item as { sk?: { S?: string } })?.sk?.S === 'STATE',
      lostAnswer,
      1,
      true,
    );
    const report = await runPass({ prober, store: local.store, notifier }, config, {
      shardId: 'local',
      nowMs: minute(5),
    });
    expect(report.events.map((e) => e.tier)).toEqual(['url-down']);
    expect((await local.store.events(site.origin)).map((e) => e.tier)).toEqual(['url-down']);
    const state = (await local.store.loadStates([site.origin])).get(site.origin)!;
    // One transition (+1) and one delivery (+2 for lease and clear): the retried write did not count twice.
    expect(state.version).toBe(version + 3);
    expect(state.state.outbox).toEqual([]);
  } finally {
    await local.close();
  }
});
