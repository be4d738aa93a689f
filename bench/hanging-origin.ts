/**
 * `npm run bench:hanging-origin`: the pass's schedule at full size (issue "Alerts you can trust", part 4).
 * One origin of 100 URLs that all hang (timeout 10 s, retries 2, perOriginConcurrency 4) among 99 healthy
 * origins of 10 URLs, at the default 5-minute interval: a pass of the 99 alone, then two passes with the
 * hanging origin. Checks that the 99 see exactly what they see alone, that the hanging origin reaches
 * origin-outage within failureThreshold passes, and that every attempt a result reports is a request the
 * server received. About 10 minutes (each pass with the hanging origin runs to its 4.5-minute budget).
 * test/chaos/hanging-origin.test.ts is the same scenario 20 times faster, in `npm test`.
 *   npm run bench:hanging-origin -- --scale 1   (a smaller --scale divides every time by it)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createProber } from '../lambdas/adapters/http/prober';
import { LocalNotifier } from '../lambdas/adapters/notify/local-notifier';
import { startLocalStore } from '../lambdas/adapters/store/local-dynamo';
import { formatDurationMs } from '../lambdas/core/config/duration';
import { parseMonitorsConfig } from '../lambdas/core/config/parse';
import type { CheckResult } from '../lambdas/core/probe/types';
import { runPass } from '../lambdas/handlers/pass';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' } } });
const scale = Number(values.scale);
const ms = (full: number) => Math.round(full / scale);

async function main() {
  const received = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const key = `${req.headers.host?.split(':')[0]}${req.url}`;
    received.set(key, (received.get(key) ?? 0) + 1);
    if (req.headers.host?.startsWith('hang.test')) return; // never answers
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>ok</title>');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  const yaml = (withHanging: boolean) =>
    [
      'version: 1',
      `defaults: { interval: ${ms(300_000)}ms, timeout: ${ms(10_000)}ms, retries: 2, retryBackoff: ${ms(2_000)}ms }`,
      'limits: { concurrency: 50, perOriginConcurrency: 4 }',
      'sites:',
      ...(withHanging
        ? [
            `  - origin: http://hang.test:${port}`,
            '    allowPrivateNetwork: true',
            `    urls: [${Array.from({ length: 100 }, (_, i) => `/p${i}`).join(', ')}]`,
          ]
        : []),
      ...Array.from({ length: 99 }, (_, i) => [
        `  - origin: http://s${i}.test:${port}`,
        '    allowPrivateNetwork: true',
        `    urls: [${Array.from({ length: 10 }, (_, j) => `/u${j}`).join(', ')}]`,
      ]).flat(),
    ].join('\n');
  const prober = createProber({
    concurrency: 50,
    perOriginConcurrency: 4,
    resolve: async () => [{ address: '127.0.0.1', family: 4 }],
  });
  const healthyView = (results: CheckResult[]) =>
    JSON.stringify(
      results.filter((r) => !r.origin.includes('hang.test')).map((r) => [r.url, r.outcome, r.status, r.attempts]),
    );
  const dirs: string[] = [];
  const store = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crawlguard-bench-'));
    dirs.push(dir);
    return { dir, local: await startLocalStore(dir) };
  };
  try {
    const alone = await store();
    const baseline = await runPass(
      { prober, store: alone.local.store, notifier: new LocalNotifier(alone.dir) },
      parseMonitorsConfig('m.yaml', yaml(false), () => ''),
      { shardId: 'bench', nowMs: Date.UTC(2026, 11, 1, 9) },
    );
    await alone.local.close();
    const shared = await store();
    const config = parseMonitorsConfig('m.yaml', yaml(true), () => '');
    const passes = [];
    for (const n of [0, 1]) {
      received.clear();
      const report = await runPass(
        { prober, store: shared.local.store, notifier: new LocalNotifier(shared.dir) },
        config,
        { shardId: 'bench', nowMs: Date.UTC(2026, 11, 1, 9) + n * ms(300_000) },
      );
      const hanging = report.results.filter((r) => r.origin.includes('hang.test'));
      const unclaimed = report.results.filter((r) => {
        const url = new URL(r.url);
        return (received.get(`${url.hostname}${url.pathname}`) ?? 0) !== r.attempts;
      });
      passes.push({
        durationMs: report.durationMs,
        healthyIdenticalToAlone: healthyView(report.results) === healthyView(baseline.results),
        hangingOutcomes: Object.fromEntries(
          [...new Set(hanging.map((r) => r.outcome))].map((o) => [o, hanging.filter((r) => r.outcome === o).length]),
        ),
        hangingAttempts: hanging.reduce((n, r) => n + r.attempts, 0),
        resultsWhoseAttemptsDifferFromRequestsReceived: unclaimed.length,
        tiers: Object.fromEntries(
          [...new Set(report.events.map((e) => e.tier))].map((t) => [
            t,
            report.events.filter((e) => e.tier === t).length,
          ]),
        ),
      });
    }
    await shared.local.close();
    const summary = {
      scale,
      interval: formatDurationMs(ms(300_000)),
      timeout: formatDurationMs(ms(10_000)),
      baselineDurationMs: baseline.durationMs,
      passes,
    };
    console.log(JSON.stringify(summary, null, 2));
    if (scale === 1) writeFileSync(join(__dirname, 'hanging-origin.json'), `${JSON.stringify(summary, null, 2)}\n`);
    const ok =
      passes.every((p) => p.healthyIdenticalToAlone && p.resultsWhoseAttemptsDifferFromRequestsReceived === 0) &&
      (passes[1]!.tiers['origin-outage'] ?? 0) === 1;
    process.exitCode = ok ? 0 : 1;
  } finally {
    await prober.close();
    server.closeAllConnections();
    server.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

void main();
