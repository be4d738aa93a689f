/**
 * Invoking the deployed function as EventBridge Scheduler → Lambda would: the deployment package the deploy
 * uploaded (fetched back from the emulator through GetFunction's Code.Location, checked against its
 * CodeSha256), the environment the stack gave it, the schedule's Input as the event, in a fresh Node process.
 */
import { GetFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, PYTHON, REGION, ROOT } from './emulator';

export interface DeployedFunction {
  name: string;
  handler: string;
  timeoutSeconds: number;
  memoryMb: number;
  codeSha256: string;
  environment: Record<string, string>;
  /** The unpacked deployment package. */
  dir: string;
}

export async function fetchFunction(lambda: LambdaClient, name: string): Promise<DeployedFunction> {
  const { Configuration: config, Code: code } = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
  if (!config?.Handler || !code?.Location) throw new Error(`GetFunction ${name}: no handler or code location`);
  const zip = Buffer.from(await (await fetch(code.Location)).arrayBuffer());
  const sha = createHash('sha256').update(zip).digest('base64');
  if (sha !== config.CodeSha256)
    throw new Error(`the package at ${code.Location} has SHA-256 ${sha}, GetFunction says ${config.CodeSha256}`);
  const dir = join(ARTIFACTS, 'function', sha.replace(/[^\w]/g, '').slice(0, 16));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  writeFileSync(join(dir, '..', 'package.zip'), zip);
  // Python's zipfile: the emulator already needs Python, and it avoids an unzip dependency.
  const unzip = spawnSync(PYTHON, ['-m', 'zipfile', '-e', join(dir, '..', 'package.zip'), dir], { encoding: 'utf8' });
  if (unzip.status !== 0) throw new Error(`unpacking the deployment package failed: ${unzip.stderr}`);
  // The Node.js 22 runtime provides the AWS SDK v3 (the bundle leaves @aws-sdk/* out); nothing else is
  // provided, so a dependency the bundle forgot fails here as it would in Lambda.
  symlinkSync(join(ROOT, 'node_modules', '@aws-sdk'), join(dir, 'node_modules', '@aws-sdk'), 'dir');
  return {
    name,
    handler: config.Handler,
    timeoutSeconds: config.Timeout ?? 3,
    memoryMb: config.MemorySize ?? 128,
    codeSha256: config.CodeSha256 ?? '',
    environment: config.Environment?.Variables ?? {},
    dir,
  };
}

const parseLine = (line: string): Record<string, unknown> => {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { text: line };
  }
};

export interface Invocation {
  ok: boolean;
  result?: Record<string, unknown>;
  error?: { errorType: string; errorMessage: string };
  /** The function's log lines (its JSON lines, parsed). */
  logs: Record<string, unknown>[];
}

/**
 * One asynchronous invocation. The process gets what Lambda gives a function (its environment variables,
 * the runtime's AWS_* variables and credentials) and one addition standing in for AWS's endpoints:
 * AWS_ENDPOINT_URL, the emulator. Lambda ends an invocation at the function's timeout; so does this.
 */
export function invoke(fn: DeployedFunction, event: unknown, awsEnv: Record<string, string>): Promise<Invocation> {
  const env = {
    PATH: process.env.PATH ?? '',
    TZ: 'UTC',
    ...fn.environment,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    LAMBDA_TASK_ROOT: fn.dir,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: awsEnv.AWS_ACCESS_KEY_ID!,
    AWS_SECRET_ACCESS_KEY: awsEnv.AWS_SECRET_ACCESS_KEY!,
    AWS_CONFIG_FILE: awsEnv.AWS_CONFIG_FILE!,
    AWS_SHARED_CREDENTIALS_FILE: awsEnv.AWS_SHARED_CREDENTIALS_FILE!,
    AWS_ENDPOINT_URL: awsEnv.AWS_ENDPOINT_URL!,
    // The local Node may be older than the runtime's 22; the SDK's notice about it is not the function's.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const args = [
    // The function's memory as the heap's ceiling: near enough (Lambda counts the whole process).
    `--max-old-space-size=${fn.memoryMb}`,
    join(__dirname, 'lambda-runtime.mjs'),
    fn.dir,
    fn.handler,
    JSON.stringify(event),
  ];
  return new Promise((done) => {
    execFile(
      process.execPath,
      args,
      { env, cwd: fn.dir, timeout: fn.timeoutSeconds * 1000, killSignal: 'SIGKILL', maxBuffer: 64 << 20 },
      (failure, stdout, stderr) => {
        const lines = stdout.split('\n').filter(Boolean).map(parseLine);
        const outcome = lines.pop() ?? {};
        if (!('result' in outcome) && !('error' in outcome)) {
          done({
            ok: false,
            error: { errorType: 'Runtime.ExitError', errorMessage: `${failure?.message ?? 'no outcome'}\n${stderr}` },
            logs: lines,
          });
          return;
        }
        done({ ok: 'result' in outcome, ...(outcome as Pick<Invocation, 'result' | 'error'>), logs: lines });
      },
    );
  });
}
