/**
 * Every file read is capped by the bytes actually read, and only regular files are read: /dev/zero, a
 * FIFO and an oversized file are refused at once with a one-line message (exit 2), for monitors.yaml, a
 * urlsFile, `robots test FILE` and `import-sitemap FILE`. A urlsFile that is some other file is never
 * echoed line by line. The FIFO cases run the spawned command, killed if it hangs.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../lambdas/handlers/cli/main';
import { runCli } from '../support/cli';
import { captureIo } from '../support/io';
import { tempDir } from '../support/store';

let dir: ReturnType<typeof tempDir>;
let fifo: string;

beforeAll(() => {
  dir = tempDir();
  fifo = join(dir.path, 'fifo');
  execFileSync('mkfifo', [fifo]);
});
afterAll(() => dir.cleanup());

async function crawlguard(...args: string[]) {
  const io = captureIo();
  const status = await main(args, io);
  return { status, out: io.lines, err: io.errors };
}

const write = (name: string, text: string | Buffer) => {
  const path = join(dir.path, name);
  writeFileSync(path, text);
  return path;
};

const configWithUrlsFile = (urlsFile: string) =>
  write('monitors.yaml', `version: 1\nsites:\n  - origin: https://www.example.com\n    urlsFile: ${urlsFile}\n`);

describe('a urlsFile', () => {
  test.each<[string, () => string, string]>([
    ['/dev/zero', () => '/dev/zero', 'cannot read /dev/zero: is a device, not a regular file'],
    ['a directory', () => dir.path, ': is a directory'],
    [
      'an oversized file',
      () => write('huge.txt', Buffer.alloc(8 * 1024 * 1024 + 1, '/\n')),
      'is larger than 8 MiB; split the site or its list',
    ],
  ])('%s is refused in one line, exit 2', async (_name, path, message) => {
    const run = await crawlguard('validate', '--config', configWithUrlsFile(path()));
    expect(run.status).toBe(2);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toContain(message);
  });

  test('a file that is not a list of URLs is never echoed: five lines located, the rest counted', async () => {
    const lines = Array.from(
      { length: 40 },
      (_, i) => `user${i}:x:${1000 + i}:${1000 + i}:Secret Person ${i}:/home/user${i}:/bin/bash`,
    );
    write('passwd', `${lines.join('\n')}\n`);
    const run = await crawlguard('validate', '--config', configWithUrlsFile('passwd'));
    expect(run.status).toBe(2);
    expect(run.err).toHaveLength(6);
    expect(run.err.slice(0, 5)).toEqual(
      Array.from({ length: 5 }, (_, i) =>
        expect.stringMatching(new RegExp(`^passwd:${i + 1}:1 sites\\[0\\]\\.urlsFile: `)),
      ),
    );
    expect(run.err[5]).toBe(
      'passwd:6:1 sites[0].urlsFile: and 35 more lines that are not URLs of https://www.example.com; is passwd the file of URLs you meant?',
    );
    expect(run.err.join('\n')).not.toMatch(/user\d|Secret|\/home|bash/);
  });
});

describe('monitors.yaml', () => {
  test('/dev/zero and an oversized file are refused in one line, exit 2', async () => {
    const zero = await crawlguard('validate', '--config', '/dev/zero');
    expect(zero).toMatchObject({
      status: 2,
      err: ['/dev/zero: cannot read /dev/zero: is a device, not a regular file'],
    });
    const huge = write('huge.yaml', `version: 1\n#${'x'.repeat(4 * 1024 * 1024)}\n`);
    const big = await crawlguard('validate', '--config', huge);
    expect(big).toMatchObject({
      status: 2,
      err: [`${huge}: cannot read ${huge}: is larger than 4 MiB; move long URL lists into a urlsFile`],
    });
  });
});

describe('robots test FILE and import-sitemap FILE', () => {
  test('/dev/zero is refused in one line, exit 2', async () => {
    expect(await crawlguard('robots', 'test', '/dev/zero', 'https://www.example.com/')).toMatchObject({
      status: 2,
      err: ['cannot read /dev/zero: is a device, not a regular file'],
    });
    const config = write('sitemap-config.yaml', 'version: 1\nsites:\n  - origin: https://www.example.com\n');
    expect(await crawlguard('import-sitemap', '/dev/zero', '--config', config)).toMatchObject({
      status: 2,
      err: ['cannot read /dev/zero: is a device, not a regular file'],
    });
  });

  test('a robots.txt over 500 KiB is read up to 500 KiB, as Google reads it', async () => {
    const robots = write(
      'robots.txt',
      `User-agent: *\nDisallow: /private\n${'# padding\n'.repeat(60_000)}Disallow: /\n`,
    );
    const run = await crawlguard(
      'robots',
      'test',
      robots,
      'https://www.example.com/private',
      'https://www.example.com/public',
    );
    expect(run.out).toEqual([
      'robots.txt is larger than 500 KiB: the rest is ignored, as Google does',
      'disallowed  https://www.example.com/private  (Disallow: /private, line 2)',
      'allowed     https://www.example.com/public  (no rule matches)',
    ]);
  });
});

describe('a FIFO never blocks a command (spawned, killed after 15 s if it hangs)', () => {
  test.each<[string, () => string[]]>([
    ['monitors.yaml', () => ['validate', '--config', fifo]],
    ['a urlsFile', () => ['validate', '--config', configWithUrlsFile(fifo)]],
    ['robots test FILE', () => ['robots', 'test', fifo, 'https://www.example.com/']],
    [
      'import-sitemap FILE',
      () => [
        'import-sitemap',
        fifo,
        '--config',
        write('fifo-config.yaml', 'version: 1\nsites:\n  - origin: https://www.example.com\n'),
      ],
    ],
  ])('%s', async (_name, args) => {
    const run = await runCli(args(), { timeoutMs: 15_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is a pipe (FIFO), not a regular file');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
