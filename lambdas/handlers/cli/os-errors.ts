/**
 * Operating-system errors at the CLI boundary: one line that names the file and says what to do, never
 * "internal error" with a stack. What crawlguard was doing comes from the error itself (syscall, path).
 */

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full; free some space',
  EDQUOT: 'the disk quota is used up; free some space',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOENT: 'no such file or directory',
  EEXIST: 'already exists',
  EMFILE: 'too many open files; raise the limit (ulimit -n)',
  ENFILE: 'too many open files on the system',
  EIO: 'an input/output error from the disk',
  EBUSY: 'busy',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
};

const VERBS: Record<string, string> = {
  open: 'open',
  write: 'write',
  read: 'read',
  mkdir: 'create',
  rename: 'replace',
  unlink: 'remove',
  rmdir: 'remove',
  scandir: 'list',
  stat: 'find',
  lstat: 'find',
  copyfile: 'copy',
  symlink: 'link',
  fsync: 'write',
  close: 'write',
};

interface ErrnoLike {
  code?: unknown;
  syscall?: unknown;
  path?: unknown;
}

/** The one-line message for an operating-system error, or null when `error` is not one. */
export function osErrorMessage(error: unknown): string | null {
  if (!error || typeof error !== 'object') return null;
  const { code, syscall, path } = error as ErrnoLike;
  if (typeof code !== 'string' || !(code in REASONS)) return null;
  const verb = typeof syscall === 'string' ? (VERBS[syscall] ?? syscall) : 'use';
  const what = typeof path === 'string' ? ` ${path}` : '';
  return `crawlguard: cannot ${verb}${what}: ${REASONS[code]}`;
}

/** A write error names no file (Node sets `path` on open, not on write): give it the one being written. */
export function withPath(error: unknown, path: string): unknown {
  if (error && typeof error === 'object' && !('path' in error)) Object.assign(error, { path });
  return error;
}
