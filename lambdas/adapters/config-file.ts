/** Reads monitors.yaml (and the files it names) from disk and hands the text to the pure parser. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../core/config/errors';
import { parseMonitorsConfig } from '../core/config/parse';
import type { ResolveOptions } from '../core/config/resolve';
import type { MonitorsConfig } from '../core/config/types';

function readText(path: string, shownAs: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new Error(`cannot read ${shownAs}: ${reason}`);
  }
}

/** Loads and validates a monitors file; throws ConfigError (a user error) for anything wrong with it. */
export function loadMonitorsConfig(configPath: string, options: ResolveOptions = {}): MonitorsConfig {
  const shown = configPath; // as the user typed it: that is the name they will look for
  let text: string;
  try {
    text = readText(configPath, shown);
  } catch (error) {
    throw new ConfigError([{ file: shown, line: 0, column: 0, path: '', message: `${(error as Error).message}; create it or pass --config FILE` }]);
  }
  const base = dirname(configPath);
  return parseMonitorsConfig(shown, text, (name) => readText(resolve(base, name), name), options);
}
