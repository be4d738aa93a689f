/**
 * One request attempt with ky over Node's fetch: redirects followed by hand (to count hops, spot loops
 * and guard every hop), the body read up to a cap, and one deadline for connect, headers and body.
 * It never throws for a target's fault: every failure comes back as an Observation.
 */
import ky from 'ky';
import { Agent, type Dispatcher } from 'undici';
import type { NetworkFailure } from '../../core/probe/outcome';
import type { Observation } from '../../core/probe/types';
import { describeFailure } from './failure';
import { guardedLookup, literalHostRefusal, systemResolver, type Resolver } from './ssrf';

export interface AttemptRequest {
  url: string;
  userAgent: string;
  timeoutMs: number;
  maxRedirects: number;
  maxBodyBytes: number;
  allowPrivateNetwork: boolean;
  /** Aborts the attempt from outside (shutdown); reported as a timeout but discarded by the caller. */
  signal?: AbortSignal;
}

export interface HttpClientOptions {
  resolve?: Resolver;
  /** Sockets per origin: a monitor must not become the load it watches for. */
  connectionsPerOrigin: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The URL a redirect points to, or null when the response is not one we follow (then its status decides). */
function redirectTarget(response: Response, from: URL): URL | null {
  const location = response.headers.get('location');
  if (!REDIRECT_STATUSES.has(response.status) || !location) return null;
  try {
    const next = new URL(location, from);
    return next.protocol === 'http:' || next.protocol === 'https:' ? next : null;
  } catch {
    return null;
  }
}

async function readCapped(response: Response, maxBytes: number) {
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let truncated = false;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (bytes + value.byteLength > maxBytes) {
        chunks.push(value.subarray(0, maxBytes - bytes));
        bytes = maxBytes;
        truncated = true;
        await reader.cancel().catch(() => undefined);
        break;
      }
      chunks.push(value);
      bytes += value.byteLength;
    }
  }
  return { body: new TextDecoder().decode(Buffer.concat(chunks)), bytes, truncated };
}

export function createHttpClient(options: HttpClientOptions) {
  const resolve = options.resolve ?? systemResolver;
  const agent = (allowPrivateNetwork: boolean) =>
    new Agent({
      connect: { lookup: guardedLookup(resolve, allowPrivateNetwork) },
      connections: options.connectionsPerOrigin,
      // Our own deadline covers the whole exchange; undici's defaults (300 s) must never be the ones that fire.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  const dispatchers: Record<'guarded' | 'open', Dispatcher> = { guarded: agent(false), open: agent(true) };

  async function attempt(request: AttemptRequest): Promise<Observation> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const timeout = AbortSignal.timeout(request.timeoutMs);
    const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
    const dispatcher = dispatchers[request.allowPrivateNetwork ? 'open' : 'guarded'];
    let url = new URL(request.url);
    let redirects = 0;
    let status: number | null = null;
    let headers: Record<string, string> = {};
    const visited = [url.href];
    const fail = (reason: { failure: NetworkFailure; error: string }): Observation => ({
      kind: 'failure', ...reason, status, headers, bytes: 0, redirects, finalUrl: url.href, latencyMs: elapsed(),
    });
    try {
      for (;;) {
        const refusal = literalHostRefusal(url, request.allowPrivateNetwork);
        if (refusal) return fail({ failure: 'blocked', error: refusal });
        const response = await ky.get(url, {
          redirect: 'manual',
          throwHttpErrors: false,
          retry: 0,
          timeout: false,
          signal,
          headers: { 'user-agent': request.userAgent, accept: '*/*' },
          // Node's global fetch with npm undici's Agent: the lookup hook runs on every connection
          // (undici's own fetch rejects the Request objects ky passes; ../shared/notes/toolchain.md).
          fetch: (input, init) => globalThis.fetch(input, { ...init, dispatcher } as unknown as RequestInit),
        });
        status = response.status;
        headers = Object.fromEntries(response.headers);
        const next = redirectTarget(response, url);
        if (next) {
          await response.body?.cancel().catch(() => undefined);
          if (redirects >= request.maxRedirects) {
            return fail({ failure: 'too_many_redirects', error: `more than ${request.maxRedirects} redirects` });
          }
          if (visited.includes(next.href)) {
            return fail({ failure: 'too_many_redirects', error: `redirect loop: ${[...visited, next.href].join(' → ')}` });
          }
          visited.push(next.href);
          redirects += 1;
          url = next;
          continue;
        }
        const { body, bytes, truncated } = await readCapped(response, request.maxBodyBytes);
        return { kind: 'response', status, headers, body, bytes, truncated, redirects, finalUrl: url.href, latencyMs: elapsed() };
      }
    } catch (error) {
      const described = describeFailure(error);
      if (described.failure === 'timeout' && timeout.aborted) {
        described.error = status === null
          ? `no response within ${request.timeoutMs} ms`
          : `HTTP ${status} but the body did not finish within ${request.timeoutMs} ms`;
      }
      return fail(described);
    }
  }

  return {
    attempt,
    async close(): Promise<void> {
      await Promise.all(Object.values(dispatchers).map((d) => d.close()));
    },
  };
}

export type HttpClient = ReturnType<typeof createHttpClient>;
