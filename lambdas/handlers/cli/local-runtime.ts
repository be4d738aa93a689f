/** The adapters a local command runs on: the embedded store under the data directory and the prober. */
import { createProber, type Prober } from '../../adapters/http/prober';
import type { Resolver } from '../../adapters/http/ssrf';
import { startLocalStore, type LocalStore } from '../../adapters/store/local-dynamo';
import type { MonitorsConfig } from '../../core/config/types';

export const DEFAULT_DATA_DIR = '.crawlguard';
export const LOCAL_SHARD = 'local';

export interface LocalRuntime {
  local: LocalStore;
  prober: Prober;
  close(): Promise<void>;
}

export async function openLocalRuntime(config: MonitorsConfig, dataDir: string, resolve?: Resolver): Promise<LocalRuntime> {
  const local = await startLocalStore(dataDir);
  const prober = createProber({ concurrency: config.limits.concurrency, perOriginConcurrency: config.limits.perOriginConcurrency, resolve });
  return {
    local,
    prober,
    async close() {
      await prober.close();
      await local.close();
    },
  };
}
