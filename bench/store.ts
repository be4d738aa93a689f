/** The benchmark's DynamoDB: dynalite in a process of its own (in AWS the store is remote too). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStore } from '../lambdas/adapters/store/local-dynamo';

void startLocalStore(mkdtempSync(join(tmpdir(), 'crawlguard-bench-store-'))).then((local) => {
  process.stdout.write(`${JSON.stringify({ endpoint: local.endpoint })}\n`);
});
