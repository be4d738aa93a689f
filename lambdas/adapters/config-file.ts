/** Reads monitors.yaml (and the files it names) from disk and hands the text to the pure parser. */
import { dirname, resolve } from 'node:path';
import { FileReadError, readBoundedFile } from './bounded-file';
import { ConfigError } from '../core/config/errors';
import { parseMonitorsConfig } from '../core/config/parse';
import type { ReadRelative, ResolveOptions } from '../core/config/resolve';
import type { MonitorsConfig } from '../core/config/types';

/**
 * Caps, in bytes read. A monitors file of 4 MiB lists some 40,000 URLs and parses in about 2 s (50 MB
 * took 25 s and 1.1 GB); longer lists belong in a urlsFile, read line by line: 8 MiB is ~100,000 URLs.
 */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
export const MAX_URLS_FILE_BYTES = 8 * 1024 * 1024;

/** The file's text; FileReadError ("cannot read NAME: why") when it is missing, not a file or too large. */
export function readText(path: string, shownAs: string, maxBytes: number, tooLargeAdvice: string): string {
  return readBoundedFile(path, { maxBytes, shownAs, tooLargeAdvice }).bytes.toString('utf8');
}

export const readConfigText = (path: string) =>
  readText(path, path, MAX_CONFIG_BYTES, 'move long URL lists into a urlsFile');

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
    text = readConfigText(configPath);
  } catch (error) {
    if (!(error instanceof FileReadError)) throw error;
    const advice = error.reason === 'no such file' ? '; create it or pass --config FILE' : '';
    throw new ConfigError([{ file: configPath, line: 0, column: 0, path: '', message: `${error.message}${advice}` }]);
  }
  const base = dirname(configPath);
  return {
    path: configPath,
    text,
    readRelative: (name) => readText(resolve(base, name), name, MAX_URLS_FILE_BYTES, 'split the site or its list'),
  };
}

/** Loads and validates a monitors file; throws ConfigError (a user error) for anything wrong with it. */
export function loadMonitorsConfig(configPath: string, options: ResolveOptions = {}): MonitorsConfig {
  const source = readConfigSource(configPath);
  return parseMonitorsConfig(source.path, source.text, source.readRelative, options);
}
