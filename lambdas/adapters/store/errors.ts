/** Our own faults with the store, named so entry points can say what to do. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/** Another pass changed the same origin's state first; reload and apply again. */
export class StateConflictError extends StoreError {
  constructor(
    readonly origin: string,
    options?: ErrorOptions,
  ) {
    super(`the state of ${origin} was changed by another pass`, options);
  }
}

/** Wraps an SDK error at the adapter boundary: the operation, the table and what to check. */
export function storeFailure(operation: string, table: string, error: unknown): StoreError {
  const e = error as { name?: string; message?: string };
  return new StoreError(
    `store unavailable: DynamoDB ${operation} on table "${table}" failed (${e.name ?? 'Error'}: ${e.message ?? String(error)}); ` +
      'check that the table exists and that this process may use it',
    { cause: error },
  );
}

/** The data directory was named wrongly (`--data-dir` is a file): a usage error, exit 2. */
export class DataDirUsageError extends Error {
  override readonly name = 'DataDirUsageError';
}

/** The embedded store on disk is damaged: what LevelDB said, and what to do. */
export class DamagedStoreError extends StoreError {
  constructor(
    readonly dataDir: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(
      `the store in ${dataDir} is damaged (${detail}); move the folder aside to start afresh (mv ${dataDir} ${dataDir}.damaged: history and open incidents stay in the old one), or restore it from a backup`,
      options,
    );
  }
}
