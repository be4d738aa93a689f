/** The real CDK CLI (the project's pinned aws-cdk) against the emulator: bootstrap, deploy, destroy. */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ACCOUNT, ARTIFACTS, REGION, ROOT } from './emulator';

const CLI = join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');
/** Where the deploy synthesizes to: its template is the one deployed (and linted). */
export const CDK_OUT = join(ARTIFACTS, 'cdk.out');

async function cdk(args: string[], env: Record<string, string>): Promise<string> {
  mkdirSync(join(ARTIFACTS, 'home'), { recursive: true });
  const log = createWriteStream(join(ARTIFACTS, 'cdk.log'), { flags: 'a' });
  log.write(`\n$ cdk ${args.join(' ')}\n`);
  const child = spawn(process.execPath, [CLI, ...args, '--no-notices', '--output', CDK_OUT], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      // A home of its own: no ~/.cdk.json context or ~/.aws profile of the developer's reaches the deploy.
      HOME: join(ARTIFACTS, 'home'),
      ...env,
      CDK_DISABLE_CLI_TELEMETRY: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on('data', (chunk: Buffer) => {
      output += chunk;
      log.write(chunk);
    });
  }
  const code = await new Promise<number | null>((done) => child.once('close', done));
  log.end();
  if (code !== 0) throw new Error(`cdk ${args[0]} exited ${code}:\n${output.slice(-3000)}`);
  return output;
}

export const bootstrap = (env: Record<string, string>) => cdk(['bootstrap', `aws://${ACCOUNT}/${REGION}`], env);

/**
 * `--method=direct`: moto's change sets lose the stack's Outputs and break later updates (toolchain notes);
 * a direct CreateStack/UpdateStack deploys the same template.
 */
export const deploy = (configPath: string, env: Record<string, string>) =>
  cdk(['deploy', '-c', `config=${configPath}`, '--method=direct', '--require-approval', 'never'], env);

export const destroy = (configPath: string, env: Record<string, string>) =>
  cdk(['destroy', '-c', `config=${configPath}`, '--force'], env);
