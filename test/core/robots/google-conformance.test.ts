import cases from '../../fixtures/robots/google-robotstxt-cases.json';
import { createRobotsMatcher, RobotsInputError, type RobotsRule } from '../../../lambdas/core/robots/matcher';

interface ConformanceCase {
  name: string;
  robots: string;
  agent: string;
  url: string;
  allowed: boolean;
}

const all: ConformanceCase[] = cases;
const answered = all.filter((c) => c.url !== '');
const refused = all.filter((c) => c.url === '');

describe('google/robotstxt robots_test.cc conformance', () => {
  test('the fixture holds all 145 cases, 4 of them with an empty URL', () => {
    expect(all).toHaveLength(145);
    expect(new Set(all.map((c) => c.name)).size).toBe(145);
    expect(refused.map((c) => c.name)).toEqual([
      'GoogleOnly_SystemTest#1',
      'GoogleOnly_SystemTest#2',
      'GoogleOnly_SystemTest#3',
      'GoogleOnly_SystemTest#4',
    ]);
  });

  test.each(answered)('$name: $agent → allowed $allowed', ({ robots, agent, url, allowed }) => {
    expect(createRobotsMatcher(robots).verdict(url, agent).allowed).toBe(allowed);
  });

  test.each(refused)('$name: an empty URL is refused', ({ robots, agent, url }) => {
    const verdict = () => createRobotsMatcher(robots).verdict(url, agent);
    expect(verdict).toThrow(RobotsInputError);
    expect(verdict).toThrow('URL is empty: give an absolute URL such as https://example.com/page');
  });
});

const rule = (directive: RobotsRule['directive'], pattern: string, line: number): RobotsRule => ({
  directive,
  pattern,
  line,
});

describe('verdict: the deciding rule', () => {
  test('the longest match wins, whatever the order', () => {
    const matcher = createRobotsMatcher('User-agent: *\nAllow: /shop/cart/\nDisallow: /shop/\n');
    expect(matcher.verdict('https://example.com/shop/cart/1', 'Googlebot')).toEqual({
      allowed: true,
      rule: rule('allow', '/shop/cart/', 2),
    });
    expect(matcher.verdict('https://example.com/shop/shoes', 'Googlebot')).toEqual({
      allowed: false,
      rule: rule('disallow', '/shop/', 3),
    });
  });

  test('allow wins a tie of equal length, even when written later', () => {
    const matcher = createRobotsMatcher('User-agent: *\nDisallow: /a*c\nDisallow: /abc\nAllow: /ab*\n');
    expect(matcher.verdict('https://example.com/abc', 'Googlebot')).toEqual({
      allowed: true,
      rule: rule('allow', '/ab*', 4),
    });
  });

  test('`$` counts towards the length: `/fish$` beats `/fish`', () => {
    const matcher = createRobotsMatcher('User-agent: *\nAllow: /fish\nDisallow: /fish$\n');
    expect(matcher.verdict('https://example.com/fish', 'Googlebot').rule).toEqual(rule('disallow', '/fish$', 3));
  });

  test('no rule matched: allowed, rule null', () => {
    const matcher = createRobotsMatcher('User-agent: *\nDisallow: /private/\n');
    expect(matcher.verdict('https://example.com/public', 'Googlebot')).toEqual({ allowed: true, rule: null });
  });

  test('an empty Disallow decides nothing', () => {
    const matcher = createRobotsMatcher('User-agent: *\nDisallow:\n');
    expect(matcher.verdict('https://example.com/', 'Googlebot')).toEqual({ allowed: true, rule: null });
  });

  test('line numbers count CRLF, CR and LF line ends and blank lines', () => {
    const crlf = createRobotsMatcher('User-agent: *\r\n\r\n# comment\r\nDisallow: /x\r\n');
    expect(crlf.verdict('https://example.com/x', 'Googlebot').rule).toEqual(rule('disallow', '/x', 4));
    const mixed = createRobotsMatcher('User-agent: *\r\rAllow: /y\nDisallow: /x\r\n');
    expect(mixed.verdict('https://example.com/x', 'Googlebot').rule).toEqual(rule('disallow', '/x', 4));
  });

  test('a UTF-8 byte order mark neither breaks the first line nor shifts the numbers', () => {
    const matcher = createRobotsMatcher('\uFEFFUser-agent: Googlebot\nDisallow: /x\n');
    expect(matcher.verdict('https://example.com/x', 'Googlebot').rule).toEqual(rule('disallow', '/x', 2));
  });

  test('only the path and query decide: any origin, the fragment ignored', () => {
    const matcher = createRobotsMatcher('User-agent: *\nDisallow: /*?session=\n');
    expect(matcher.verdict('https://other.example:8443/a?session=1#top', 'Googlebot').allowed).toBe(false);
    expect(matcher.verdict('http://example.com/a#?session=1', 'Googlebot').allowed).toBe(true);
  });

  test('the URL is taken as given: no dot-segment resolution, no re-escaping', () => {
    const matcher = createRobotsMatcher('User-agent: *\nDisallow: /a/../b\nDisallow: /%7e\n');
    expect(matcher.verdict('https://example.com/a/../b', 'Googlebot').rule).toEqual(rule('disallow', '/a/../b', 2));
    expect(matcher.verdict('https://example.com/b', 'Googlebot').allowed).toBe(true);
    // The rule is upper-cased (%7E), the URL is not: Google compares them as written.
    expect(matcher.verdict('https://example.com/%7e', 'Googlebot').allowed).toBe(true);
    expect(matcher.verdict('https://example.com/%7E', 'Googlebot').rule).toEqual(rule('disallow', '/%7E', 3));
  });

  test('a non-ASCII rule is reported as Google matches it, %-escaped', () => {
    const matcher = createRobotsMatcher('User-agent: *\nDisallow: /café\n');
    expect(matcher.verdict('https://example.com/caf%C3%A9', 'Googlebot').rule).toEqual(
      rule('disallow', '/caf%C3%A9', 2),
    );
  });

  test('an allowed index.html also allows its directory, reported on the same line', () => {
    const matcher = createRobotsMatcher('User-agent: *\nDisallow: /\nAllow: /docs/index.html\n');
    expect(matcher.verdict('https://example.com/docs/', 'Googlebot')).toEqual({
      allowed: true,
      rule: rule('allow', '/docs/$', 3),
    });
  });

  test.each(['', 'example.com/page', '/page', 'ftp://example.com/page'])('refuses the URL %j', (url) => {
    expect(() => createRobotsMatcher('').verdict(url, 'Googlebot')).toThrow(RobotsInputError);
  });
});

describe('rulesFor: the group Google applies', () => {
  const robots = [
    'User-agent: *', // 1
    'Disallow: /', // 2
    '', // 3
    'User-agent: Googlebot', // 4
    'Sitemap: https://example.com/sitemap.xml', // 5
    'User-agent: Bingbot', // 6
    'Disallow: /private/', // 7
    '', // 8
    'user-agent: googlebot/2.1', // 9
    'disalow: /tmp/', // 10  (a misspelling Google accepts)
    'Allow: /private/index.html', // 11
  ].join('\n');
  const matcher = createRobotsMatcher(robots);

  test('merges every group naming the agent (case-insensitive, up to its first non-letter), in file order', () => {
    expect(matcher.rulesFor('Googlebot')).toEqual([
      rule('disallow', '/private/', 7),
      rule('disallow', '/tmp/', 10),
      rule('allow', '/private/index.html', 11),
      rule('allow', '/private/$', 11),
    ]);
  });

  test('a Sitemap line does not end the list of agents: Bingbot shares the first Googlebot group', () => {
    expect(matcher.rulesFor('bingbot')).toEqual([rule('disallow', '/private/', 7)]);
    expect(matcher.verdict('https://example.com/private/x', 'Bingbot').allowed).toBe(false);
    expect(matcher.verdict('https://example.com/tmp/x', 'Bingbot').allowed).toBe(true);
  });

  test("falls back to '*' for an agent no group names", () => {
    expect(matcher.rulesFor('DuckDuckBot')).toEqual([rule('disallow', '/', 2)]);
  });

  test("a group naming the agent without rules still hides '*'", () => {
    const quiet = createRobotsMatcher('User-agent: *\nDisallow: /\n\nUser-agent: Googlebot\n');
    expect(quiet.rulesFor('Googlebot')).toEqual([]);
    expect(quiet.verdict('https://example.com/x', 'Googlebot')).toEqual({ allowed: true, rule: null });
    expect(quiet.verdict('https://example.com/x', 'Bingbot').allowed).toBe(false);
  });

  test('an agent named twice in one group does not list its rules twice', () => {
    const twice = createRobotsMatcher('User-agent: Googlebot\nUser-agent: googlebot\nDisallow: /x\n');
    expect(twice.rulesFor('Googlebot')).toEqual([rule('disallow', '/x', 3)]);
  });

  test('lists the deciding rule of every verdict', () => {
    const deciding = matcher.verdict('https://example.com/tmp/a', 'Googlebot').rule;
    expect(deciding).toEqual(rule('disallow', '/tmp/', 10));
    expect(matcher.rulesFor('Googlebot')).toContainEqual(deciding);
  });
});
