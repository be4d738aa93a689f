/**
 * The status page in AWS: a private S3 bucket (no public access, TLS only) that the probe function
 * writes index.html into, served by CloudFront through origin access control.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { CachePolicy, Distribution, ViewerProtocolPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { REPORT_KEY } from '../lambdas/adapters/report-bucket';

export class ReportSite extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFormation cannot delete a bucket that holds objects, and emptying it on delete would need a
      // custom-resource function: it is kept, like the table (README, teardown).
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(1) }],
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'crawlguard status page',
      defaultRootObject: REPORT_KEY,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      },
    });
    const accepted: [Construct, string, string][] = [
      [
        this.bucket,
        'AwsSolutions::AwsSolutions-S1',
        'The bucket holds one generated page; access logs of it would cost more than they tell.',
      ],
      [
        this.distribution,
        'AwsSolutions::AwsSolutions-CFR1',
        'A status page for its owner: no geographic restriction is wanted.',
      ],
      [
        this.distribution,
        'AwsSolutions::AwsSolutions-CFR2',
        'A static page with no forms or API behind it: a WAF would protect nothing and cost monthly.',
      ],
      [
        this.distribution,
        'AwsSolutions::AwsSolutions-CFR3',
        'Access logs of a status page are not needed; CloudFront metrics remain.',
      ],
      [
        this.distribution,
        'AwsSolutions::AwsSolutions-CFR4',
        'The default *.cloudfront.net certificate cannot pin a minimum TLS version; a custom domain would.',
      ],
    ];
    for (const [construct, id_, reason] of accepted) Validations.of(construct).acknowledge({ id: id_, reason });
  }

  /** Both halves of the binding: the bucket name in the function's environment, and the right to write the page. */
  bindTo(fn: LambdaFunction): void {
    fn.addEnvironment('CRAWLGUARD_REPORT_BUCKET', this.bucket.bucketName);
    // Exactly one object, one action (grantPut would add Abort*, tagging and retention).
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects(REPORT_KEY)] }),
    );
  }
}
