/**
 * The emulated AWS: moto with the project's add-on (moto_addon.py) on a free loopback port, the
 * environment that points the CDK CLI and the SDK at it, and the add-on's test endpoints.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
/** Logs, the synthesized templates and unpacked packages of a run (git-ignored). */
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'aws');
/** moto's default account; any 12 digits would do. */
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const PYTHON = process.env.CRAWLGUARD_PYTHON ?? 'python3';

/** cfn-lint on a template, with the interpreter that runs moto: its findings as JSON. */
export function cfnLint(
  templatePath: string,
): { Rule: { Id: string }; Level: string; Message: string; Location: { Path: (string | number)[] } }[] {
  const run = spawnSync(
    PYTHON,
    ['-c', 'import sys; from cfnlint.runner import main; sys.exit(main())', '--format', 'json', templatePath],
    { encoding: 'utf8' },
  );
  if (run.error || !run.stdout.trim().startsWith('['))
    throw new Error(`cfn-lint did not run: ${run.error?.message ?? run.stderr}`);
  return JSON.parse(run.stdout);
}

/** Null when this machine can run the emulated deploy; otherwise what is missing and how to get it. */
export function missingPrerequisites(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import moto, flask, cfnlint; print(moto.__version__)'], { encoding: 'utf8' });
  if (probe.error)
    return `${PYTHON} not found: the emulated AWS runs on Python 3 (set CRAWLGUARD_PYTHON to another interpreter)`;
  if (probe.status !== 0) {
    const missing = /No module named '([^']+)'/.exec(probe.stderr)?.[1] ?? probe.stderr.trim();
    return (
      `${PYTHON} lacks ${missing}: the emulated AWS needs moto 5 with its server (flask) and cfn-lint; ` +
      `install them with: ${PYTHON} -m pip install 'moto[server]==5.2.1' cfn-lint`
    );
  }
  if (!probe.stdout.startsWith('5.'))
    return `${PYTHON} has moto ${probe.stdout.trim()}; the add-on is written against moto 5`;
  return null;
}

/**
 * What every AWS client of the run uses: the emulator's endpoint, dummy credentials, and no shared
 * config, so a developer's ~/.aws (profiles, real credentials, endpoints) is never read.
 */
export function awsEnvironment(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_CONFIG_FILE: join(ARTIFACTS, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(ARTIFACTS, 'no-aws-credentials'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

export interface Delivery {
  topicArn: string;
  subscriptionArn: string;
  protocol: 'email' | 'email-json' | 'sms';
  endpoint: string;
  messageId: string;
  subject: string | null;
  message: string;
  messageAttributes: Record<string, { Type: string; Value: string }>;
}

export class Emulator {
  /** `localhost`, not 127.0.0.1: moto reads a leading "127" of the host as a bucket name (toolchain notes). */
  readonly endpoint: string;
  readonly env: Record<string, string>;

  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    this.endpoint = `http://localhost:${port}`;
    this.env = awsEnvironment(this.endpoint);
  }

  static async start(): Promise<Emulator> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const child = spawn(PYTHON, [join(__dirname, 'moto_addon.py')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const log = createWriteStream(join(ARTIFACTS, 'moto.log'));
    child.stderr!.pipe(log);
    // The first line says where it listens; whatever it prints later goes to the log (a full pipe would block it).
    const firstLine = await new Promise<string>((done, fail) => {
      let text = '';
      const read = (chunk: Buffer) => {
        text += chunk;
        if (!text.includes('\n')) return;
        child.stdout!.off('data', read);
        child.stdout!.pipe(log);
        done(text.slice(0, text.indexOf('\n')));
      };
      child.stdout!.on('data', read);
      child.once('exit', (code) =>
        fail(new Error(`moto exited (${code}) before listening; see ${join(ARTIFACTS, 'moto.log')}`)),
      );
    });
    const { port } = JSON.parse(firstLine) as { port: number };
    return new Emulator(port, child);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill('SIGTERM');
    await exited;
  }

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await fetch(`${this.endpoint}/_crawlguard/${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} /_crawlguard/${path}: ${response.status} ${await response.text()}`);
    return response;
  }

  /** Everything moto would have delivered to email and sms subscribers since it started, in order. */
  async deliveries(): Promise<Delivery[]> {
    return (await (await this.call('GET', 'deliveries')).json()) as Delivery[];
  }

  /** Until cleared, SNS answers Publish to this topic with `code` (as for a role that may not publish). */
  async failPublish(topicArn: string, code: string): Promise<void> {
    await this.call('PUT', 'publish-fault', {
      topicArn,
      code,
      message: `User is not authorized to perform: SNS:Publish on resource: ${topicArn}`,
    });
  }

  async clearPublishFault(): Promise<void> {
    await this.call('DELETE', 'publish-fault');
  }
}
