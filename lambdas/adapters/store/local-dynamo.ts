/**
 * The embedded store: dynalite (the DynamoDB API over HTTP, on LevelDB) on 127.0.0.1, persisted under the
 * data directory, so history and state survive restarts. The process that holds the directory's lock
 * (./data-dir) runs it and records its port; any other command on the same directory uses that store.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from './dynamo-client';
import dynalite from 'dynalite';
import {
  checkStoreFiles,
  DATA_SUBDIR,
  ensureDataDir,
  newToken,
  OWNER_PATH,
  ownerAnswers,
  readOwnerRecord,
  removeOwnerRecord,
  tryLock,
  writeOwnerRecord,
  type OwnerRecord,
} from './data-dir';
import { DynamoStore } from './dynamo-store';
import { StoreError } from './errors';
import { TABLE_KEYS } from './keys';

export const LOCAL_TABLE = 'crawlguard';
export const DEFAULT_RETENTION_MS = 30 * 86_400_000;

export interface LocalStore {
  store: DynamoStore;
  client: DynamoDBClient;
  endpoint: string;
  /** The process whose store this is, when another one holds the directory; null when this one does. */
  sharedWith: OwnerRecord | null;
  close(): Promise<void>;
}

export interface LocalStoreOptions {
  /** What this process is, for the record other commands read ("run", "check --once"). */
  command?: string;
  /** Hold the directory or fail: `run` must not lean on a store that ends with another command. */
  exclusive?: boolean;
  /** How long to wait for an owner that is starting or stopping before giving up. */
  settleMs?: number;
}

const localClient = (endpoint: string) =>
  createDynamoClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

async function tableStatus(client: DynamoDBClient): Promise<string | null> {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: LOCAL_TABLE }));
    return out.Table?.TableStatus ?? null;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return null;
    throw error;
  }
}

async function ensureTable(client: DynamoDBClient): Promise<void> {
  if ((await tableStatus(client)) === null)
    await client.send(
      new CreateTableCommand({
        TableName: LOCAL_TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: TABLE_KEYS.partitionKey, AttributeType: 'S' },
          { AttributeName: TABLE_KEYS.sortKey, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
      }),
    );
  // dynalite answers "not found" while a new table is CREATING, even with createTableMs 0.
  for (let waitedMs = 0; (await tableStatus(client)) !== 'ACTIVE'; waitedMs += 10) {
    if (waitedMs > 5_000) throw new StoreError(`the local table ${LOCAL_TABLE} did not become active`);
    await sleep(10);
  }
}

/** dynalite's own handler, with one more path: the owner's token, for clients to check whom they reached. */
function answerOwnerToken(server: Server, token: string): void {
  const [dynaliteHandler] = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && req.url === OWNER_PATH)
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
    else dynaliteHandler!(req, res);
  });
}

/** This process holds the lock: check the files, start dynalite, record where it listens. */
async function ownStore(
  dir: string,
  retentionMs: number,
  command: string,
  release: () => Promise<void>,
): Promise<LocalStore> {
  let server: Server | undefined;
  let recorded = false;
  const stop = async () => {
    if (recorded) removeOwnerRecord(dir); // before the lock goes: a record is only ever the holder's
    if (server) await new Promise<void>((done) => server!.close(() => done()));
    await release();
  };
  try {
    await checkStoreFiles(dir);
    server = dynalite({ path: join(dir, DATA_SUBDIR), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    const token = newToken();
    answerOwnerToken(server, token);
    await new Promise<void>((done, fail) => server!.once('error', fail).listen(0, '127.0.0.1', () => done()));
    const { port } = server.address() as { port: number };
    const endpoint = `http://127.0.0.1:${port}`;
    const client = localClient(endpoint);
    await ensureTable(client);
    writeOwnerRecord(dir, { pid: process.pid, command, endpoint, token, startedAt: new Date().toISOString() });
    recorded = true;
    return {
      store: new DynamoStore({ client, tableName: LOCAL_TABLE, retentionMs }),
      client,
      endpoint,
      sharedWith: null,
      async close() {
        client.destroy();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const describeOwner = (owner: OwnerRecord | null) =>
  owner ? `crawlguard ${owner.command} (pid ${owner.pid})` : 'another crawlguard process';

/**
 * Opens the embedded store under `dataDir` (created if missing). The first process holds the directory;
 * a later one uses the holder's store, unless `exclusive`. Close it to release the directory.
 */
export async function startLocalStore(
  dataDir: string,
  retentionMs = DEFAULT_RETENTION_MS,
  options: LocalStoreOptions = {},
): Promise<LocalStore> {
  const dir = resolve(dataDir);
  ensureDataDir(dir);
  const command = options.command ?? 'store';
  const settleBy = Date.now() + (options.settleMs ?? 3_000);
  for (;;) {
    const lock = await tryLock(dir);
    if (lock) return ownStore(dir, retentionMs, command, lock.release);
    const owner = readOwnerRecord(dir);
    if (options.exclusive) {
      throw new StoreError(
        `the data directory ${dataDir} is in use by ${describeOwner(owner)}; stop it or pass --data-dir DIR`,
      );
    }
    if (owner && (await ownerAnswers(owner))) {
      const client = localClient(owner.endpoint);
      return {
        store: new DynamoStore({ client, tableName: LOCAL_TABLE, retentionMs }),
        client,
        endpoint: owner.endpoint,
        sharedWith: owner,
        async close() {
          client.destroy();
        },
      };
    }
    // The holder is starting (no record yet) or stopping (its store gone): the lock settles soon.
    if (Date.now() > settleBy) {
      throw new StoreError(
        `the data directory ${dataDir} is held by ${describeOwner(owner)}, whose store does not answer; try again, or stop it`,
      );
    }
    await sleep(100);
  }
}
