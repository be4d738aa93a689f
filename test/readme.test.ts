/** The README shows real output: its message example is the golden file the rendering tests check. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

test('the README alert example is the rendered golden file', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const golden = readFileSync(join(ROOT, 'test', 'fixtures', 'messages', 'robots-unreachable.txt'), 'utf8');
  const [subject, , sms] = golden.split('\n');
  const email = golden.split('\n\n').slice(1).join('\n\n').trimEnd();
  expect(readme).toContain(`${subject}\n${sms}`);
  expect(readme).toContain(email);
});

test('the Quick start is the two commands', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  expect(readme).toContain('npm install && npm run demo');
  expect(readme).toContain('npm install && npm test');
});
