/**
 * The shapes of the fault matrix: the largest and oddest inputs crawlguard accepts, each a loopback site
 * with two behaviours (healthy, failing) and a small second site whose one URL fails at the same time,
 * so that every pass has a critical notification and a warning one on different origins and topics.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { behave } from '../../../demo/site';

export type Phase = 'healthy' | 'failing';
type Respond = (req: IncomingMessage, res: ServerResponse, phase: Phase) => void;

export interface Shape {
  name: string;
  /** The main site's host (the IDN one as written; its URLs carry the punycode form). */
  host: string;
  /** monitors.yaml lines of the main site, after `- origin: http://HOST:PORT`. */
  siteYaml: (port: number) => string[];
  /** Extra defaults (timeouts, retries). */
  defaults: string;
  /** Answers of the main site by path. */
  respond: Respond;
  /** Files the config names (urlsFile). */
  files?: Record<string, string>;
  /**
   * The main site's timeout while it fails, when it hangs: short, so that recording it takes seconds.
   * Healthy answers are recorded with the configured timeout, which a loaded machine never hits.
   */
  hangingTimeoutMs?: number;
}

const ok = behave.ok('<!doctype html><title>ok</title>');
const text = (body: string) => behave.text(body);

/** A robots.txt of about 500 KB with a group per agent, half of its rules random so that gzip cannot hide it. */
function bigRobots(agents: readonly string[]): string {
  const perAgent = Math.floor(495_000 / agents.length / 40);
  return agents
    .map(
      (agent, g) =>
        `User-agent: ${agent}\n${Array.from({ length: perAgent }, (_, i) =>
          i % 2 === 0 ? `Disallow: /private/${g}/section-${i}/` : `Disallow: /${randomBytes(21).toString('base64url')}`,
        ).join('\n')}`,
    )
    .join('\n');
}

const AGENTS = [
  'Googlebot',
  'Bingbot',
  'DuckDuckBot',
  'Applebot',
  'YandexBot',
  'Baiduspider',
  'Slurp',
  'facebot',
  'Twitterbot',
  'AdsBot-Google',
];
const ROBOTS = bigRobots(AGENTS);
const robotsOr503 =
  (body: string): Respond =>
  (req, res, phase) =>
    phase === 'failing' ? behave.status(503)(req, res) : text(body)(req, res);
const plainRobots = 'User-agent: *\nAllow: /\n';

/** The longest detail a check can keep: 11 hops of URLs near 2,000 characters, three attempts each. */
const LONG = `/${'l'.repeat(1_850)}`;
const chain: Respond = (req, res, phase) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (phase === 'healthy') return ok(req, res);
  const hop = Number(url.searchParams.get('hop') ?? 0);
  return behave.redirect(`${url.pathname}?hop=${hop + 1}`, 302)(req, res);
};

const unicodePaths = [
  '/',
  ...Array.from({ length: 9 }, (_, i) => `/${encodeURIComponent('bücher-日本-')}${i}/${'ü'.repeat(300)}`),
];

export const SHAPES: Shape[] = [
  {
    name: 'a 500 KB robots.txt with 10 agents',
    host: 'robots.test',
    defaults: 'timeout: 2s, retries: 0',
    siteYaml: () => [`    agents: [${AGENTS.join(', ')}]`, '    urls: [/, /a, /b, /private/0/section-0/]'],
    respond: (req, res, phase) => (req.url === '/robots.txt' ? robotsOr503(ROBOTS)(req, res, phase) : ok(req, res)),
  },
  {
    name: 'a worst-case 500-check shard',
    host: 'shard.test',
    defaults: 'timeout: 2s, retries: 2, retryBackoff: 10ms',
    siteYaml: () => [`    urls: [${Array.from({ length: 499 }, (_, i) => `${LONG}/${i}`).join(', ')}]`],
    respond: (req, res, phase) =>
      req.url === '/robots.txt' ? robotsOr503(plainRobots)(req, res, phase) : chain(req, res, phase),
  },
  {
    name: '50,000 local URLs',
    host: 'big.test',
    defaults: 'timeout: 5s, retries: 0',
    files: { 'urls.txt': Array.from({ length: 50_000 }, (_, i) => `/item-${i}`).join('\n') },
    siteYaml: () => ['    urlsFile: urls.txt'],
    respond: (req, res, phase) => {
      if (req.url === '/robots.txt') return robotsOr503(plainRobots)(req, res, phase);
      return phase === 'failing' && /^\/item-\d$/.test(req.url ?? '') ? behave.status(500)(req, res) : ok(req, res);
    },
  },
  {
    name: 'one hanging origin of 100 URLs',
    host: 'hang.test',
    defaults: 'timeout: 2s, retries: 0',
    hangingTimeoutMs: 100,
    siteYaml: () => [`    urls: [/, ${Array.from({ length: 99 }, (_, i) => `/p${i}`).join(', ')}]`],
    respond: (req, res, phase) =>
      phase === 'failing'
        ? behave.hang()(req, res)
        : req.url === '/robots.txt'
          ? text(plainRobots)(req, res)
          : ok(req, res),
  },
  {
    name: 'unicode and 2,000-character URLs',
    host: 'bücher.test',
    defaults: 'timeout: 2s, retries: 0',
    siteYaml: () => [`    urls: [${unicodePaths.map((p) => JSON.stringify(p)).join(', ')}]`],
    respond: (req, res, phase) => {
      if (req.url === '/robots.txt') return text(plainRobots)(req, res);
      return phase === 'failing' ? behave.status(500, 'Fehler')(req, res) : ok(req, res);
    },
  },
];

/** The second site of every shape: `/x` fails with the main site (a warning, on the other topic). */
export const OTHER_HOST = 'other.test';
export const otherRespond: Respond = (req, res, phase) => {
  if (req.url === '/robots.txt') return text(plainRobots)(req, res);
  return phase === 'failing' && req.url === '/x' ? behave.status(500)(req, res) : ok(req, res);
};
