/** The crawlguard table: the single-table layout of lambdas/adapters/store/keys.ts (README, "Storage layout"). */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { TABLE_KEYS } from '../lambdas/adapters/store/keys';

/**
 * Exactly the calls lambdas/adapters/store/ makes: no scans, no table admin. BatchWriteItem writes the
 * parts of large values and deletes the parts a newer version replaced (parts.ts).
 */
const STORE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:Query',
];

export class CrawlguardTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      // History items carry expiresAt; DynamoDB deletes them after the retention, at no write cost.
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Monitoring history outlives the stack: `cdk destroy` leaves the table (README, teardown).
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Both halves of the binding: the function learns the table name and may use the table, nothing more. */
  bindTo(fn: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    fn.addEnvironment('CRAWLGUARD_TABLE', this.table.tableName);
    this.table.grant(fn, ...STORE_ACTIONS);
  }
}
