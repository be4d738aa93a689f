/** `crawlguard report`: the status page as one HTML file, from the embedded store. */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadMonitorsConfig } from '../../../adapters/config-file';
import { startLocalStore } from '../../../adapters/store/local-dynamo';
import { reportFromStore } from '../../report';
import { EXIT, parseNow, UsageError } from '../errors';
import type { Io } from '../io';
import { LOCAL_SHARD } from '../local-runtime';
import { withPath } from '../os-errors';
import { plural } from '../render';

export interface ReportOptions {
  config: string;
  dataDir: string;
  out: string;
  now?: string;
}

/**
 * Where the page goes: `--out DIR` writes DIR/index.html (DIR created if missing); `--out NAME.html`
 * writes that file, so `--out status.html` never becomes a folder. Decided before the store is opened.
 */
export function reportFile(out: string): string {
  if (/\.html?$/i.test(out)) {
    if (existsSync(out) && statSync(out).isDirectory()) return join(out, 'index.html');
    return out;
  }
  if (existsSync(out) && !statSync(out).isDirectory()) {
    throw new UsageError(
      `--out ${out} is a file: give a folder (index.html is written in it) or a file name ending in .html`,
    );
  }
  return join(out, 'index.html');
}

export async function report(options: ReportOptions, io: Io): Promise<number> {
  const nowMs = parseNow(options.now) ?? Date.now();
  const file = reportFile(options.out);
  const config = loadMonitorsConfig(options.config);
  const local = await startLocalStore(options.dataDir, config.history.retentionMs, { command: 'report' });
  try {
    const { model, html } = await reportFromStore(local.store, config, [LOCAL_SHARD], nowMs);
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, html);
    } catch (error) {
      throw withPath(error, file);
    }
    io.out(`wrote ${file}: ${plural(model.origins.length, 'site')}, ${plural(model.clocks.length, 'clock')} running`);
    return EXIT.ok;
  } finally {
    await local.close();
  }
}
