/** The crawlguard stack. No business rules here: the config arrives validated from bin/app.ts. */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { MonitorsConfig } from '../lambdas/core/config/types';
import { CrawlguardTable } from './table';

export interface CrawlguardStackProps extends StackProps {
  config: MonitorsConfig;
}

export class CrawlguardStack extends Stack {
  constructor(scope: Construct, id: string, props: CrawlguardStackProps) {
    super(scope, id, props);
    const { table } = new CrawlguardTable(this, 'Store');
    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'the DynamoDB table holding state and history' });
  }
}
