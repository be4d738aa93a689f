/**
 * `npm run bench`: crawlguard's full pass against bare fetch and raw undici.request, in the same run, at
 * the same concurrency, over the same loopback fleet; then a pass with 10% of URLs hanging. Prints a
 * table and writes bench/results.json. Every client runs in a process of its own (CPU, RSS and file
 * descriptors are its own), the fleet and the store (dynalite) in theirs.
 *   npm run bench -- --origins 100 --urls 100 --concurrency 500
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parseMonitorsConfig } from '../lambdas/core/config/parse';
import { estimate } from '../lambdas/core/cost/estimate';
import { measureItemSizes } from '../lambdas/handlers/cli/commands/cost';

const ROOT = join(__dirname, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

const { values } = parseArgs({
  options: {
    origins: { type: 'string', default: '100' },
    urls: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '500' },
    timeout: { type: 'string', default: '2000' },
  },
});
const origins = Number(values.origins);
const urlsPerOrigin = Number(values.urls);
const concurrency = Number(values.concurrency);
const timeoutMs = Number(values.timeout);

/** Starts a process that prints one JSON line when ready; resolves with it. */
function startService(args: string[]): Promise<{ child: ChildProcess; ready: Record<string, unknown> }> {
  const child = spawn(TSX, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, ready: JSON.parse(line) }));
  });
}

/** The clients run as a plain-node bundle (as the probe runs in Lambda), not through a TypeScript loader. */
function bundleClient(dir: string): string {
  execFileSync(
    join(ROOT, 'node_modules', '.bin', 'esbuild'),
    [
      'bench/client.ts',
      '--bundle',
      '--platform=node',
      '--target=node20',
      '--format=esm',
      '--splitting',
      `--outdir=${dir}`,
      '--log-level=error',
      '--out-extension:.js=.mjs',
      '--external:@aws-sdk/*',
      '--external:undici',
      '--external:dynalite',
      '--main-fields=module,main',
      "--banner:js=import { createRequire as __cg_createRequire } from 'module'; const require = __cg_createRequire(import.meta.url);",
    ],
    { cwd: ROOT },
  );
  return join(dir, 'client.mjs');
}

let clientBundle = '';

function runClient(args: Record<string, unknown>): Record<string, number | Record<string, number>> {
  // BENCH_PROFILE=1 writes a CPU profile of the crawlguard client to bench/.profile (for finding hot spots).
  const profile =
    process.env.BENCH_PROFILE && args.kind === 'crawlguard'
      ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'bench', '.profile')}`]
      : [];
  const out = execFileSync(process.execPath, [...profile, '--expose-gc', clientBundle, JSON.stringify(args)], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** The probe bundle as the stack builds it, its size, and how long importing it takes in a fresh Node. */
function bundleFacts(): { bytes: number; loadMs: number } {
  // Inside the project, so the SDK (external, as in Lambda where the runtime provides it) resolves.
  const dir = mkdtempSync(join(ROOT, 'bench', '.bundle-'));
  const out = join(dir, 'index.mjs');
  execFileSync(
    join(ROOT, 'node_modules', '.bin', 'esbuild'),
    [
      'lambdas/handlers/lambda.ts',
      '--bundle',
      '--minify',
      '--platform=node',
      '--target=node22',
      '--format=esm',
      '--external:@aws-sdk/*',
      '--main-fields=module,main',
      `--outfile=${out}`,
      '--define:__CRAWLGUARD_CONFIG__=undefined',
      '--log-level=error',
      "--banner:js=import { createRequire as __cg_createRequire } from 'module'; const require = __cg_createRequire(import.meta.url);",
    ],
    { cwd: ROOT },
  );
  const times = Array.from({ length: 5 }, () =>
    Number(
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const t = performance.now(); await import(${JSON.stringify(out)}); process.stdout.write(String(performance.now() - t));`,
        ],
        { cwd: ROOT, encoding: 'utf8' },
      ),
    ),
  );
  const bytes = statSync(out).size;
  rmSync(dir, { recursive: true, force: true });
  return { bytes, loadMs: times.sort((a, b) => a - b)[2]! };
}

async function main(): Promise<void> {
  const checks = origins * (urlsPerOrigin + 1);
  console.log(
    `crawlguard bench: ${origins} origins x ${urlsPerOrigin} URLs (+ robots.txt) = ${checks} checks, concurrency ${concurrency}, timeout ${timeoutMs} ms`,
  );
  const store = await startService([join('bench', 'store.ts')]);
  const results: Record<string, unknown> = {};
  const clientDir = mkdtempSync(join(ROOT, 'bench', '.bundle-'));
  clientBundle = bundleClient(clientDir);
  try {
    const startMs = Date.parse('2026-12-01T00:00:00Z');
    const fleet = await startService([
      join('bench', 'fleet.ts'),
      JSON.stringify({ origins, errorShare: 0.01, hangShare: 0.002 }),
    ]);
    const base = {
      ports: fleet.ready.ports,
      urlsPerOrigin,
      concurrency,
      timeoutMs,
      dynamoEndpoint: store.ready.endpoint,
      startMs,
    };
    const crawlguard = runClient({ ...base, kind: 'crawlguard' });
    const fetchClient = runClient({ ...base, kind: 'fetch' });
    const undici = runClient({ ...base, kind: 'undici' });
    fleet.child.kill();

    const hanging = await startService([
      join('bench', 'fleet.ts'),
      JSON.stringify({ origins, errorShare: 0.01, hangShare: 0.1 }),
    ]);
    const hangRun = runClient({
      ...base,
      ports: hanging.ready.ports,
      kind: 'crawlguard',
      startMs: startMs + 86_400_000,
    });
    hanging.child.kill();

    const cpuPerCheck = (r: Record<string, unknown>) => (r.cpuMs as number) / (r.checks as number);
    const config = parseMonitorsConfig(
      'bench.yaml',
      `version: 1\ndefaults: { interval: 1m }\nlimits: { concurrency: ${concurrency} }\nsites:\n${Array.from(
        { length: origins },
        (_, o) =>
          `  - origin: https://site${o}.example\n    urls: [${Array.from({ length: urlsPerOrigin }, (_, i) => `/p${i}`).join(', ')}]`,
      ).join('\n')}\n`,
      () => '',
    );
    const cost = estimate(config, measureItemSizes(config));
    const bundle = bundleFacts();
    // Healthy URLs need the healthy scenario's pass time; hanging ones one timeout; 20% margin on the timeout.
    const hangBudgetMs = 1.2 * timeoutMs + (crawlguard.passMs as number);
    Object.assign(results, {
      date: new Date().toISOString(),
      node: process.version,
      machine: `${(await import('node:os')).cpus().length} cores`,
      setup: { origins, urlsPerOrigin, checks, concurrency, timeoutMs },
      clients: { crawlguard, fetch: fetchClient, undici },
      perCheck: {
        cpuMs: { crawlguard: cpuPerCheck(crawlguard), fetch: cpuPerCheck(fetchClient), undici: cpuPerCheck(undici) },
        ratioToFetch: cpuPerCheck(crawlguard) / cpuPerCheck(fetchClient),
        ratioToUndici: cpuPerCheck(crawlguard) / cpuPerCheck(undici),
        writeUnits: (crawlguard.writeUnits as number) / checks,
      },
      rssPerUrlKb: ((crawlguard.peakRssMb as number) * 1024) / checks,
      hanging: { ...hangRun, budgetMs: hangBudgetMs, withinBudget: (hangRun.passMs as number) <= hangBudgetMs },
      bundle,
      costPerUrlMonthUsd: cost.perUrlMonthUsd,
      syntheticsPerUrlMonthUsd: cost.synthetics.perUrlMonthUsd,
    });
    writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    printTable(results as unknown as Results);
  } finally {
    store.child.kill();
    rmSync(clientDir, { recursive: true, force: true });
  }
}

interface Results {
  clients: Record<
    'crawlguard' | 'fetch' | 'undici',
    {
      checks: number;
      wallMs: number;
      cpuMs: number;
      peakRssMb: number;
      maxOpenFds: number;
      passMs?: number;
      writeUnits?: number;
    }
  >;
  perCheck: { cpuMs: Record<string, number>; ratioToFetch: number; ratioToUndici: number; writeUnits: number };
  setup: { concurrency: number; checks: number; timeoutMs: number };
  rssPerUrlKb: number;
  hanging: { passMs: number; budgetMs: number; withinBudget: boolean; outcomes: Record<string, number> };
  bundle: { bytes: number; loadMs: number };
  costPerUrlMonthUsd: number;
  syntheticsPerUrlMonthUsd: number;
}

function printTable(r: Results): void {
  const row = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(28) : c.padStart(16))).join(''));
  console.log('');
  row(['', 'crawlguard', 'bare fetch', 'undici.request']);
  const pick = (f: (c: Results['clients']['fetch']) => string) => [
    f(r.clients.crawlguard),
    f(r.clients.fetch),
    f(r.clients.undici),
  ];
  row(['checks per second', ...pick((c) => ((c.checks / c.wallMs) * 1000).toFixed(0))]);
  row(['CPU ms per check', ...pick((c) => (c.cpuMs / c.checks).toFixed(3))]);
  row(['peak RSS (MB)', ...pick((c) => c.peakRssMb.toFixed(0))]);
  row(['most open descriptors', ...pick((c) => String(c.maxOpenFds))]);
  console.log('');
  const goal = (text: string, value: string, ok: boolean) =>
    console.log(`${ok ? 'met ' : 'MISS'}  ${text.padEnd(60)} ${value}`);
  goal(
    'CPU per check <= 1.25 x bare fetch',
    `${r.perCheck.ratioToFetch.toFixed(2)} x (undici.request: ${r.perCheck.ratioToUndici.toFixed(2)} x)`,
    r.perCheck.ratioToFetch <= 1.25,
  );
  goal('write units per check <= 0.05 (steady state)', r.perCheck.writeUnits.toFixed(4), r.perCheck.writeUnits <= 0.05);
  goal(
    `peak RSS <= 200 MB for ${r.setup.checks} checks`,
    `${r.clients.crawlguard.peakRssMb.toFixed(0)} MB (${r.rssPerUrlKb.toFixed(1)} KB per URL)`,
    r.clients.crawlguard.peakRssMb <= 200,
  );
  goal(
    `open descriptors <= concurrency + 32 (${r.setup.concurrency + 32})`,
    String(r.clients.crawlguard.maxOpenFds),
    r.clients.crawlguard.maxOpenFds <= r.setup.concurrency + 32,
  );
  goal(
    '10% hanging: pass <= 1.2 x timeout + healthy pass',
    `${r.hanging.passMs} ms (budget ${r.hanging.budgetMs.toFixed(0)} ms)`,
    r.hanging.withinBudget,
  );
  goal('probe bundle <= 250 KB minified', `${(r.bundle.bytes / 1024).toFixed(1)} KB`, r.bundle.bytes <= 250 * 1024);
  goal('module load < 150 ms', `${r.bundle.loadMs.toFixed(0)} ms`, r.bundle.loadMs < 150);
  goal(
    '<= USD 0.005 per URL-month at 1-minute checks',
    `${r.costPerUrlMonthUsd.toFixed(4)} (Synthetics ${r.syntheticsPerUrlMonthUsd.toFixed(2)})`,
    r.costPerUrlMonthUsd <= 0.005,
  );
  console.log('\nwritten: bench/results.json');
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
