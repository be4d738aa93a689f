/**
 * The data directory of the embedded store, and who holds it.
 *
 * One process at a time owns a directory: it holds an OS-level lock for its whole life, the fcntl lock
 * LevelDB takes on `.lock/LOCK` (classic-level, the LevelDB binding dynalite itself runs on). The kernel
 * drops it when the process ends, however it ends: no PID is ever trusted, a reused PID cannot keep a
 * directory locked, and nothing is deleted to unlock. The owner serves its store on a loopback port and
 * records it, with a random token, in `store.json` beside the lock; other commands use that store
 * (verifying the token) instead of opening the files a second time. Only the owner writes or removes
 * `store.json`, and only while it holds the lock.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { z } from 'zod';
import { FileReadError, readBoundedFile } from '../bounded-file';
import { DamagedStoreError, DataDirUsageError, StoreError } from './errors';

export const LOCK_DIR = '.lock';
export const OWNER_FILE = 'store.json';
export const DATA_SUBDIR = 'dynamodb';
/** The path the owner's store answers with its token, so a client knows it reached the owner. */
export const OWNER_PATH = '/crawlguard/owner';

const ownerSchema = z.object({
  pid: z.number().int(),
  command: z.string(),
  endpoint: z.string().regex(/^http:\/\/127\.0\.0\.1:\d+$/),
  token: z.string().min(16),
  startedAt: z.string(),
});
export type OwnerRecord = z.infer<typeof ownerSchema>;

const ACCESS_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);

/** A file-system error on the data directory, as one line that says what to do. */
function dataDirFailure(dataDir: string, doing: string, error: unknown): Error {
  const e = error as NodeJS.ErrnoException;
  const code = e.code ?? (e.cause as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (code === 'ENOTDIR' || code === 'EEXIST')
    return new DataDirUsageError(
      `--data-dir ${dataDir}: a part of that path is a file, not a directory; name a directory (it is created if missing)`,
    );
  if (ACCESS_CODES.has(code)) {
    return new StoreError(
      `cannot ${doing} the data directory ${dataDir}: ${code === 'EROFS' ? 'the file system is read-only' : 'permission denied'}; crawlguard keeps its store there: make it writable or pass --data-dir DIR`,
    );
  }
  if (code === 'ENOSPC')
    return new StoreError(`cannot ${doing} the data directory ${dataDir}: the disk is full; free some space`);
  return new StoreError(`cannot ${doing} the data directory ${dataDir}: ${e.message ?? String(error)}`);
}

/** The directory, created if missing; a usage error when the path names a file. */
export function ensureDataDir(dataDir: string): void {
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) {
    throw new DataDirUsageError(
      `--data-dir ${dataDir} is a file, not a directory; name a directory (it is created if missing)`,
    );
  }
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw dataDirFailure(dataDir, 'create', error);
  }
}

export interface HeldLock {
  release(): Promise<void>;
}

/** The directory's lock, or null when another process (or this one) holds it. */
export async function tryLock(dataDir: string): Promise<HeldLock | null> {
  const lock = new ClassicLevel(join(dataDir, LOCK_DIR));
  try {
    await lock.open();
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED') return null;
    throw dataDirFailure(dataDir, 'lock', (error as { cause?: unknown }).cause ?? error);
  }
  return { release: () => lock.close() };
}

/**
 * Opens the store's LevelDB and reads every key once (every block of every file), so a damaged file (a truncated table, a broken
 * MANIFEST) is found here, with a message, and not deep inside dynalite, which throws it from a callback.
 * Reading is fast next to the rest of a command (a month of local history is a few MB).
 */
export async function checkStoreFiles(dataDir: string): Promise<void> {
  const path = join(dataDir, DATA_SUBDIR);
  // LevelDB would silently start an empty store over files whose CURRENT pointer is gone.
  if (
    existsSync(path) &&
    !existsSync(join(path, 'CURRENT')) &&
    readdirSync(path).some((f) => /^(MANIFEST-|\d+\.(ldb|log|sst)$)/.test(f))
  ) {
    throw new DamagedStoreError(dataDir, `${DATA_SUBDIR}/CURRENT is missing`);
  }
  const db = new ClassicLevel(path);
  try {
    await db.open();
    for await (const key of db.keys()) void key; // keys only: every block is still read and checked
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const code = cause?.code ?? (error as { code?: string }).code ?? '';
    const detail = (cause?.message ?? (error as Error).message).split('\n')[0]!;
    // The second line of defence: LevelDB's own lock on the store files, held by dynalite in the owner.
    if (code === 'LEVEL_LOCKED') {
      throw new StoreError(
        `the store in ${dataDir} is open in another crawlguard process (its lock was removed by hand?); stop it, or pass --data-dir DIR`,
      );
    }
    if (code === 'LEVEL_CORRUPTION' || code === 'LEVEL_IO_ERROR' || /corruption|invalid argument/i.test(detail)) {
      throw new DamagedStoreError(dataDir, `LevelDB: ${detail}`, { cause: error });
    }
    throw dataDirFailure(dataDir, 'open the store in', cause ?? error);
  } finally {
    await db.close().catch(() => undefined);
  }
}

export const newToken = () => randomBytes(16).toString('hex');

/** Records the owner beside the lock (written whole, then renamed: a reader never sees half of it). */
export function writeOwnerRecord(dataDir: string, record: OwnerRecord): void {
  const file = join(dataDir, OWNER_FILE);
  const temp = `${file}.${record.token.slice(0, 8)}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw dataDirFailure(dataDir, 'write in', error);
  }
}

/** Called by the owner only, while it holds the lock. */
export function removeOwnerRecord(dataDir: string): void {
  rmSync(join(dataDir, OWNER_FILE), { force: true });
}

/** The recorded owner, or null when there is no readable record (the owner is starting, or died). */
export function readOwnerRecord(dataDir: string): OwnerRecord | null {
  try {
    const text = readBoundedFile(join(dataDir, OWNER_FILE), { maxBytes: 4096 }).bytes.toString('utf8');
    const parsed = ownerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch (error) {
    if (error instanceof FileReadError || error instanceof SyntaxError) return null;
    throw error;
  }
}

/** True when the recorded endpoint answers with the recorded token: it is the owner's store. */
export async function ownerAnswers(record: OwnerRecord): Promise<boolean> {
  try {
    const response = await fetch(`${record.endpoint}${OWNER_PATH}`, { signal: AbortSignal.timeout(2_000) });
    const body = z.object({ token: z.string() }).safeParse(await response.json());
    return body.success && body.data.token === record.token;
  } catch {
    return false;
  }
}
