/** Alerts through the local channel, as a user sees them: the real command, dynalite, a loopback site. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { behave, startSite, type RunningSite } from '../../demo/site';
import { jsonLines, runCli } from '../support/cli';
import { tempDir } from '../support/store';

let site: RunningSite;
let dir: ReturnType<typeof tempDir>;
let config: string;
let dataDir: string;

beforeAll(async () => {
  site = await startSite({ '/': behave.ok(), '/robots.txt': behave.status(503) });
  dir = tempDir();
  dataDir = join(dir.path, 'data');
  config = join(dir.path, 'monitors.yaml');
  writeFileSync(
    config,
    `version: 1\ndefaults: { retries: 0, timeout: 1s }\nalerts:\n  email: [ops@example.com]\n  sms: ["+15555550100"]\nsites:\n  - origin: ${site.origin}\n    allowPrivateNetwork: true\n`,
  );
});

afterAll(async () => {
  await site.close();
  dir.cleanup();
});

const env = { CRAWLGUARD_TOPIC_ARN: '' };

test('an alert goes to notifications.jsonl exactly as it would be published, and is printed', async () => {
  const run = await runCli(
    ['check', '--once', '--json', '--config', config, '--data-dir', dataDir, '--now', '2026-12-01T09:12:00Z'],
    { env },
  );
  expect(run.code).toBe(1);
  const notification = jsonLines(run.stdout).find((l) => l.type === 'notification')!;
  expect(notification).toMatchObject({
    origin: site.origin,
    severity: 'critical',
    channels: ['sms', 'email'],
    sms: `CRIT 127.0.0.1:${site.port} robots.txt 503 since 09:12Z (0ms): Google stopped crawling the site`,
    where: `local ${join(dataDir, 'notifications.jsonl')}`,
    pending: 0,
    failure: null,
  });
  const [line] = readFileSync(join(dataDir, 'notifications.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(line.request).toMatchObject({
    TopicArn: 'local:critical',
    Subject: notification.subject,
    MessageStructure: 'json',
    MessageAttributes: { channels: { DataType: 'String.Array', StringValue: '["sms","email"]' } },
  });
  expect(JSON.parse(line.request.Message).sms).toBe(notification.sms);

  const table = await runCli(
    ['check', '--once', '--config', config, '--data-dir', dataDir, '--now', '2026-12-01T21:12:00Z'],
    { env },
  );
  expect(table.stdout).toContain('Notifications');
  expect(table.stdout).toContain('[sms+email] [CRIT] 127.0.0.1');
  expect(table.stdout).toContain('robots.txt 503: Google now crawls with its cached copy');
});

test('alerts test sends through the configured channel and says where', async () => {
  const run = await runCli(['alerts', 'test', '--config', config, '--data-dir', dataDir, '--severity', 'warning'], {
    env,
  });
  expect(run).toMatchObject({ code: 0, stderr: '' });
  expect(run.stdout.split('\n')[0]).toBe(
    `sent a warning test alert (email) to local ${join(dataDir, 'notifications.jsonl')}`,
  );
  const last = readFileSync(join(dataDir, 'notifications.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .at(-1);
  expect(last.request.Subject).toBe('[WARN] crawlguard test alert: nothing is wrong');
});

test('a bad topic ARN or severity is a usage error', async () => {
  const bad = await runCli(['alerts', 'test', '--config', config, '--data-dir', dataDir], {
    env: { CRAWLGUARD_TOPIC_ARN: 'not-an-arn' },
  });
  expect(bad).toMatchObject({ code: 2, stderr: 'CRAWLGUARD_TOPIC_ARN is not an SNS topic ARN: "not-an-arn"\n' });
  const severity = await runCli(['alerts', 'test', '--config', config, '--severity', 'urgent'], { env });
  expect(severity).toMatchObject({ code: 2, stderr: '--severity expects critical, warning or info; got "urgent"\n' });
});
