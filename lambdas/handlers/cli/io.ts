import { redactCredentials } from '../../core/redact';
import { colorsFor, type Colors } from './render';

/** Where a command writes: the terminal in the CLI, a buffer in tests and the demo. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  colors: Colors;
}

/** Set when the reader of a stream went away (`crawlguard status --json | head -1`): nothing more is written there. */
const closed = { stdout: false, stderr: false };

/**
 * A reader that stops early closes the pipe, and the next write fails with EPIPE. That is the reader's
 * choice, not a fault: like other command-line tools, crawlguard then stops writing to that stream,
 * silently, and the command still finishes its work and exits with its own status. Called once by the
 * process entry point (tests write through buffers).
 */
export function stopWritingWhenPipesClose(): void {
  for (const name of ['stdout', 'stderr'] as const) {
    process[name].on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      closed[name] = true;
    });
  }
}

const write = (name: 'stdout' | 'stderr', line: string) => {
  if (!closed[name]) process[name].write(`${redactCredentials(line)}\n`);
};

/** The terminal: every line passes the one redaction every output uses (core/redact). */
export const processIo: Io = {
  out: (line) => write('stdout', line),
  err: (line) => write('stderr', line),
  colors: colorsFor(process.stdout),
};
