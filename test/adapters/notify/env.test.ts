import { EnvError, requireEnv, topicsFromEnv } from '../../../lambdas/adapters/env';

const ARN = (name: string) => `arn:aws:sns:eu-west-1:123456789012:${name}`;

describe('topicsFromEnv', () => {
  test('nothing set: the local channel', () => expect(topicsFromEnv({})).toBeNull());
  test('one topic for every severity', () => {
    expect(topicsFromEnv({ CRAWLGUARD_TOPIC_ARN: ARN('all') })).toEqual({
      critical: ARN('all'),
      warning: ARN('all'),
      info: ARN('all'),
    });
  });
  test('per-severity topics win', () => {
    expect(topicsFromEnv({ CRAWLGUARD_TOPIC_ARN: ARN('all'), CRAWLGUARD_TOPIC_ARN_CRITICAL: ARN('pager') })).toEqual({
      critical: ARN('pager'),
      warning: ARN('all'),
      info: ARN('all'),
    });
    expect(topicsFromEnv({ CRAWLGUARD_TOPIC_ARN_WARNING: ARN('mail') })).toEqual({ warning: ARN('mail') });
  });
  test('a value that is no topic ARN is an error naming the variable', () => {
    expect(() => topicsFromEnv({ CRAWLGUARD_TOPIC_ARN_INFO: 'crawlguard-info' })).toThrow(
      new EnvError('CRAWLGUARD_TOPIC_ARN_INFO is not an SNS topic ARN: "crawlguard-info"'),
    );
  });
});

test('requireEnv names the missing variable', () => {
  expect(() => requireEnv('CRAWLGUARD_TABLE', {})).toThrow(/^CRAWLGUARD_TABLE is not set/);
  expect(requireEnv('CRAWLGUARD_TABLE', { CRAWLGUARD_TABLE: 't' })).toBe('t');
});
