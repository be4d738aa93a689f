/**
 * Operating-system errors at the CLI boundary (the spawned command): one line with the documented exit
 * status, never "internal error" with a stack. Permission cases run the command as the unprivileged user
 * `nobody` when the tests run as root (root ignores file modes), as the test user otherwise.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { behave, startSite, type RunningSite } from '../../demo/site';
import { CLI, runCli, type CliRun } from '../support/cli';
import { tempDir } from '../support/store';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

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
  chmodSync(dir.path, 0o755); // the unprivileged user reads the config here
  config = join(dir.path, 'monitors.yaml');
  writeFileSync(
    config,
    `version: 1\ndefaults: { retries: 0, timeout: 1s }\nsites:\n  - origin: ${site.origin}\n    allowPrivateNetwork: true\n    urls: [/, /down]\n`,
  );
});
afterAll(async () => {
  await site.close();
  dir.cleanup();
});

/** The command as a user without special rights. */
function runUnprivileged(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, NO_COLOR: '1', HOME: dir.path },
      ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
      timeout: 30_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const oneLine = (run: CliRun) => {
  expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0];
};

describe('permissions', () => {
  test('a read-only data directory: exit 3, naming it and what to do', async () => {
    const dataDir = join(dir.path, 'read-only-data');
    mkdirSync(dataDir, { mode: 0o555 });
    chmodSync(dataDir, 0o555);
    for (const command of [['check', '--once'], ['status']]) {
      const run = await runUnprivileged([...command, '--config', config, '--data-dir', dataDir]);
      expect(run.code).toBe(3);
      expect(oneLine(run)).toBe(
        `crawlguard: cannot lock the data directory ${dataDir}: permission denied; crawlguard keeps its store there: make it writable or pass --data-dir DIR`,
      );
    }
  });

  test('a read-only config folder: add writes nothing, exit 2, naming the folder', async () => {
    const folder = join(dir.path, 'read-only-config');
    mkdirSync(folder, { mode: 0o755 });
    const file = join(folder, 'monitors.yaml');
    writeFileSync(file, 'version: 1\nsites:\n  - origin: https://www.example.com\n', { mode: 0o666 });
    chmodSync(file, 0o666);
    chmodSync(folder, 0o555);
    const run = await runUnprivileged(['add', 'https://www.example.com/new', '--config', file]);
    expect(run.code).toBe(2);
    expect(oneLine(run)).toBe(
      `${file}: cannot write it: the folder ${folder} is not writable (crawlguard writes the edit beside the file, then renames it over); nothing was changed`,
    );
    expect(readFileSync(file, 'utf8')).not.toContain('/new');
  });
});

describe('paths that name the wrong kind of thing', () => {
  test('--data-dir naming a file: exit 2', async () => {
    const file = join(dir.path, 'a-file');
    writeFileSync(file, 'x');
    for (const command of [['check', '--once'], ['status'], ['report'], ['alerts', 'test']]) {
      const run = await runCli([...command, '--config', config, '--data-dir', file], {
        cwd: dir.path,
        timeoutMs: 30_000,
      });
      expect(run.code).toBe(2);
      expect(oneLine(run)).toBe(
        `crawlguard: --data-dir ${file} is a file, not a directory; name a directory (it is created if missing)`,
      );
    }
  });

  test('report --out naming an existing file: exit 2; --out NAME.html writes that file, never a folder of that name', async () => {
    const dataDir = join(dir.path, 'report-data');
    const file = join(dir.path, 'notes.txt');
    writeFileSync(file, 'mine');
    const refused = await runCli(['report', '--config', config, '--data-dir', dataDir, '--out', file], {
      timeoutMs: 30_000,
    });
    expect(refused.code).toBe(2);
    expect(oneLine(refused)).toBe(
      `--out ${file} is a file: give a folder (index.html is written in it) or a file name ending in .html`,
    );
    expect(readFileSync(file, 'utf8')).toBe('mine');
    const html = join(dir.path, 'status.html');
    const written = await runCli(['report', '--config', config, '--data-dir', dataDir, '--out', html], {
      timeoutMs: 30_000,
    });
    expect(written).toMatchObject({ code: 0, stderr: '' });
    expect(statSync(html).isFile()).toBe(true);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/i);
  });
});

test('a full disk (ENOSPC): exit 3, one line naming the file', async () => {
  const out = join(dir.path, 'full');
  mkdirSync(out);
  symlinkSync('/dev/full', join(out, 'index.html'));
  const run = await runCli(['report', '--config', config, '--data-dir', join(dir.path, 'full-data'), '--out', out], {
    timeoutMs: 30_000,
  });
  expect(run.code).toBe(3);
  expect(oneLine(run)).toBe(`crawlguard: cannot write ${join(out, 'index.html')}: the disk is full; free some space`);
});

describe("output piped into a reader that closes early (EPIPE, as with | head): no message, the command's own exit status", () => {
  const dataDir = () => join(dir.path, 'pipe-data');
  beforeAll(async () => {
    expect(
      (await runCli(['check', '--once', '--config', config, '--data-dir', dataDir()], { timeoutMs: 30_000 })).code,
    ).toBe(1);
  });

  /** Runs the command with its stdout closed by the reader before the first line arrives. */
  function withClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        env: { ...process.env, NO_COLOR: '1' },
        timeout: 30_000,
      });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += c));
      child.on('close', (code) => resolve({ code, stderr }));
    });
  }

  test.each<[string, () => string[], number]>([
    ['status --json', () => ['status', '--json', '--config', config, '--data-dir', dataDir()], 1],
    ['list', () => ['list', '--config', config], 0],
    ['cost', () => ['cost', '--config', config], 0],
    ['check --json', () => ['check', '--once', '--json', '--config', config, '--data-dir', dataDir()], 1],
  ])('%s', async (_name, args, status) => {
    const run = await withClosedStdout(args());
    expect(run).toEqual({ code: status, stderr: '' });
  });
});
