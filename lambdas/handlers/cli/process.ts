/** Wires the CLI to the process: arguments, signals (first stops cleanly, second forces) and the exit status. */
import { main } from './main';

export function runFromProcess(): void {
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130); // a second Ctrl-C: the user means it
    process.stderr.write(`crawlguard: ${signal}: stopping after the work in progress (again to force)\n`);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  main(process.argv.slice(2), undefined, controller.signal).then((status) => {
    process.exitCode = status;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  });
}
