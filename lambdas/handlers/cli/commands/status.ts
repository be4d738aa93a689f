/** `crawlguard status`: open incidents with their clocks, from the stored state. */
import { loadMonitorsConfig } from '../../../adapters/config-file';
import { openClocks, type OpenClock } from '../../../core/rules/clocks';
import { EXIT, parseNow } from '../errors';
import type { Io } from '../io';
import { openLocalRuntime } from '../local-runtime';

export interface StatusOptions {
  config: string;
  dataDir: string;
  now?: string;
  json?: boolean;
}

/** Exit 0 when no incident is open, 1 when one is (so scripts can ask "is anything wrong?"). */
export async function status(options: StatusOptions, io: Io): Promise<number> {
  const nowMs = parseNow(options.now) ?? Date.now();
  const nowIso = new Date(nowMs).toISOString();
  const config = loadMonitorsConfig(options.config);
  const runtime = await openLocalRuntime(config, options.dataDir, undefined, { command: 'status' });
  let clocks: OpenClock[];
  try {
    const states = await runtime.local.store.loadStates(config.sites.map((s) => s.origin));
    clocks = config.sites.flatMap((site) => {
      const stored = states.get(site.origin);
      return stored ? openClocks(stored.state, site, nowIso) : [];
    });
  } finally {
    await runtime.close();
  }
  if (options.json) {
    for (const clock of clocks) io.out(JSON.stringify({ type: 'incident', ...clock }));
  } else if (clocks.length === 0) {
    io.out(io.colors.green(`no open incidents at ${nowIso}`));
  } else {
    io.out(io.colors.bold(`${clocks.length} open incident${clocks.length === 1 ? '' : 's'} at ${nowIso}`));
    for (const clock of clocks) io.out(`${clock.tier ? io.colors.red('●') : io.colors.yellow('○')} ${clock.summary}`);
  }
  return clocks.length === 0 ? EXIT.ok : EXIT.unhealthy;
}
