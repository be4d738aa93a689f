import { colorsFor, type Colors } from './render';

/** Where a command writes: the terminal in the CLI, a buffer in tests and the demo. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  colors: Colors;
}

export const processIo: Io = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
  colors: colorsFor(process.stdout),
};
