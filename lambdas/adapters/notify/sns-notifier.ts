/**
 * The SNS channel: one Publish per notification to the topic of its severity. Throttling and transient
 * errors are retried with backoff inside the pass; permanent ones (no such topic, not allowed, bad KMS
 * key) come back as DeliveryError with permanent: true, to be reported loudly.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Notification } from '../../core/messages/notification';
import type { Severity } from '../../core/tiers/severity';
import { DeliveryError, type Notifier, type Receipt } from './notifier';
import { publishInput } from './publish-input';

export type Topics = Partial<Record<Severity, string>>;

/** Errors no retry can fix: SNS names them so (API reference, Publish, Errors). */
const PERMANENT = new Set([
  'NotFoundException',
  'NotFound',
  'AuthorizationErrorException',
  'AuthorizationError',
  'AccessDeniedException',
  'InvalidParameterException',
  'InvalidParameter',
  'InvalidParameterValueException',
  'ParameterValueInvalid',
  'KMSAccessDeniedException',
  'KMSDisabledException',
  'KMSNotFoundException',
  'KMSInvalidStateException',
  'KMSOptInRequired',
  'InvalidSecurityException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'CredentialsProviderError',
  'ValidationException',
]);

export interface SnsNotifierOptions {
  /** A client, or a function that makes one on the first publish (most passes publish nothing: no load). */
  client: SNSClient | ((sdk: typeof import('@aws-sdk/client-sns')) => SNSClient);
  topics: Topics;
  /** Attempts per notification (default 4): waits of 200 ms, 600 ms, 1.8 s between them. */
  attempts?: number;
  backoffMs?: number;
  sleep?: (ms: number) => Promise<unknown>;
}

export class SnsNotifier implements Notifier {
  private client: SNSClient | undefined;
  constructor(private readonly options: SnsNotifierOptions) {}

  /** Closes the client's sockets, if one was made. */
  destroy(): void {
    this.client?.destroy();
  }

  /** The SNS SDK module loads on the first publish: it is 85 ms of a cold start that usually sends nothing. */
  private async send(input: ReturnType<typeof publishInput>) {
    const sdk = await import('@aws-sdk/client-sns');
    this.client ??= typeof this.options.client === 'function' ? this.options.client(sdk) : this.options.client;
    return this.client.send(new sdk.PublishCommand(input));
  }

  async publish(notification: Notification): Promise<Receipt> {
    const topic = this.options.topics[notification.severity];
    if (!topic)
      throw new DeliveryError(
        `no SNS topic for ${notification.severity} alerts: set CRAWLGUARD_TOPIC_ARN_${notification.severity.toUpperCase()} or CRAWLGUARD_TOPIC_ARN`,
        true,
      );
    const attempts = this.options.attempts ?? 4;
    const backoffMs = this.options.backoffMs ?? 200;
    const wait = this.options.sleep ?? sleep;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const out = await this.send(publishInput(notification, topic));
        return { where: `sns ${topic} (message ${out.MessageId ?? '?'})`, messageId: out.MessageId ?? '' };
      } catch (error) {
        const name = (error as Error).name;
        const permanent = PERMANENT.has(name);
        if (permanent || attempt >= attempts) {
          const why = `${name}: ${(error as Error).message}`;
          throw new DeliveryError(
            permanent
              ? `SNS refused the alert for ${notification.origin} on ${topic} (${why}); check the topic ARN and this role's sns:Publish permission`
              : `SNS did not take the alert for ${notification.origin} after ${attempt} attempts (${why}); it stays pending for the next pass`,
            permanent,
            { cause: error },
          );
        }
        await wait(backoffMs * 3 ** (attempt - 1));
      }
    }
  }
}
