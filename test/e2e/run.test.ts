/** `crawlguard run`: checks on its interval, reloads an edited config, stops cleanly on SIGINT/SIGTERM. */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { behave, startSite, type RunningSite } from '../../demo/site';
import { CLI } from '../support/cli';
import { startLocalStore } from '../../lambdas/adapters/store/local-dynamo';
import { tempDir } from '../support/store';

let site: RunningSite;
let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
  site = await startSite({ '/': behave.ok(), '/robots.txt': behave.text('User-agent: *\nAllow: /\n') });
  dir = tempDir();
});

afterAll(async () => {
  await site.close();
  dir.cleanup();
});

function waitFor(read: () => string, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      const done = pattern.test(read());
      if (!done && Date.now() - started <= timeoutMs) return;
      clearInterval(timer);
      if (done) resolve();
      else reject(new Error(`timed out waiting for ${pattern}; output so far:\n${read()}`));
    }, 50);
  });
}

test.each(['SIGINT', 'SIGTERM'] as const)('runs passes on its interval and stops cleanly on %s', async (signal) => {
  const config = join(dir.path, `${signal}.yaml`);
  const dataDir = join(dir.path, `data-${signal}`);
  writeFileSync(
    config,
    `version: 1\ndefaults: { interval: 1s, timeout: 500ms }\nsites:\n  - origin: ${site.origin}\n    allowPrivateNetwork: true\n`,
  );
  const child = spawn(process.execPath, [CLI, 'run', '--config', config, '--data-dir', dataDir], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));

  await waitFor(() => out, /(2 checks in .*2 ok[\s\S]*){2}/); // two passes, a second apart
  writeFileSync(
    config,
    `version: 1\ndefaults: { interval: 1s, timeout: 500ms }\nsites:\n  - origin: ${site.origin}\n    allowPrivateNetwork: true\n    robots: false\n`,
  );
  await waitFor(() => out, /changed; now watching 1 site[\s\S]*1 check in/);
  child.kill(signal);
  expect(await exited).toBe(0);
  expect(out).toContain('crawlguard: stopped');
  expect(existsSync(join(dataDir, 'store.json'))).toBe(false); // removed by its owner before the lock went

  // What it stored is there for the next process.
  const local = await startLocalStore(dataDir);
  try {
    const states = await local.store.loadStates([site.origin]);
    expect(states.get(site.origin)?.state.urls[`${site.origin}/`]?.latest.outcome).toBe('ok');
  } finally {
    await local.close();
  }
});
