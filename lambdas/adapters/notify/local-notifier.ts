/**
 * The local channel (no SNS topic configured): each notification is appended to
 * `<data-dir>/notifications.jsonl` as the exact Publish request it would have been; the CLI prints it.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Notification } from '../../core/messages/notification';
import { DeliveryError, type Notifier, type Receipt } from './notifier';
import { publishInput } from './publish-input';

export const NOTIFICATIONS_FILE = 'notifications.jsonl';

export class LocalNotifier implements Notifier {
  private count = 0;
  constructor(private readonly dataDir: string) {}

  async publish(notification: Notification): Promise<Receipt> {
    const file = join(this.dataDir, NOTIFICATIONS_FILE);
    const messageId = `local-${Date.now()}-${(this.count += 1)}`;
    const request = publishInput(notification, `local:${notification.severity}`);
    try {
      appendFileSync(
        file,
        `${JSON.stringify({ messageId, sentAt: new Date().toISOString(), channels: notification.channels, request })}\n`,
      );
    } catch (error) {
      throw new DeliveryError(`cannot append to ${file}: ${(error as Error).message}`, true, { cause: error });
    }
    return { where: `local ${file}`, messageId };
  }
}
