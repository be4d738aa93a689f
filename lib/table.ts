/** The crawlguard table: the single-table layout of lambdas/adapters/store/keys.ts (README, "Storage layout"). */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_KEYS } from '../lambdas/adapters/store/keys';

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
}
