import type { CheckResult } from '../../../lambdas/core/probe/types';
import { analyseRobots, sha256Hex, type RobotsCopy } from '../../../lambdas/core/robots/analyse';

const ORIGIN = 'https://a.example';
const URLS = [`${ORIGIN}/`, `${ORIGIN}/pricing`, `${ORIGIN}/private/x`];

function robotsResult(
  outcome: CheckResult['outcome'],
  robotsState: CheckResult['robotsState'],
  truncated = false,
): CheckResult {
  return {
    kind: 'robots',
    origin: ORIGIN,
    url: `${ORIGIN}/robots.txt`,
    checkedAt: '2026-12-01T09:00:00.000Z',
    status: 200,
    outcome,
    latencyMs: 1,
    attempts: 1,
    redirects: 0,
    finalUrl: `${ORIGIN}/robots.txt`,
    bytes: 10,
    truncated,
    requestId: null,
    retryAfter: null,
    leak: [],
    error: null,
    attemptLog: [],
    robotsState,
  };
}

const copy = (text: string): RobotsCopy => ({
  text,
  hash: sha256Hex(text),
  fetchedAt: '2026-11-01T00:00:00.000Z',
  truncated: false,
});

describe('analyseRobots', () => {
  test('the first good copy is the baseline: verdicts, no changes, stored', () => {
    const text = 'User-agent: *\nDisallow: /private/\n';
    const { finding, newCopy } = analyseRobots({
      result: robotsResult('ok', 'available'),
      text,
      agents: ['Googlebot'],
      urls: URLS,
      lastGood: null,
    });
    expect(finding).toEqual({
      rulesFrom: 'fetched',
      truncated: false,
      disallowed: {
        Googlebot: [{ url: `${ORIGIN}/private/x`, rule: { directive: 'disallow', pattern: '/private/', line: 2 } }],
      },
      blocksSite: [],
      changes: null,
      copyFetchedAt: '2026-12-01T09:00:00.000Z',
      copyHash: sha256Hex(text),
      rules: { Googlebot: ['Disallow: /private/'] },
      lastGoodDisallows: false,
    });
    expect(newCopy).toEqual({ text, hash: sha256Hex(text), fetchedAt: '2026-12-01T09:00:00.000Z', truncated: false });
  });

  test('the same copy again: nothing to store, fetchedAt of the first fetch', () => {
    const text = 'User-agent: *\nDisallow: /private/\n';
    const { finding, newCopy } = analyseRobots({
      result: robotsResult('ok', 'available'),
      text,
      agents: ['Googlebot'],
      urls: URLS,
      lastGood: copy(text),
    });
    expect(newCopy).toBeNull();
    expect(finding.copyFetchedAt).toBe('2026-11-01T00:00:00.000Z');
    expect(finding.changes).toBeNull();
  });

  test('added and removed rules per agent, and a copy that blocks the whole site', () => {
    const before = 'User-agent: *\nDisallow: /private/\n';
    const after = 'User-agent: Googlebot\nDisallow: /\n\nUser-agent: *\nDisallow: /tmp/\n';
    const { finding } = analyseRobots({
      result: robotsResult('ok', 'available'),
      text: after,
      agents: ['Googlebot', 'Bingbot'],
      urls: URLS,
      lastGood: copy(before),
    });
    expect(finding.blocksSite).toEqual(['Googlebot']);
    expect(finding.changes).toEqual([
      { agent: 'Googlebot', added: ['Disallow: /'], removed: ['Disallow: /private/'] },
      { agent: 'Bingbot', added: ['Disallow: /tmp/'], removed: ['Disallow: /private/'] },
    ]);
    expect(finding.disallowed.Googlebot).toHaveLength(3);
    expect(finding.disallowed.Bingbot).toEqual([]);
  });

  test('4xx: crawlers apply no restrictions, whatever the last copy said', () => {
    const { finding, newCopy } = analyseRobots({
      result: robotsResult('client_error', 'unavailable'),
      text: null,
      agents: ['Googlebot'],
      urls: URLS,
      lastGood: copy('User-agent: *\nDisallow: /\n'),
    });
    expect(finding).toMatchObject({
      rulesFrom: 'none',
      disallowed: { Googlebot: [] },
      copyFetchedAt: null,
      rules: null,
      lastGoodDisallows: true,
    });
    expect(newCopy).toBeNull();
  });

  test('unreachable: the verdicts come from the last good copy (what Google falls back to after 12 h)', () => {
    const { finding } = analyseRobots({
      result: robotsResult('server_error', 'unreachable'),
      text: null,
      agents: ['Googlebot'],
      urls: URLS,
      lastGood: copy('User-agent: *\nDisallow: /pricing\n'),
    });
    expect(finding).toMatchObject({
      rulesFrom: 'last-good',
      copyFetchedAt: '2026-11-01T00:00:00.000Z',
      rules: { Googlebot: ['Disallow: /pricing'] },
    });
    expect(finding.disallowed.Googlebot!.map((d) => d.url)).toEqual([`${ORIGIN}/pricing`]);
  });

  test('unreachable with no earlier copy: no rules to apply', () => {
    const { finding } = analyseRobots({
      result: robotsResult('timeout', 'unreachable'),
      text: null,
      agents: ['Googlebot'],
      urls: URLS,
      lastGood: null,
    });
    expect(finding).toMatchObject({ rulesFrom: 'none', copyFetchedAt: null });
  });

  test('a truncated fetch is flagged', () => {
    const { finding } = analyseRobots({
      result: robotsResult('ok', 'available', true),
      text: 'User-agent: *\n',
      agents: ['Googlebot'],
      urls: URLS,
      lastGood: null,
    });
    expect(finding.truncated).toBe(true);
  });
});
