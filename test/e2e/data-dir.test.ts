/**
 * The local store's data directory, as processes use it (every process here is the spawned command):
 * one holder at a time by an OS-level lock (no PID trusted, nothing to delete by hand), the read-only
 * commands and `check --once` working through the holder's store while `run` goes, and a damaged store
 * named in one line with exit 3.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { behave, startSite, type RunningSite } from '../../demo/site';
import { CLI, jsonLines, runCli } from '../support/cli';
import { tempDir } from '../support/store';

let site: RunningSite;
let dir: ReturnType<typeof tempDir>;
let config: string;

beforeAll(async () => {
  site = await startSite({
    '/': behave.ok(),
    '/down': behave.status(503),
    '/robots.txt': behave.text('User-agent: *\nAllow: /\n'),
  });
  dir = tempDir();
  config = join(dir.path, 'monitors.yaml');
  writeFileSync(
    config,
    `version: 1\ndefaults: { interval: 2s, timeout: 1s, retries: 0 }\nsites:\n  - origin: ${site.origin}\n    allowPrivateNetwork: true\n    urls: [/, /down]\n`,
  );
});

afterAll(async () => {
  await site.close();
  dir.cleanup();
});

interface Running {
  child: ChildProcess;
  output: () => string;
  stop(): Promise<number | null>;
}

/** `crawlguard run` on `dataDir`, once its first pass is printed. */
async function startRun(dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, [CLI, 'run', '--config', config, '--data-dir', dataDir], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const started = Date.now();
  while (!/3 checks in/.test(out)) {
    if (Date.now() - started > 20_000 || child.exitCode !== null) throw new Error(`run did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => out, stop: () => (child.kill('SIGTERM'), exited) };
}

const dataDirOf = (name: string) => join(dir.path, name);

describe('one holder per data directory, by an OS-level lock', () => {
  test('a second run is refused, naming the first; the first is not disturbed and leaves nothing behind', async () => {
    const dataDir = dataDirOf('two-runs');
    const first = await startRun(dataDir);
    try {
      const record = JSON.parse(readFileSync(join(dataDir, 'store.json'), 'utf8')) as {
        pid: number;
        command: string;
        endpoint: string;
      };
      expect(record).toMatchObject({
        pid: first.child.pid,
        command: 'run',
        endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      });
      const second = await runCli(['run', '--config', config, '--data-dir', dataDir], { timeoutMs: 20_000 });
      expect(second.code).toBe(3);
      expect(second.stderr).toBe(
        `crawlguard: the data directory ${dataDir} is in use by crawlguard run (pid ${first.child.pid}); stop it or pass --data-dir DIR\n`,
      );
    } finally {
      expect(await first.stop()).toBe(0);
    }
    expect(first.output()).not.toMatch(/Database is closed|internal error/);
    expect(existsSync(join(dataDir, 'store.json'))).toBe(false);
  });

  test("the lock deleted by hand: a second run is still refused, by the store files' own lock", async () => {
    const dataDir = dataDirOf('deleted-lock');
    const first = await startRun(dataDir);
    try {
      rmSync(join(dataDir, '.lock'), { recursive: true, force: true });
      rmSync(join(dataDir, 'store.json'), { force: true });
      const second = await runCli(['run', '--config', config, '--data-dir', dataDir], { timeoutMs: 20_000 });
      expect(second.code).toBe(3);
      expect(second.stderr).toBe(
        `crawlguard: the store in ${dataDir} is open in another crawlguard process (its lock was removed by hand?); stop it, or pass --data-dir DIR\n`,
      );
      // The first still works: its next passes are stored.
      const before = (first.output().match(/3 checks in/g) ?? []).length;
      await new Promise((r) => setTimeout(r, 2_500));
      expect((first.output().match(/3 checks in/g) ?? []).length).toBeGreaterThan(before);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    expect(first.output()).not.toMatch(/Database is closed|internal error/);
  });

  test('a record left by a dead process, even one naming a live PID (1, after a container restart), never blocks', async () => {
    const dataDir = dataDirOf('stale');
    const check = () => runCli(['check', '--once', '--config', config, '--data-dir', dataDir], { timeoutMs: 20_000 });
    expect((await check()).code).toBe(1);
    writeFileSync(join(dataDir, 'lock'), '1'); // the old PID file, naming init
    writeFileSync(
      join(dataDir, 'store.json'),
      JSON.stringify({
        pid: 1,
        command: 'run',
        endpoint: 'http://127.0.0.1:9',
        token: 'a'.repeat(32),
        startedAt: '2026-01-01T00:00:00Z',
      }),
    );
    const again = await check();
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('');
    expect(existsSync(join(dataDir, 'store.json'))).toBe(false);
  });
});

describe('while run holds the data directory', () => {
  let run: Running;
  const dataDir = () => dataDirOf('shared');
  beforeAll(async () => {
    run = await startRun(dataDir());
  });
  afterAll(async () => {
    expect(await run.stop()).toBe(0);
  });

  test('status, status --json, report and list work, through its store', async () => {
    const status = await runCli(['status', '--config', config, '--data-dir', dataDir()], { timeoutMs: 20_000 });
    expect(status).toMatchObject({ code: 1, stderr: '' });
    expect(status.stdout).toMatch(/open incident/);
    const json = await runCli(['status', '--json', '--config', config, '--data-dir', dataDir()], { timeoutMs: 20_000 });
    expect(jsonLines(json.stdout).some((l) => l.type === 'incident')).toBe(true);
    const out = join(dir.path, 'shared-report');
    const report = await runCli(['report', '--config', config, '--data-dir', dataDir(), '--out', out], {
      timeoutMs: 20_000,
    });
    expect(report).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain(`${site.origin}/down`);
    const list = await runCli(['list', '--config', config], { timeoutMs: 20_000 });
    expect(list.code).toBe(0);
  });

  test("check --once runs a pass and stores it in run's store, saying so", async () => {
    const now = '2027-01-01T00:00:00Z'; // later than any pass run makes: the stored state is this pass's
    const check = await runCli(
      ['check', '--once', '--json', '--now', now, '--config', config, '--data-dir', dataDir()],
      { timeoutMs: 20_000 },
    );
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(
      new RegExp(
        `^crawlguard: .* is held by crawlguard run \\(pid ${run.child.pid}\\): this pass is stored in its store and alerts go out once\\n$`,
      ),
    );
    expect(jsonLines(check.stdout).at(-1)).toMatchObject({ type: 'summary', checks: 3 });
    const status = await runCli(['status', '--json', '--now', now, '--config', config, '--data-dir', dataDir()], {
      timeoutMs: 20_000,
    });
    expect(
      jsonLines(status.stdout)
        .map((l) => l.summary)
        .join('\n'),
    ).toMatch(/down/);
  });
});

describe('a damaged store: one line naming the directory and what to do, exit 3', () => {
  let pristine: string;
  beforeAll(async () => {
    pristine = dataDirOf('pristine');
    for (const now of ['2026-12-01T09:00:00Z', '2026-12-01T09:05:00Z']) {
      await runCli(['check', '--once', '--now', now, '--config', config, '--data-dir', pristine], {
        timeoutMs: 20_000,
      });
    }
  });

  const damaged = (name: string, damage: (storeFiles: string) => void) => {
    const copy = dataDirOf(name);
    cpSync(pristine, copy, { recursive: true });
    damage(join(copy, 'dynamodb'));
    return copy;
  };
  const fileLike = (storeFiles: string, pattern: RegExp) =>
    join(
      storeFiles,
      readdirSync(storeFiles).find((f) => pattern.test(f))!,
    );

  test.each<[string, (storeFiles: string) => void, RegExp]>([
    ['a damaged MANIFEST', (files) => truncateSync(fileLike(files, /^MANIFEST-/), 10), /LevelDB: Corruption/],
    ['a truncated table file', (files) => truncateSync(fileLike(files, /\.ldb$/), 100), /LevelDB: /],
    ['CURRENT deleted', (files) => rmSync(join(files, 'CURRENT')), /dynamodb\/CURRENT is missing/],
  ])('%s', async (name, damage, detail) => {
    const dataDir = damaged(name.replaceAll(' ', '-'), damage);
    for (const command of [['status'], ['check', '--once'], ['report', '--out', join(dir.path, 'r')]]) {
      const run = await runCli([...command, '--config', config, '--data-dir', dataDir], { timeoutMs: 20_000 });
      expect(run.code).toBe(3);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `^crawlguard: the store in ${dataDir.replaceAll('/', '\\/')} is damaged \\(.*\\); move the folder aside to start afresh`,
        ),
      );
      expect(lines[0]).toMatch(detail);
    }
  });
});
