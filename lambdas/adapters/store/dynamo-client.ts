import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/**
 * The DynamoDB client of every host. Its sockets are capped: the store's calls are few and per origin,
 * and each socket is a file descriptor counted against the prober's (Lambda allows 1,024 in all).
 */
export const STORE_MAX_SOCKETS = 8;

/**
 * Attempts per call. The SDK's standard mode makes 3; DynamoDB throttles in bursts (an on-demand table
 * doubling its traffic, a hot partition), and a pass whose write gives up is a pass applied again later,
 * so a few more attempts with the SDK's backoff are cheaper than a failed write.
 */
export const STORE_MAX_ATTEMPTS = 8;

export function createDynamoClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({
    maxAttempts: STORE_MAX_ATTEMPTS,
    ...config,
    requestHandler: { httpAgent: { maxSockets: STORE_MAX_SOCKETS }, httpsAgent: { maxSockets: STORE_MAX_SOCKETS } },
  });
}
