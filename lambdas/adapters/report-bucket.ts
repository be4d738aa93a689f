/** Publishes the status page to the stack's private S3 bucket (CloudFront serves it). */
import type { S3Client } from '@aws-sdk/client-s3';

export const REPORT_KEY = 'index.html';

export class ReportBucket {
  private client: S3Client | undefined;
  constructor(
    private readonly bucket: string,
    private readonly makeClient: (sdk: typeof import('@aws-sdk/client-s3')) => S3Client,
  ) {}

  /** The S3 SDK loads on the first publication, not at every cold start. */
  async publish(html: string): Promise<void> {
    const sdk = await import('@aws-sdk/client-s3');
    this.client ??= this.makeClient(sdk);
    await this.client.send(
      new sdk.PutObjectCommand({
        Bucket: this.bucket,
        Key: REPORT_KEY,
        Body: html,
        ContentType: 'text/html; charset=utf-8',
        // CloudFront and browsers may keep it a minute: it is republished no more often than that.
        CacheControl: 'max-age=60',
      }),
    );
  }
}
