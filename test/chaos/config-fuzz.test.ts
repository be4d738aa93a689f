/**
 * Chaos: thousands of generated monitors.yaml documents through `crawlguard validate`: it always ends with
 * exit 0 or 2 and says something, and never throws.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { main } from '../../lambdas/handlers/cli/main';
import { captureIo } from '../support/io';
import { tempDir } from '../support/store';

let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.cleanup());

let n = 0;
async function validate(text: string): Promise<{ status: number; out: string[]; err: string[] }> {
  const file = join(dir.path, `fuzz-${(n += 1)}.yaml`);
  writeFileSync(file, text);
  const io = captureIo();
  const status = await main(['validate', '--config', file], io);
  return { status, out: io.lines, err: io.errors };
}

function wellBehaved(result: { status: number; out: string[]; err: string[] }): boolean {
  if (result.status === 0) return result.out.some((l) => l.includes(': valid ('));
  // A user error: every line names the file and a position (or the file itself), and none is a stack trace.
  return (
    result.status === 2 && result.err.length > 0 && result.err.every((l) => l.includes('fuzz-') && !/^\s+at /.test(l))
  );
}

const scalar = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    '5m',
    '10s',
    '1h',
    '30s',
    'off',
    '+15555550100',
    'ops@example.com',
    'https://www.example.com',
    '/',
    '/pricing',
    '[]',
    '{}',
  ),
);
const key = fc.constantFrom(
  'version',
  'defaults',
  'alerts',
  'sites',
  'limits',
  'history',
  'origin',
  'urls',
  'path',
  'expectStatus',
  'bodyContains',
  'interval',
  'timeout',
  'retries',
  'robots',
  'agents',
  'maintenance',
  'start',
  'end',
  'email',
  'sms',
  'routing',
  'critical',
  'urlsFile',
  'allowPrivateNetwork',
  'smsPerDay',
  'intervall',
  'robot',
  'x',
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
}));

/** Documents near a valid one: the right shape with random values in random places. */
const nearValid = fc.record(
  {
    version: fc.oneof(fc.constant(1), scalar),
    defaults: fc.option(fc.dictionary(key, scalar, { maxKeys: 4 }), { nil: undefined }),
    alerts: fc.option(
      fc.record({ email: fc.array(scalar, { maxLength: 2 }), sms: fc.array(scalar, { maxLength: 2 }) }),
      { nil: undefined },
    ),
    sites: fc.array(
      fc.record({
        origin: fc.oneof(fc.constant('https://www.example.com'), scalar),
        urls: fc.option(fc.array(fc.oneof(scalar, fc.dictionary(key, scalar, { maxKeys: 3 })), { maxLength: 3 }), {
          nil: undefined,
        }),
      }),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: ['version', 'sites'] },
);

test('arbitrary YAML values', async () => {
  await fc.assert(
    fc.asyncProperty(value, async (doc) => wellBehaved(await validate(stringify(doc)))),
    { numRuns: 800 },
  );
});

test('documents close to a valid one', async () => {
  await fc.assert(
    fc.asyncProperty(nearValid, async (doc) => wellBehaved(await validate(stringify(doc)))),
    { numRuns: 1_200 },
  );
});

test('raw text: broken YAML, stray tabs, anchors, unicode', async () => {
  const text = fc.string({
    unit: fc.constantFrom(
      'version: 1\n',
      'sites:\n',
      '  - origin: ',
      'https://a.example',
      '\t',
      ':',
      '-',
      ' ',
      '\n',
      '[',
      ']',
      '{',
      '}',
      '&a ',
      '*a',
      '"',
      "'",
      '#',
      'ü',
      '\u0000',
      '!!binary ',
      '---\n',
      '...\n',
    ),
  });
  await fc.assert(
    fc.asyncProperty(text, async (t) => wellBehaved(await validate(t))),
    { numRuns: 1_000 },
  );
});
