/**
 * `crawlguard cost`: a monthly estimate for the config in AWS, from item sizes measured by encoding sample
 * items with the real storage code, and every price and assumption printed beside it.
 */
import { loadMonitorsConfig } from '../../../adapters/config-file';
import { historyItem, stateItems } from '../../../adapters/store/dynamo-store';
import { itemBytes } from '../../../adapters/store/item-size';
import { gzipSync } from 'node:zlib';
import type { MonitorsConfig } from '../../../core/config/types';
import { estimate, type Estimate, type ItemSizes } from '../../../core/cost/estimate';
import type { CheckResult } from '../../../core/probe/types';
import { step } from '../../../core/rules/step';
import { EXIT } from '../errors';
import type { Io } from '../io';
import { plural } from '../render';

const SAMPLE_ROBOTS = `User-agent: *\n${['/admin/', '/cart/', '/checkout/', '/search', '/account/', '/*?sort=', '/tmp/'].map((p) => `Disallow: ${p}`).join('\n')}\nSitemap: https://www.example.com/sitemap.xml\n`;

function healthyResult(origin: string, url: string, at: string, kind: CheckResult['kind'] = 'page'): CheckResult {
  return {
    kind,
    origin,
    url,
    checkedAt: at,
    status: 200,
    outcome: 'ok',
    latencyMs: 187,
    attempts: 1,
    redirects: 0,
    finalUrl: url,
    bytes: 5120,
    truncated: false,
    requestId: null,
    retryAfter: null,
    leak: [],
    error: null,
    attemptLog: [],
    ...(kind === 'robots' ? { robotsState: 'available' as const } : {}),
  };
}

/** Encodes a 100-check pass and a steady state of an average origin with the real code, and measures them. */
export function measureItemSizes(config: MonitorsConfig): ItemSizes {
  const at = '2026-12-01T09:00:00.000Z';
  const origin = 'https://www.example-shop.com';
  const sample = (n: number) =>
    Array.from({ length: n }, (_, i) => healthyResult(origin, `${origin}/products/item-${i}`, at));
  const bytesFor = (n: number) =>
    itemBytes(historyItem('5m-1', at, sample(n), 'a'.repeat(20), config.history.retentionMs));
  const perCheck = (bytesFor(100) - bytesFor(1)) / 99;
  const urlsPerOrigin = Math.max(
    1,
    Math.round(config.sites.reduce((n, s) => n + s.urls.length, 0) / Math.max(1, config.sites.length)),
  );
  const site = {
    ...config.sites[0]!,
    origin,
    urls: sample(urlsPerOrigin).map((r) => ({ url: r.url, expectStatus: null, bodyContains: [], bodyNotContains: [] })),
  };
  let state = step({ site, previous: null, passAt: at, pages: sample(urlsPerOrigin), robots: null }).state;
  state = step({
    site,
    previous: state,
    passAt: '2026-12-01T09:05:00.000Z',
    pages: sample(urlsPerOrigin),
    robots: null,
  }).state;
  return {
    historyBytesPerCheck: perCheck,
    historyItemOverheadBytes: bytesFor(1) - perCheck,
    stateItemBytes: itemBytes(stateItems(state, 1, 'sample-write').head),
    robotsCopyBytes: gzipSync(SAMPLE_ROBOTS).byteLength + 120,
  };
}

const usd = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 0.01 ? n.toFixed(2) : n === 0 ? '0.00' : n.toFixed(4));
const num = (n: number) =>
  n >= 100 ? Math.round(n).toLocaleString('en-US') : Number.isInteger(n) ? String(n) : n.toFixed(2);

export function renderEstimate(e: Estimate, configPath: string, sizes: ItemSizes): string[] {
  const out = [
    `crawlguard in AWS, monthly estimate for ${configPath}: ${plural(e.urls, 'URL')} on ${plural(e.origins, 'origin')}, ${plural(e.shards, 'shard')}, ${num(e.checksPerMonth)} checks a month`,
    '',
    `${'item'.padEnd(38)}${'quantity'.padStart(26)}${'USD/month'.padStart(12)}`,
  ];
  for (const line of e.lines)
    out.push(
      `${line.item.padEnd(38)}${`${num(line.quantity)} ${line.unit}`.padStart(26)}${usd(line.usd).padStart(12)}${line.note ? `  (${line.note})` : ''}`,
    );
  out.push(`${'total'.padEnd(64)}${usd(e.totalUsd).padStart(12)}  (${usd(e.perUrlMonthUsd)} per URL-month)`);
  out.push(
    '',
    `CloudWatch Synthetics instead, one canary run per URL check: ${num(e.synthetics.runs)} runs x USD 0.0012 = USD ${usd(e.synthetics.usd)} a month (${usd(e.synthetics.perUrlMonthUsd)} per URL-month)`,
  );
  out.push(
    '',
    'Measured item sizes (encoded with the storage code):',
    `  history: ${sizes.historyBytesPerCheck.toFixed(1)} bytes per check + ${Math.round(sizes.historyItemOverheadBytes)} per pass item; state item ${sizes.stateItemBytes} bytes; robots.txt copy ~${sizes.robotsCopyBytes} bytes`,
  );
  const a = e.assumptions;
  out.push(
    'Assumed:',
    `  ${a.checkLatencyMs} ms per check (Lambda bills the wait), ${a.passOverheadMs} ms per pass overhead, ${a.memoryMb} MB, ${a.alertsPerMonth} alerts a month, ${a.logBytesPerPass} log bytes per pass; steady state (no state writes)`,
  );
  out.push(`Prices (${e.prices.asOf}):`);
  for (const [name, value] of Object.entries(e.prices)) if (name !== 'asOf') out.push(`  ${name}: ${value}`);
  return out;
}

export function cost(options: { config: string; json?: boolean }, io: Io): number {
  const config = loadMonitorsConfig(options.config, { forDeploy: true });
  const sizes = measureItemSizes(config);
  const result = estimate(config, sizes);
  if (options.json) io.out(JSON.stringify({ type: 'cost', ...result, itemSizes: sizes }));
  else for (const line of renderEstimate(result, options.config, sizes)) io.out(line);
  return EXIT.ok;
}
