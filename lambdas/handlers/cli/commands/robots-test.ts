/** `crawlguard robots test`: Google's verdict for URLs against a robots.txt file or live URL. */
import { FileReadError, readBoundedFile } from '../../../adapters/bounded-file';
import { createHttpClient } from '../../../adapters/http/http-client';
import { privateNetworkOn } from '../../../adapters/http/ssrf';
import { MAX_ROBOTS_BYTES, MAX_ROBOTS_REDIRECTS } from '../../../adapters/http/prober';
import { judge, robotsStateOf } from '../../../core/probe/classify';
import type { Target } from '../../../core/probe/types';
import { createRobotsMatcher, RobotsInputError } from '../../../core/robots/matcher';
import { EXIT, UsageError } from '../errors';
import type { Io } from '../io';

export interface RobotsTestOptions {
  agent: string;
  json?: boolean;
}

interface Verdict {
  url: string;
  allowed: boolean;
  rule: { directive: string; pattern: string; line: number } | null;
  reason: string;
}

/** robots.txt text, or a state that decides for every URL (no file: all allowed; unreachable: none). */
type Source = { text: string; truncated: boolean } | { decidesAll: boolean; reason: string };

function readFile(path: string): Source {
  try {
    // Google reads only the first 500 KiB (RFC 9309 section 2.5): no more is read.
    const { bytes, truncated } = readBoundedFile(path, { maxBytes: MAX_ROBOTS_BYTES, truncate: true });
    return { text: bytes.toString('utf8'), truncated };
  } catch (error) {
    throw error instanceof FileReadError ? new UsageError(error.message) : error;
  }
}

async function fetchRobots(url: string): Promise<Source> {
  const http = createHttpClient({ connectionsPerOrigin: 1 });
  try {
    // The origin typed on the command line is the user's own choice, so it may be private; a redirect
    // to another origin may not (README, "SSRF guard").
    const origin = new URL(url).origin;
    const observation = await http.attempt({
      url,
      userAgent: 'crawlguard robots test',
      timeoutMs: 10_000,
      maxRedirects: MAX_ROBOTS_REDIRECTS,
      maxBodyBytes: MAX_ROBOTS_BYTES,
      privateNetwork: privateNetworkOn([origin]),
    });
    const target: Target = {
      kind: 'robots',
      origin,
      url,
      expectStatus: null,
      bodyContains: [],
      bodyNotContains: [],
      timeoutMs: 10_000,
      retries: 0,
      retryBackoffMs: 0,
      userAgent: '',
      allowPrivateNetwork: true,
      privateNetworkOrigins: [],
    };
    const verdict = judge(target, observation, Date.now());
    const state = robotsStateOf(verdict.outcome);
    const seen = observation.status === null ? verdict.outcome : `HTTP ${observation.status}`;
    if (state === 'available' && observation.kind === 'response')
      return { text: observation.body, truncated: observation.truncated };
    if (state === 'unavailable')
      return { decidesAll: true, reason: `robots.txt unavailable (${seen}): crawlers apply no restrictions` };
    return {
      decidesAll: false,
      reason: `robots.txt unreachable (${seen}${verdict.error ? `: ${verdict.error}` : ''}): Google stops crawling the whole site`,
    };
  } finally {
    await http.close();
  }
}

function decide(source: Source, urls: string[], agent: string): Verdict[] {
  if ('decidesAll' in source)
    return urls.map((url) => ({ url, allowed: source.decidesAll, rule: null, reason: source.reason }));
  const matcher = createRobotsMatcher(source.text);
  return urls.map((url) => {
    const { allowed, rule } = matcher.verdict(url, agent);
    const reason = rule
      ? `${rule.directive === 'allow' ? 'Allow' : 'Disallow'}: ${rule.pattern}, line ${rule.line}`
      : 'no rule matches';
    return { url, allowed, rule, reason };
  });
}

export async function robotsTest(source: string, urls: string[], options: RobotsTestOptions, io: Io): Promise<number> {
  const robots = /^https?:\/\//i.test(source) ? await fetchRobots(source) : readFile(source);
  let verdicts: Verdict[];
  try {
    verdicts = decide(robots, urls, options.agent);
  } catch (error) {
    if (error instanceof RobotsInputError) throw new UsageError(error.message);
    throw error;
  }
  const c = io.colors;
  if (!options.json && 'truncated' in robots && robots.truncated)
    io.out(c.yellow('robots.txt is larger than 500 KiB: the rest is ignored, as Google does'));
  for (const v of verdicts) {
    if (options.json) io.out(JSON.stringify({ type: 'verdict', agent: options.agent, ...v }));
    else io.out(`${v.allowed ? c.green('allowed   ') : c.red('disallowed')}  ${v.url}  (${v.reason})`);
  }
  return verdicts.every((v) => v.allowed) ? EXIT.ok : EXIT.unhealthy;
}
