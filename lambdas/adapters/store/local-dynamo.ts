/**
 * The embedded store: dynalite (the DynamoDB API over HTTP, on LevelDB) started in this process on
 * 127.0.0.1, persisted under the data directory, so history and state survive restarts.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from './dynamo-client';
import dynalite from 'dynalite';
import { DynamoStore } from './dynamo-store';
import { StoreError } from './errors';
import { TABLE_KEYS } from './keys';

export const LOCAL_TABLE = 'crawlguard';
export const DEFAULT_RETENTION_MS = 30 * 86_400_000;

export interface LocalStore {
  store: DynamoStore;
  client: DynamoDBClient;
  endpoint: string;
  close(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** LevelDB allows one process per directory; say which one holds it instead of failing deep inside. */
function lock(dataDir: string): () => void {
  const file = join(dataDir, 'lock');
  for (let tries = 0; tries < 2; tries += 1) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new StoreError(`the data directory ${dataDir} is in use by another crawlguard process (pid ${holder}); stop it or pass --data-dir DIR`);
      }
      rmSync(file, { force: true }); // left by a process that died
    }
  }
  throw new StoreError(`could not lock the data directory ${dataDir}`);
}

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
  if ((await tableStatus(client)) === null) await client.send(new CreateTableCommand({
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
  }));
  // dynalite answers "not found" while a new table is CREATING, even with createTableMs 0.
  for (let waitedMs = 0; (await tableStatus(client)) !== 'ACTIVE'; waitedMs += 10) {
    if (waitedMs > 5_000) throw new StoreError(`the local table ${LOCAL_TABLE} did not become active`);
    await sleep(10);
  }
}

/** Starts the embedded store under `dataDir` (created if missing). Close it to release the directory. */
export async function startLocalStore(dataDir: string, retentionMs = DEFAULT_RETENTION_MS): Promise<LocalStore> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const unlock = lock(dir);
  try {
    const server: Server = dynalite({ path: join(dir, 'dynamodb'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((done, fail) => server.once('error', fail).listen(0, '127.0.0.1', () => done()));
    const { port } = server.address() as { port: number };
    const endpoint = `http://127.0.0.1:${port}`;
    const client = createDynamoClient({
      endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await ensureTable(client);
    return {
      store: new DynamoStore({ client, tableName: LOCAL_TABLE, retentionMs }),
      client,
      endpoint,
      async close() {
        client.destroy();
        await new Promise<void>((done) => server.close(() => done()));
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}
