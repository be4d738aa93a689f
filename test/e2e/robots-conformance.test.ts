/**
 * `crawlguard robots test` decides as Google's reference parser does: every verdict of
 * test/fixtures/robots/google-robotstxt-cases.json through the command (in-process, so all 145 run
 * in a second), plus two through the spawned binary.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import cases from '../fixtures/robots/google-robotstxt-cases.json';
import { main } from '../../lambdas/handlers/cli/main';
import { runCli } from '../support/cli';
import { captureIo } from '../support/io';
import { tempDir } from '../support/store';

interface Case {
  name: string;
  robots: string;
  agent: string;
  url: string;
  allowed: boolean;
}

let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.cleanup());

test('the fixture holds the 145 verdicts', () => {
  expect(cases).toHaveLength(145);
});

test.each((cases as Case[]).map((c, i) => [c.name, i, c] as const))('%s', async (_name, index, c) => {
  const file = join(dir.path, `robots-${index}.txt`);
  writeFileSync(file, c.robots);
  const io = captureIo();
  const status = await main(['robots', 'test', file, c.url, '--agent', c.agent], io);
  if (c.url === '') {
    // The four cases with an empty URL are refused with a clear error, as the issue allows.
    expect(status).toBe(2);
    expect(io.errors).toEqual(['URL is empty: give an absolute URL such as https://example.com/page']);
    return;
  }
  expect(status).toBe(c.allowed ? 0 : 1);
  expect(io.lines[0]).toMatch(c.allowed ? /^allowed / : /^disallowed /);
});

test('the spawned command agrees too', async () => {
  const file = join(dir.path, 'spawned.txt');
  writeFileSync(file, 'user-agent: FooBot\ndisallow: /\n');
  expect((await runCli(['robots', 'test', file, 'http://foo.bar/x/y', '--agent', 'FooBot'])).code).toBe(1);
  expect((await runCli(['robots', 'test', file, 'http://foo.bar/x/y', '--agent', 'BarBot'])).code).toBe(0);
});
