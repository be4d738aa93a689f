/** Reads monitors.yaml (and the files it names) from disk and hands the text to the pure parser. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../core/config/errors';
import { parseMonitorsConfig } from '../core/config/parse';
import type { ReadRelative, ResolveOptions } from '../core/config/resolve';
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

export interface ConfigSource {
  /** As the user typed it: the name messages use (the one they will look for). */
  path: string;
  text: string;
  /** Reads a file the config names, relative to the config. */
  readRelative: ReadRelative;
}

/** The config's text and a reader for the files it names; ConfigError (a user error) when it cannot be read. */
export function readConfigSource(configPath: string): ConfigSource {
  let text: string;
  try {
    text = readText(configPath, configPath);
  } catch (error) {
    throw new ConfigError([{ file: configPath, line: 0, column: 0, path: '', message: `${(error as Error).message}; create it or pass --config FILE` }]);
  }
  const base = dirname(configPath);
  return { path: configPath, text, readRelative: (name) => readText(resolve(base, name), name) };
}

/** Loads and validates a monitors file; throws ConfigError (a user error) for anything wrong with it. */
export function loadMonitorsConfig(configPath: string, options: ResolveOptions = {}): MonitorsConfig {
  const source = readConfigSource(configPath);
  return parseMonitorsConfig(source.path, source.text, source.readRelative, options);
}
