/** `crawlguard report`: the status page as one HTML file, from the embedded store. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMonitorsConfig } from '../../../adapters/config-file';
import { startLocalStore } from '../../../adapters/store/local-dynamo';
import { reportFromStore } from '../../report';
import { EXIT, parseNow } from '../errors';
import type { Io } from '../io';
import { LOCAL_SHARD } from '../local-runtime';
import { plural } from '../render';

export interface ReportOptions {
  config: string;
  dataDir: string;
  out: string;
  now?: string;
}

export async function report(options: ReportOptions, io: Io): Promise<number> {
  const nowMs = parseNow(options.now) ?? Date.now();
  const config = loadMonitorsConfig(options.config);
  const local = await startLocalStore(options.dataDir, config.history.retentionMs, { command: 'report' });
  try {
    const { model, html } = await reportFromStore(local.store, config, [LOCAL_SHARD], nowMs);
    mkdirSync(options.out, { recursive: true });
    const file = join(options.out, 'index.html');
    writeFileSync(file, html);
    io.out(`wrote ${file}: ${plural(model.origins.length, 'site')}, ${plural(model.clocks.length, 'clock')} running`);
    return EXIT.ok;
  } finally {
    await local.close();
  }
}
