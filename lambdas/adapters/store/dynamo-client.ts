import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/**
 * The DynamoDB client of every host. Its sockets are capped: the store's calls are few and per origin,
 * and each socket is a file descriptor counted against the prober's (Lambda allows 1,024 in all).
 */
export const STORE_MAX_SOCKETS = 8;

export function createDynamoClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({
    ...config,
    requestHandler: { httpAgent: { maxSockets: STORE_MAX_SOCKETS }, httpsAgent: { maxSockets: STORE_MAX_SOCKETS } },
  });
}
