/**
 * The direction of imports (../shared/design/ARCHITECTURE.md): core ← adapters ← handlers ← bin;
 * lib reaches handlers only through entry paths and may use core/config. The core is pure:
 * no AWS SDK, no network, no file system, no process.env, no clock reads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..');

function sources(dir: string): string[] {
  const full = join(ROOT, dir);
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(full, file));
}

function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}

/** For a relative import, the project folder it lands in (e.g. `lambdas/core`); for a package, its name. */
function target(file: string, spec: string): string {
  if (!spec.startsWith('.'))
    return spec.startsWith('node:')
      ? spec
      : spec
          .split('/')
          .slice(0, spec.startsWith('@') ? 2 : 1)
          .join('/');
  return relative(ROOT, resolve(dirname(file), spec));
}

const CORE_PACKAGES = ['zod', 'yaml', 'fastest-levenshtein', 'robots-parser', 'node:crypto'];

/**
 * The other half of each binding lib makes: the table's key names, the metric namespace, the report key,
 * and the severities and channel filter the topics' subscriptions follow from.
 */
const LIB_BINDINGS = [
  'lambdas/adapters/store/keys',
  'lambdas/adapters/telemetry',
  'lambdas/adapters/report-bucket',
  'lambdas/core/alerts/channels',
  'lambdas/core/tiers/severity',
];

const rules: { layer: string; allowed: (target: string) => boolean; why: string }[] = [
  {
    layer: 'lambdas/core',
    allowed: (t) => t.startsWith('lambdas/core/') || CORE_PACKAGES.includes(t),
    why: `core imports only core and ${CORE_PACKAGES.join(', ')}`,
  },
  {
    layer: 'lambdas/adapters',
    allowed: (t) =>
      !t.startsWith('lambdas/handlers') && !t.startsWith('bin') && !t.startsWith('lib') && !t.startsWith('demo'),
    why: 'adapters import core and libraries, never handlers',
  },
  {
    layer: 'lib',
    allowed: (t) => !t.startsWith('lambdas/') || t.startsWith('lambdas/core/config/') || LIB_BINDINGS.includes(t),
    why: `lib reaches the Lambda code only through entry paths, and imports core/config and ${LIB_BINDINGS.join(', ')}`,
  },
  {
    layer: 'lambdas/handlers',
    allowed: (t) => !t.startsWith('bin') && !t.startsWith('lib') && !t.startsWith('demo'),
    why: 'handlers never import bin/, lib/ or the demo',
  },
];

describe.each(rules)('$layer', ({ layer, allowed, why }) => {
  const files = sources(layer);
  test('has files to check', () => expect(files.length).toBeGreaterThan(0));
  test.each(files.map((f) => [relative(ROOT, f), f]))(`${why}: %s`, (_name, file) => {
    const offending = importsOf(file)
      .map((spec) => target(file, spec))
      .filter((t) => !allowed(t));
    expect(offending).toEqual([]);
  });
});

describe('the core is pure', () => {
  const IMPURE = [
    /process\.env/,
    /Date\.now\(/,
    /new Date\(\)/,
    /performance\.now\(/,
    /Math\.random\(/,
    /setTimeout\(/,
  ];
  test.each(sources('lambdas/core').map((f) => [relative(ROOT, f), f]))(
    '%s reads no clock, environment or randomness',
    (_name, file) => {
      const text = readFileSync(file, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      expect(IMPURE.filter((pattern) => pattern.test(text)).map(String)).toEqual([]);
    },
  );
});
