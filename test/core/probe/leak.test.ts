import { detectLeaks, type LeakKind } from '../../../lambdas/core/probe/leak';
import { findRequestId } from '../../../lambdas/core/probe/request-id';

describe('detectLeaks', () => {
  test.each<[string, string, LeakKind[]]>([
    [
      'Node.js stack',
      'Error: boom\n    at handler (/srv/app/server.js:12:5)\n    at process',
      ['stack-trace', 'file-path'],
    ],
    ['Python traceback', 'Traceback (most recent call last):\n  File "x.py"', ['stack-trace']],
    ['Java stack', 'java.lang.NullPointerException\n\tat com.shop.Cart.total(Cart.java:42)', ['stack-trace']],
    ['PHP fatal error', 'Fatal error: Uncaught Error in /var/www/html/index.php on line 7', ['file-path']],
    ['PHP stack trace', 'Stack trace:\n#0 /var/www/html/a.php(3): f()', ['stack-trace', 'file-path']],
    ['Windows path', 'Could not find file C:\\inetpub\\wwwroot\\web.config', ['file-path']],
    ['MySQL error', 'You have an error in your SQL syntax; check the manual', ['sql']],
    ['PostgreSQL error', 'ERROR: syntax error at or near "FROM"', ['sql']],
    ['SQL statement', "SELECT id, email FROM users WHERE id = '1'", ['sql']],
    ['Apache banner', '<address>Apache/2.4.41 (Ubuntu) Server at example.com Port 80</address>', ['version-banner']],
    ['nginx banner', '<hr><center>nginx/1.18.0</center>', ['version-banner']],
    ['Django debug page', 'Django Version: 4.2', ['version-banner']],
    ['a plain error page', '<h1>Something went wrong</h1><p>Please try again.</p>', []],
    ['nginx without version', '<hr><center>nginx</center>', []],
    ['navigation links are not server paths', '<a href="/app/login">Log in</a> <a href="/www/help">Help</a>', []],
    ['prose about selecting', 'Select a plan from the list below', []],
  ])('%s', (_name, body, kinds) => expect(detectLeaks(body)).toEqual(kinds));
});

describe('findRequestId', () => {
  test.each<[Record<string, string>, string | null]>([
    [{ 'x-request-id': 'abc' }, 'abc'],
    [{ 'cf-ray': '8d2f-AMS' }, '8d2f-AMS'],
    [{ 'x-amzn-requestid': 'lambda-1', traceparent: '00-trace' }, 'lambda-1'], // the more specific wins
    [
      { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    ],
    [{ 'x-request-id': '   ' }, null],
    [{ server: 'nginx' }, null],
  ])('%j → %s', (headers, id) => expect(findRequestId(headers)).toBe(id));
});
