/** bin/app.ts, as `cdk synth` runs it: a broken monitors.yaml stops synth with the validate messages. */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TEST_CONTEXT } from '../support/cdk-context';
import { tempDir } from '../support/store';

const ROOT = resolve(__dirname, '..', '..');

function synthApp(configYaml: string) {
  const dir = tempDir();
  try {
    const config = join(dir.path, 'monitors.yaml');
    writeFileSync(config, configYaml);
    const run = spawnSync(process.execPath, ['-r', 'tsx/cjs', 'bin/app.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        CRAWLGUARD_CONFIG: config,
        CDK_OUTDIR: join(dir.path, 'cdk.out'),
        CDK_CONTEXT_JSON: JSON.stringify(TEST_CONTEXT),
      },
    });
    return { ...run, config, synthesized: existsSync(join(dir.path, 'cdk.out', 'Crawlguard.template.json')) };
  } finally {
    dir.cleanup();
  }
}

test('a valid config synthesizes the stack', () => {
  const run = synthApp('version: 1\nsites:\n  - origin: https://www.example.com\n');
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.synthesized).toBe(true);
});

test('a broken config stops synth with file:line:column and no stack trace', () => {
  const run = synthApp('version: 1\nsites:\n  - origin: https://www.example.com\n    robot: false\n');
  expect(run.status).toBe(2);
  expect(run.stderr).toBe(`${run.config}:4:5 sites[0].robot: unknown key "robot" (did you mean "robots"?)\n`);
});
