/** `crawlguard alerts test`: one test notification through the configured channels, and where it went. */
import { loadMonitorsConfig } from '../../../adapters/config-file';
import { ensureDataDir } from '../../../adapters/store/data-dir';
import { DeliveryError } from '../../../adapters/notify/notifier';
import { testNotification } from '../../../core/messages/test-notification';
import { SEVERITIES, type Severity } from '../../../core/tiers/severity';
import { EXIT, UsageError } from '../errors';
import type { Io } from '../io';
import { notifierFor } from '../local-runtime';

export interface AlertsTestOptions {
  config: string;
  dataDir: string;
  severity: string;
}

export async function alertsTest(options: AlertsTestOptions, io: Io): Promise<number> {
  const severity = SEVERITIES.find((s): s is Severity => s === options.severity);
  if (!severity)
    throw new UsageError(
      `--severity expects ${SEVERITIES.slice(0, -1).join(', ')} or ${SEVERITIES.at(-1)}; got ${JSON.stringify(options.severity)}`,
    );
  const config = loadMonitorsConfig(options.config);
  const channels = config.alerts.routing[severity];
  if (channels.length === 0) {
    io.out(
      `${severity} alerts are routed to no channel (alerts.routing.${severity} in ${options.config}): nothing to send`,
    );
    return EXIT.ok;
  }
  ensureDataDir(options.dataDir);
  const channel = notifierFor(options.dataDir);
  try {
    const receipt = await channel.notifier.publish(
      testNotification(severity, channels, new Date().toISOString(), config.alerts),
    );
    io.out(`sent a ${severity} test alert (${channels.join('+')}) to ${receipt.where}`);
    if (receipt.where.startsWith('local'))
      io.out('no SNS topic is set (CRAWLGUARD_TOPIC_ARN): alerts are written to that file; see README, "Alerts"');
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof DeliveryError)) throw error;
    io.err(`the test alert was not delivered: ${error.message}`);
    return EXIT.internal;
  } finally {
    channel.close();
  }
}
