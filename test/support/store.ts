import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStore, type LocalStore } from '../../lambdas/adapters/store/local-dynamo';

/** A fresh embedded store (dynalite on 127.0.0.1) in a temporary data directory. */
export async function tempStore(): Promise<LocalStore & { dataDir: string; cleanup(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crawlguard-test-'));
  const local = await startLocalStore(dataDir);
  return {
    ...local,
    dataDir,
    async cleanup() {
      await local.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function tempDir(): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), 'crawlguard-test-'));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
