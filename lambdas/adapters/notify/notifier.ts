import type { Notification } from '../../core/messages/notification';

export interface Receipt {
  /** Where it went, for people: `sns arn:aws:sns:…:crawlguard-critical (message 1234)`. */
  where: string;
  messageId: string;
}

/** Delivers notifications; throws DeliveryError when it could not. */
export interface Notifier {
  publish(notification: Notification): Promise<Receipt>;
}

/** A notification that did not go out. `permanent`: retrying will not help until someone fixes something. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
