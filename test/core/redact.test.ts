import { redactCredentials } from '../../lambdas/core/redact';

describe('redactCredentials: the userinfo of every URL in a text, and nothing else', () => {
  test.each<[string, string]>([
    ['http://user:pass@host/', 'http://***@host/'],
    ['https://user@host:8443/x?y=1', 'https://***@host:8443/x?y=1'],
    ['https://u:p%40ss@host/', 'https://***@host/'],
    ['http://u:p@ss@host/a', 'http://***@host/a'], // WHATWG: the last @ before the host ends the userinfo
    [
      'connect failed: http://admin:hunter2@10.0.0.1:8080/admin → reset',
      'connect failed: http://***@10.0.0.1:8080/admin → reset',
    ],
    ['{"url":"http://a:b@h/","next":"http://c:d@i/"}', '{"url":"http://***@h/","next":"http://***@i/"}'],
    ['<a href="http://a:b@h/">x</a>', '<a href="http://***@h/">x</a>'],
    // Left alone: an @ in a path or query, e-mail addresses, text between two URLs.
    ['https://h/@user/profile', 'https://h/@user/profile'],
    ['https://h/?mail=a@b.example', 'https://h/?mail=a@b.example'],
    ['ops@example.com', 'ops@example.com'],
    ['{"origin":"https://h","email":"ops@example.com"}', '{"origin":"https://h","email":"ops@example.com"}'],
    ['see https://h and ops@example.com', 'see https://h and ops@example.com'],
  ])('%s → %s', (text, expected) => expect(redactCredentials(text)).toBe(expected));
});
