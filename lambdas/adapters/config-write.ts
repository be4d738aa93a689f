/**
 * monitors.yaml for the commands that edit it: read as ./config-file reads it, then an atomic write
 * (a temporary file in the same directory renamed over the original), so a crash or a full disk never
 * leaves half a config behind.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../core/config/errors';
import { readConfigSource, readConfigText, type ConfigSource } from './config-file';

/** monitors.yaml as read for an edit (the same reading as every other command). */
export type EditableConfig = ConfigSource;
export const readConfigForEdit = readConfigSource;

/**
 * Replaces the file's text with `text`, unless it changed since `config` was read (someone saved it
 * meanwhile: their edit wins, and the command can be run again). Keeps the file's mode; writes through
 * a symbolic link to the file it points to.
 */
export function writeConfigAtomically(config: EditableConfig, text: string): void {
  const changed = () =>
    new ConfigError([
      {
        file: config.path,
        line: 0,
        column: 0,
        path: '',
        message: 'changed on disk while crawlguard was editing it, so nothing was written; run the command again',
      },
    ]);
  const target = realpathSync(config.path);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', statSync(target).mode & 0o7777);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!['EACCES', 'EPERM', 'EROFS'].includes(code)) throw error;
    // The edit is written beside the file, then renamed over it: the folder must be writable too.
    const reason =
      code === 'EROFS'
        ? 'the file system is read-only'
        : `the folder ${dirname(target)} is not writable (crawlguard writes the edit beside the file, then renames it over)`;
    throw new ConfigError([
      { file: config.path, line: 0, column: 0, path: '', message: `cannot write it: ${reason}; nothing was changed` },
    ]);
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  try {
    // The check and the rename are not one step; this narrows the window to microseconds, enough for people saving by hand.
    if (readConfigText(target) !== config.text) throw changed();
    renameSync(temp, target);
  } catch (error) {
    unlinkSync(temp);
    throw error;
  }
}
