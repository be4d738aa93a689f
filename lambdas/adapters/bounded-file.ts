/**
 * Every file crawlguard reads on a user's say-so (monitors.yaml, a urlsFile, a robots.txt or sitemap
 * file) is read through here: only a regular file, and never more than a cap, counted in bytes actually
 * read (a device such as /dev/zero or a FIFO reports size 0 and never ends).
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** A file that cannot be read as asked; `reason` is a few words for "cannot read FILE: …". */
export class FileReadError extends Error {
  override readonly name = 'FileReadError';
  constructor(
    readonly shownAs: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot read ${shownAs}: ${reason}`, options);
  }
}

export interface BoundedRead {
  bytes: Buffer;
  /** The file is longer than the cap and `bytes` holds its start (only with `truncate`). */
  truncated: boolean;
}

export interface BoundedReadOptions {
  maxBytes: number;
  /** How the file is named in messages: as the user wrote it. */
  shownAs?: string;
  /** Past the cap, keep the start instead of refusing the file (robots.txt: Google reads the first 500 KiB). */
  truncate?: boolean;
  /** What to do about a file over the cap, after "is larger than N". */
  tooLargeAdvice?: string;
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
};

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'is a directory';
  if (stats.isFIFO()) return 'is a pipe (FIFO), not a regular file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'is a device, not a regular file';
  if (stats.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

const CHUNK_BYTES = 64 * 1024;

export const formatBytes = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`;

/** The file's bytes, or FileReadError saying why not. */
export function readBoundedFile(path: string, options: BoundedReadOptions): BoundedRead {
  const shownAs = options.shownAs ?? path;
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting forever.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new FileReadError(shownAs, REASONS[code] ?? (error as Error).message, { cause: error });
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new FileReadError(shownAs, kindOf(stats));
    // Read one byte past the cap to tell "exactly the cap" from "more"; stat's size is not trusted.
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= options.maxBytes) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, options.maxBytes + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
    }
    const bytes = Buffer.concat(chunks, total);
    if (total <= options.maxBytes) return { bytes, truncated: false };
    if (options.truncate) return { bytes: bytes.subarray(0, options.maxBytes), truncated: true };
    const advice = options.tooLargeAdvice ? `; ${options.tooLargeAdvice}` : '';
    throw new FileReadError(shownAs, `is larger than ${formatBytes(options.maxBytes)}${advice}`);
  } catch (error) {
    if (error instanceof FileReadError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new FileReadError(shownAs, REASONS[code] ?? (error as Error).message, { cause: error });
  } finally {
    closeSync(fd);
  }
}
