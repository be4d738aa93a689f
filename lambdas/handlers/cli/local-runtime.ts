/**
 * The adapters a local command runs on: the embedded store under the data directory, the prober, and
 * the alert channel (SNS when a topic is set in the environment, the local file otherwise).
 */
import { topicsFromEnv } from '../../adapters/env';
import { createProber, type Prober } from '../../adapters/http/prober';
import type { Resolver } from '../../adapters/http/ssrf';
import { LocalNotifier } from '../../adapters/notify/local-notifier';
import type { Notifier } from '../../adapters/notify/notifier';
import { SnsNotifier } from '../../adapters/notify/sns-notifier';
import { startLocalStore, type LocalStore, type LocalStoreOptions } from '../../adapters/store/local-dynamo';
import type { MonitorsConfig } from '../../core/config/types';
import { RobotsReader } from '../../core/robots/reading';
import type { PassDeps } from '../pass';

export const DEFAULT_DATA_DIR = '.crawlguard';
export const LOCAL_SHARD = 'local';

export interface LocalRuntime {
  local: LocalStore;
  prober: Prober;
  notifier: Notifier;
  /** What runPass needs. */
  deps: PassDeps;
  close(): Promise<void>;
}

/** SNS with the default AWS credential chain when CRAWLGUARD_TOPIC_ARN(_<SEVERITY>) is set; the local file otherwise. */
export function notifierFor(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
): { notifier: Notifier; close(): void } {
  const topics = topicsFromEnv(env);
  if (!topics) return { notifier: new LocalNotifier(dataDir), close: () => undefined };
  // SnsNotifier retries itself, with backoff; its SDK loads on the first publish.
  const notifier = new SnsNotifier({ client: (sdk) => new sdk.SNSClient({ maxAttempts: 1 }), topics });
  return { notifier, close: () => notifier.destroy() };
}

export async function openLocalRuntime(
  config: MonitorsConfig,
  dataDir: string,
  resolve?: Resolver,
  store: LocalStoreOptions = {},
): Promise<LocalRuntime> {
  const local = await startLocalStore(dataDir, config.history.retentionMs, store);
  const channel = notifierFor(dataDir);
  const prober = createProber({
    concurrency: config.limits.concurrency,
    perOriginConcurrency: config.limits.perOriginConcurrency,
    resolve,
  });
  return {
    local,
    prober,
    notifier: channel.notifier,
    deps: { prober, store: local.store, notifier: channel.notifier, robots: new RobotsReader() },
    async close() {
      await prober.close();
      await local.close();
      channel.close();
    },
  };
}
