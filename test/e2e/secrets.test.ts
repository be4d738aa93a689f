/**
 * Credentials in URLs: refused in the config (urls: entries, urlsFile lines, add) with file:line:column,
 * and, as a second defence, redacted from every output when a target still produces one (a redirect to
 * http://user:password@…): the JSON and the table, notifications.jsonl, the stored state and history,
 * the status page. The spawned command, a loopback site, the embedded store.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { behave, startSite, type RunningSite } from '../../demo/site';
import { startLocalStore } from '../../lambdas/adapters/store/local-dynamo';
import { jsonLines, runCli } from '../support/cli';
import { tempDir } from '../support/store';

const PASSWORD = 'hunter2-secret';
let site: RunningSite;
let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
  site = await startSite({ '/': behave.ok(), '/robots.txt': behave.text('User-agent: *\nAllow: /\n') });
  site.route('/leak', behave.redirect(`http://admin:${PASSWORD}@127.0.0.1:${site.port}/`));
  dir = tempDir();
});

afterAll(async () => {
  await site.close();
  dir.cleanup();
});

const write = (name: string, text: string) => {
  const path = join(dir.path, name);
  writeFileSync(path, text);
  return path;
};

describe('credentials in the config are refused where they are written', () => {
  test('a urls: entry and a urlsFile line: file:line:column, exit 2, the password never printed', async () => {
    write('urls.txt', `/ok\nhttp://ops:${PASSWORD}@127.0.0.1:${site.port}/from-file\n`);
    const config = write(
      'creds.yaml',
      [
        'version: 1',
        'sites:',
        `  - origin: http://127.0.0.1:${site.port}`,
        '    allowPrivateNetwork: true',
        '    urlsFile: urls.txt',
        '    urls:',
        `      - http://admin:${PASSWORD}@127.0.0.1:${site.port}/x`,
        `      - //admin:${PASSWORD}@127.0.0.1:${site.port}/protocol-relative`,
      ].join('\n'),
    );
    for (const command of [['validate'], ['check', '--once', '--data-dir', join(dir.path, 'data-creds')], ['list']]) {
      const run = await runCli([...command, '--config', config]);
      expect(run.code).toBe(2);
      expect(`${run.stdout}${run.stderr}`).not.toContain(PASSWORD);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toEqual([
        expect.stringMatching(/creds\.yaml:7:9 sites\[0\]\.urls\[0\]: credentials in URLs/),
        expect.stringMatching(/creds\.yaml:8:9 sites\[0\]\.urls\[1\]: credentials in URLs/),
        expect.stringMatching(
          /^urls\.txt:2:1 sites\[0\]\.urlsFile: credentials in URLs \(user:password@\) are not supported/,
        ),
      ]);
    }
  });

  test('add refuses a URL with credentials and writes nothing', async () => {
    const config = write('add.yaml', `version: 1\nsites:\n  - origin: https://www.example.com\n`);
    const run = await runCli(['add', `https://admin:${PASSWORD}@www.example.com/x`, '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'https://www.example.com/…: credentials in URLs (user:password@) are not supported: a crawler checks what anyone sees; remove them',
    );
    expect(readFileSync(config, 'utf8')).not.toContain(PASSWORD);
  });
});

describe('a credential a target produces is redacted from every output', () => {
  const dataDir = () => join(dir.path, 'data-leak');
  const config = () =>
    write(
      'leak.yaml',
      [
        'version: 1',
        'defaults: { retries: 0, failureThreshold: 1 }',
        'sites:',
        `  - origin: http://127.0.0.1:${site.port}`,
        '    allowPrivateNetwork: true',
        '    urls: [/leak]',
      ].join('\n'),
    );

  test('JSON, table, notifications.jsonl, stored state, history, events and the status page', async () => {
    const json = await runCli([
      'check',
      '--once',
      '--json',
      '--config',
      config(),
      '--data-dir',
      dataDir(),
      '--now',
      '2026-12-01T09:00:00Z',
    ]);
    expect(json.code).toBe(1);
    const result = jsonLines(json.stdout).find((l) => l.type === 'result' && l.kind === 'page');
    expect(result).toMatchObject({ finalUrl: `http://***@127.0.0.1:${site.port}/` });
    const table = await runCli([
      'check',
      '--once',
      '--config',
      config(),
      '--data-dir',
      dataDir(),
      '--now',
      '2026-12-01T09:05:00Z',
    ]);
    const report = await runCli([
      'report',
      '--config',
      config(),
      '--data-dir',
      dataDir(),
      '--out',
      join(dir.path, 'report'),
      '--now',
      '2026-12-01T09:06:00Z',
    ]);
    expect(report.code).toBe(0);
    const notifications = readFileSync(join(dataDir(), 'notifications.jsonl'), 'utf8');
    expect(notifications).toContain('url-down');
    const html = readFileSync(join(dir.path, 'report', 'index.html'), 'utf8');
    const local = await startLocalStore(dataDir());
    let stored: string;
    try {
      const origin = `http://127.0.0.1:${site.port}`;
      const states = await local.store.loadStates([origin]);
      const events = await local.store.events(origin, '2026-01-01T00:00:00Z');
      const history = await local.store.history(
        'local',
        Date.parse('2026-12-01T00:00:00Z'),
        Date.parse('2026-12-02T00:00:00Z'),
      );
      stored = JSON.stringify({ states: [...states], events, history });
    } finally {
      await local.close();
    }
    expect(stored).toContain('***@');
    for (const output of [json.stdout, json.stderr, table.stdout, table.stderr, notifications, html, stored]) {
      expect(output).not.toContain(PASSWORD);
      expect(output).not.toContain('admin:');
    }
  });
});
