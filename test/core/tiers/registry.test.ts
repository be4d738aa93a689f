/**
 * The registry of tiers: the ids (a contract), and every tier documented where a reader looks: the README's
 * tier tables and docs/search-engine-rules.md, with each of its sources' addresses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TIER_SPECS, TIERS } from '../../../lambdas/core/tiers/registry';

const ROOT = join(__dirname, '..', '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const RULES = readFileSync(join(ROOT, 'docs', 'search-engine-rules.md'), 'utf8');
/** GitHub's anchor for a heading: lower case, spaces to dashes, punctuation dropped. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-');
const anchors = new Set([...RULES.matchAll(/^##+ (.+)$/gm)].map((m) => anchor(m[1]!)));

test('the tier ids, in the order alerts list them (JSON output and alerts carry them: never renamed)', () => {
  expect(TIERS).toEqual([
    'url-down',
    'url-deindex-risk',
    'url-deindex-critical',
    'url-assertion-failed',
    'url-blocked-by-robots',
    'url-error-leak',
    'origin-crawl-slowdown',
    'origin-outage',
    'robots-unreachable',
    'robots-cached-copy',
    'robots-cliff-warning',
    'robots-cliff',
    'robots-missing',
    'robots-blocks-site',
    'robots-changed',
    'robots-truncated',
    'checks-skipped',
    'recovered',
  ]);
});

describe.each(TIER_SPECS.map((spec) => [spec.id, spec] as const))('%s', (id, spec) => {
  test('has a row in the README tier tables, with its severity', () => {
    expect(README).toContain(`| \`${id}\` | ${spec.severity}`);
  });

  test('has a row in docs/search-engine-rules.md naming every source address', () => {
    const row = RULES.split('\n').find((line) => line.startsWith(`| \`${id}\` |`));
    expect(row).toBeDefined();
    for (const source of spec.sources)
      expect(row).toContain(source.url.startsWith('http') ? source.url : source.url.slice(source.url.indexOf('#')));
  });

  test('cites sections of the rules document that exist', () => {
    for (const source of spec.sources) expect(anchors).toContain(source.rules);
  });
});

test('the README sends readers of the tier tables to the rules document', () => {
  expect(README).toContain('[docs/search-engine-rules.md](docs/search-engine-rules.md)');
});
