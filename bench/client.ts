/**
 * One benchmark client in its own process: crawlguard's full pass, bare fetch, or raw undici.request,
 * over the same URLs at the same concurrency. A warm-up pass, then a measured one; prints one JSON line.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { Agent, request } from 'undici';
import type { PassReport } from '../lambdas/handlers/pass';
import { measure, type Measurement } from './measure';

/** The run with the median CPU time; peak RSS and descriptors are the worst of all runs. */
function median(runs: Measurement[]): Measurement {
  const mid = [...runs].sort((a, b) => a.cpuMs - b.cpuMs)[Math.floor(runs.length / 2)]!;
  return {
    ...mid,
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    maxOpenFds: Math.max(...runs.map((r) => r.maxOpenFds)),
  };
}

export interface ClientArgs {
  kind: 'crawlguard' | 'fetch' | 'undici';
  ports: number[];
  urlsPerOrigin: number;
  concurrency: number;
  timeoutMs: number;
  dynamoEndpoint?: string;
  /** Pass instants (ms), one per pass, for crawlguard (--now semantics). */
  startMs: number;
}

/** Round-robin over origins, robots.txt first: the order in which requests spread like crawlguard's. */
function urlsOf(args: ClientArgs): string[] {
  const urls = args.ports.map((port) => `http://127.0.0.1:${port}/robots.txt`);
  for (let i = 0; i < args.urlsPerOrigin; i += 1)
    for (const port of args.ports) urls.push(`http://127.0.0.1:${port}/p${i}`);
  return urls;
}

async function bareFetch(urls: string[], args: ClientArgs) {
  const limit = pLimit(args.concurrency);
  const outcomes: Record<string, number> = {};
  await Promise.all(
    urls.map((url) =>
      limit(async () => {
        try {
          const res = await fetch(url, { signal: AbortSignal.timeout(args.timeoutMs) });
          await res.arrayBuffer();
          outcomes[res.status] = (outcomes[res.status] ?? 0) + 1;
        } catch {
          outcomes.error = (outcomes.error ?? 0) + 1;
        }
      }),
    ),
  );
  return outcomes;
}

async function undiciRequest(urls: string[], args: ClientArgs, dispatcher: Agent) {
  const limit = pLimit(args.concurrency);
  const outcomes: Record<string, number> = {};
  await Promise.all(
    urls.map((url) =>
      limit(async () => {
        try {
          const res = await request(url, { dispatcher, signal: AbortSignal.timeout(args.timeoutMs) });
          await res.body.arrayBuffer();
          outcomes[res.statusCode] = (outcomes[res.statusCode] ?? 0) + 1;
        } catch {
          outcomes.error = (outcomes.error ?? 0) + 1;
        }
      }),
    ),
  );
  return outcomes;
}

/** Loaded only by the crawlguard client, so the other two carry none of its modules in memory. */
async function crawlguardSetup(args: ClientArgs) {
  const [
    { createDynamoClient },
    { createProber },
    { LocalNotifier },
    { DynamoStore },
    { parseMonitorsConfig },
    { runPass },
  ] = await Promise.all([
    import('../lambdas/adapters/store/dynamo-client'),
    import('../lambdas/adapters/http/prober'),
    import('../lambdas/adapters/notify/local-notifier'),
    import('../lambdas/adapters/store/dynamo-store'),
    import('../lambdas/core/config/parse'),
    import('../lambdas/handlers/pass'),
  ]);
  const perOrigin = Math.max(1, Math.ceil(args.concurrency / args.ports.length));
  const paths = Array.from({ length: args.urlsPerOrigin }, (_, i) => `/p${i}`).join(', ');
  const yaml = [
    'version: 1',
    `defaults: { interval: 1m, timeout: ${args.timeoutMs}ms, retries: 0 }`,
    `limits: { concurrency: ${args.concurrency}, perOriginConcurrency: ${perOrigin}, maxUrlsPerShard: 5000 }`,
    'sites:',
    ...args.ports.flatMap((port) => [
      `  - origin: http://127.0.0.1:${port}`,
      '    allowPrivateNetwork: true',
      `    urls: [${paths}]`,
    ]),
  ].join('\n');
  const config = parseMonitorsConfig('bench.yaml', yaml, () => '');
  const client = createDynamoClient({
    endpoint: args.dynamoEndpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const consumed = { writes: 0, reads: 0 };
  client.middlewareStack.add(
    (next, context) => async (input) => {
      (input.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const out = await next(input);
      const capacity = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] })
        .ConsumedCapacity;
      const units = [capacity ?? []].flat().reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
      if (/Put|Update|Delete|Write/.test(context.commandName ?? '')) consumed.writes += units;
      else consumed.reads += units;
      return out;
    },
    { step: 'initialize' },
  );
  // The table name of lambdas/adapters/store/local-dynamo.ts (not imported: it would load dynalite).
  const store = new DynamoStore({ client, tableName: 'crawlguard', retentionMs: 30 * 86_400_000 });
  const prober = createProber({ concurrency: args.concurrency, perOriginConcurrency: perOrigin });
  const notifier = new LocalNotifier(mkdtempSync(join(tmpdir(), 'crawlguard-bench-')));
  return { config, deps: { prober, store, notifier }, consumed, runPass };
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]!) as ClientArgs;
  const urls = urlsOf(args);
  let outcomes: Record<string, number> = {};
  let extra: Record<string, unknown> = {};
  let passMs = 0;
  if (args.kind === 'crawlguard') {
    const { config, deps, consumed, runPass } = await crawlguardSetup(args);
    const pass = async (minute: number) => {
      const report: PassReport = await runPass(deps, config, {
        shardId: 'bench',
        nowMs: args.startMs + minute * 60_000,
      });
      outcomes = {};
      for (const r of report.results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
      passMs = report.durationMs;
    };
    await pass(0); // warm-up: first states, first robots copies
    await pass(1); // a second pass: failing URLs confirm (url-down) and write their incidents
    consumed.writes = 0;
    consumed.reads = 0;
    // Steady state, three times: this machine is shared, so the median pass is what is reported.
    const runs = [await measure(() => pass(2)), await measure(() => pass(3)), await measure(() => pass(4))];
    const measured = median(runs);
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) {
      gc();
      extra.retainedHeapMb = process.memoryUsage().heapUsed / 1024 / 1024;
    }
    extra = {
      ...extra,
      writeUnits: consumed.writes / runs.length,
      readUnits: consumed.reads / runs.length,
      cpuMsRuns: runs.map((r) => Math.round(r.cpuMs)),
    };
    await deps.prober.close();
    process.stdout.write(
      `${JSON.stringify({ kind: args.kind, checks: urls.length, outcomes, passMs, ...measured, ...extra })}\n`,
    );
  } else {
    const dispatcher = new Agent();
    const run = () => (args.kind === 'fetch' ? bareFetch(urls, args) : undiciRequest(urls, args, dispatcher));
    await run();
    const runs: Measurement[] = [];
    for (let i = 0; i < 3; i += 1)
      runs.push(
        await measure(async () => {
          outcomes = await run();
        }),
      );
    process.stdout.write(
      `${JSON.stringify({ kind: args.kind, checks: urls.length, outcomes, ...median(runs), cpuMsRuns: runs.map((r) => Math.round(r.cpuMs)) })}\n`,
    );
  }
  process.exit(0);
}

void main();
