/** Wires the CLI to the process: arguments, signals (first stops cleanly, second forces) and the exit status. */
import { EXIT } from './errors';
import { stopWritingWhenPipesClose } from './io';
import { main } from './main';
import { osErrorMessage } from './os-errors';

/**
 * The last line of defence for what escapes every promise: dynalite reports a LevelDB failure by
 * throwing from a callback. One line and exit 3 for the store and the machine; a stack only for a bug.
 */
function onUncaught(error: Error): void {
  const code = (error as { code?: unknown }).code;
  const firstLine = String(error?.message ?? error).split('\n')[0];
  if (typeof code === 'string' && code.startsWith('LEVEL_')) {
    process.stderr.write(
      `crawlguard: the embedded store failed (${firstLine}); if this repeats, its files are damaged: move the data directory aside to start afresh\n`,
    );
  } else {
    process.stderr.write(
      `${osErrorMessage(error) ?? `crawlguard: internal error: ${error?.stack ?? String(error)}`}\n`,
    );
  }
  process.exit(EXIT.internal);
}

export function runFromProcess(): void {
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130); // a second Ctrl-C: the user means it
    process.stderr.write(`crawlguard: ${signal}: stopping after the work in progress (again to force)\n`);
    controller.abort();
  };
  stopWritingWhenPipesClose();
  process.on('uncaughtException', onUncaught);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  main(process.argv.slice(2), undefined, controller.signal).then((status) => {
    process.exitCode = status;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  });
}
