/**
 * Node/undici errors → the outcome names of a check. fetch wraps the interesting error in `cause`
 * (often two levels deep), so the whole chain is read.
 */
import type { NetworkFailure } from '../../core/probe/outcome';
import { BLOCKED_MARKER } from './ssrf';

const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|HOSTNAME_MISMATCH|EPROTO)/;
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME', 'ENODATA']);
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'EHOSTDOWN',
  'ENETDOWN',
]);
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
}

function chain(error: unknown): ErrorLike[] {
  const links: ErrorLike[] = [];
  for (let e = error; e && typeof e === 'object' && links.length < 8; e = (e as ErrorLike).cause)
    links.push(e as ErrorLike);
  return links;
}

function failureOf(link: ErrorLike): NetworkFailure | null {
  const code = link.code ?? '';
  if (code === 'CRAWLGUARD_BLOCKED' || link.message?.includes(BLOCKED_MARKER)) return 'blocked';
  if (link.name === 'TimeoutError' || link.name === 'AbortError' || TIMEOUT_CODES.has(code)) return 'timeout';
  if (DNS_CODES.has(code)) return 'dns';
  if (CONNECT_CODES.has(code)) return 'connect';
  if (TLS_CODE.test(code)) return 'tls';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code.startsWith('HPE_')) return 'reset';
  return null;
}

/** The outcome and a one-line reason for an error thrown by fetch or by reading a body. */
export function describeFailure(error: unknown): { failure: NetworkFailure; error: string } {
  const links = chain(error);
  for (const link of [...links].reverse()) {
    const failure = failureOf(link);
    if (failure) return { failure, error: (link.message || link.code || failure).replace(/^Error: /, '') };
  }
  // Anything else broke the exchange mid-protocol (undici's "terminated", a malformed response):
  // Google groups these with resets as network errors (SEO-RULES.md, "DNS and network errors").
  const deepest = links[links.length - 1];
  return { failure: 'reset', error: deepest?.message || String(error) };
}
