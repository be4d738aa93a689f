/** SDK clients of the test itself, pointed at the emulator (loopback, dummy credentials). */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { REGION } from './emulator';

export function awsClients(endpoint: string) {
  const config = { endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  return {
    cloudformation: new CloudFormationClient(config),
    cloudfront: new CloudFrontClient(config),
    cloudwatch: new CloudWatchClient(config),
    logs: new CloudWatchLogsClient(config),
    dynamodb: new DynamoDBClient(config),
    iam: new IAMClient(config),
    kms: new KMSClient(config),
    lambda: new LambdaClient(config),
    // Path style: the test resolves no bucket subdomains (the function, as in AWS, uses virtual-hosted style).
    s3: new S3Client({ ...config, forcePathStyle: true }),
    scheduler: new SchedulerClient(config),
    sns: new SNSClient(config),
    sqs: new SQSClient(config),
  };
}

export type AwsClients = ReturnType<typeof awsClients>;

export function destroyClients(clients: AwsClients): void {
  for (const client of Object.values(clients)) client.destroy();
}
