import { publishInput } from '../../../lambdas/adapters/notify/publish-input';
import type { Notification } from '../../../lambdas/core/messages/notification';

test('the Publish request (SNS and notifications.jsonl alike) carries no URL credential in any body', () => {
  const leak = 'http://admin:hunter2@10.0.0.1/admin';
  const notification: Notification = {
    origin: 'https://www.example.com',
    severity: 'critical',
    channels: ['sms', 'email'],
    subject: `[CRIT] redirected to ${leak}`,
    sms: `CRIT ${leak}`,
    email: `Final URL: ${leak}`,
    default: `Final URL: ${leak}`,
    eventIds: ['e1'],
  };
  const request = publishInput(notification, 'arn:aws:sns:us-east-1:123456789012:crit');
  expect(JSON.stringify(request)).not.toContain('hunter2');
  expect(request.Subject).toBe('[CRIT] redirected to http://***@10.0.0.1/admin');
  expect(JSON.parse(request.Message!)).toEqual({
    default: 'Final URL: http://***@10.0.0.1/admin',
    email: 'Final URL: http://***@10.0.0.1/admin',
    sms: 'CRIT http://***@10.0.0.1/admin',
  });
});
