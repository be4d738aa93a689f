/** The `crawlguard` command line: argument parsing and error → exit status. Commands live in ./commands. */
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../../core/config/errors';
import { EnvError } from '../../adapters/env';
import { DataDirUsageError, StoreError } from '../../adapters/store/errors';
import { alertsTest } from './commands/alerts-test';
import { checkOnce } from './commands/check';
import { cost } from './commands/cost';
import { report } from './commands/report';
import { robotsTest } from './commands/robots-test';
import { runLoop } from './commands/run';
import { status as statusCommand } from './commands/status';
import { registerUrlCommands } from './commands/urls';
import { validate } from './commands/validate';
import { EXIT, UsageError } from './errors';
import { processIo, type Io } from './io';
import { osErrorMessage } from './os-errors';
import { DEFAULT_DATA_DIR } from './local-runtime';

const configOption = () => new Option('-c, --config <file>', 'the monitors file').default('monitors.yaml');
const dataDirOption = () =>
  new Option('-d, --data-dir <dir>', 'where the embedded store keeps history and state').default(DEFAULT_DATA_DIR);

/** Resolves with the exit status; never throws for a user error. */
export async function main(argv: string[], io: Io = processIo, signal?: AbortSignal): Promise<number> {
  let status: number = EXIT.ok;
  const program = new Command('crawlguard')
    .description(
      'Synthetic uptime checks that model how search engines react to server errors and robots.txt failures.',
    )
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('validate')
    .description('check monitors.yaml; exit 0 when valid, 2 with file:line:column messages when not')
    .addOption(configOption())
    .action((opts: { config: string }) => {
      status = validate(opts.config, io);
    });

  program
    .command('check')
    .description('one pass over every URL and every robots.txt, stored; exit 0 when all are healthy, 1 when not')
    .requiredOption('--once', 'run a single pass and exit (the long-running mode is `crawlguard run`)')
    .addOption(configOption())
    .addOption(dataDirOption())
    .option('--json', 'print one JSON object per line: results, then a summary')
    .option('--now <iso>', 'fix the clock at this instant for the whole pass (replay outages deterministically)')
    .action(async (opts: { config: string; dataDir: string; json?: boolean; now?: string }) => {
      status = await checkOnce(opts, io);
    });

  program
    .command('run')
    .description('check every site on its interval until interrupted (Ctrl-C stops cleanly)')
    .addOption(configOption())
    .addOption(dataDirOption())
    .action(async (opts: { config: string; dataDir: string }) => {
      status = await runLoop(opts, io, signal ?? new AbortController().signal);
    });

  program
    .command('status')
    .description('open incidents with their clocks; exit 0 when none is open, 1 when one is')
    .addOption(configOption())
    .addOption(dataDirOption())
    .option('--now <iso>', 'read the clocks at this instant instead of now')
    .option('--json', 'one JSON object per open incident')
    .action(async (opts: { config: string; dataDir: string; now?: string; json?: boolean }) => {
      status = await statusCommand(opts, io);
    });

  program
    .command('report')
    .description(
      'the status page: one self-contained HTML file with uptime, latency, incidents, robots.txt and the open clocks',
    )
    .addOption(configOption())
    .addOption(dataDirOption())
    .option('-o, --out <dir>', 'the folder to write index.html into, or a file name ending in .html', 'report')
    .option('--now <iso>', 'report as of this instant instead of now')
    .action(async (opts: { config: string; dataDir: string; out: string; now?: string }) => {
      status = await report(opts, io);
    });

  program
    .command('cost')
    .description(
      'a monthly AWS cost estimate for the config, with every price and assumption, against CloudWatch Synthetics',
    )
    .addOption(configOption())
    .option('--json', 'one JSON object')
    .action((opts: { config: string; json?: boolean }) => {
      status = cost(opts, io);
    });

  program
    .command('alerts')
    .description('alert tools')
    .command('test')
    .description('send one test notification through the configured channels and print where it went')
    .addOption(configOption())
    .addOption(dataDirOption())
    .option('-s, --severity <severity>', 'critical, warning or info: decides the channels, as routing does', 'critical')
    .action(async (opts: { config: string; dataDir: string; severity: string }) => {
      status = await alertsTest(opts, io);
    });

  program
    .command('robots')
    .description('robots.txt tools')
    .command('test')
    .description("Google's verdict for URLs; exit 0 when all are allowed, 1 when any is disallowed")
    .argument('<robots>', 'a robots.txt file, or its http(s) URL')
    .argument('<url...>', 'absolute URLs to test')
    .option('-a, --agent <name>', 'the product token to test for', 'Googlebot')
    .option('--json', 'one JSON object per URL')
    .action(async (robots: string, urls: string[], opts: { agent: string; json?: boolean }) => {
      status = await robotsTest(robots, urls, opts, io);
    });

  registerUrlCommands(program, io, (s) => {
    status = s;
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (error) {
    return exitStatusFor(error, io);
  }
}

function exitStatusFor(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    // Help and version are requested output, not errors; commander already printed the message.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof ConfigError || error instanceof UsageError || error instanceof EnvError) {
    io.err(error.message);
    return EXIT.usage;
  }
  if (error instanceof DataDirUsageError) {
    io.err(`crawlguard: ${error.message}`);
    return EXIT.usage;
  }
  if (error instanceof StoreError) {
    io.err(`crawlguard: ${error.message}`);
    return EXIT.internal;
  }
  // The machine refused (permissions, a full disk): not a bug, and not the command's mistake.
  const os = osErrorMessage(error);
  if (os) {
    io.err(os);
    return EXIT.internal;
  }
  // A bug of ours: the stack is what a bug report needs.
  io.err(`crawlguard: internal error: ${(error as Error)?.stack ?? String(error)}`);
  return EXIT.internal;
}
