import { redactCredentials } from '../../core/redact';
import { colorsFor, type Colors } from './render';

/** Where a command writes: the terminal in the CLI, a buffer in tests and the demo. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  colors: Colors;
}

/** The terminal: every line passes the one redaction every output uses (core/redact). */
export const processIo: Io = {
  out: (line) => void process.stdout.write(`${redactCredentials(line)}\n`),
  err: (line) => void process.stderr.write(`${redactCredentials(line)}\n`),
  colors: colorsFor(process.stdout),
};
