/**
 * One request attempt with ky over Node's fetch: redirects followed by hand (to count hops, spot loops
 * and guard every hop), the body read up to a cap, and one deadline for connect, headers and body.
 * It never throws for a target's fault: every failure comes back as an Observation.
 */
import { TextDecoder } from 'node:util';
import ky, { type KyInstance, type Options } from 'ky';
import type { Agent, Dispatcher } from 'undici-types';
import type { NetworkFailure } from '../../core/probe/outcome';
import type { Observation } from '../../core/probe/types';
import { describeFailure } from './failure';
import {
  guardedLookup,
  literalHostRefusal,
  refusalAdvice,
  systemResolver,
  type PrivateNetworkPolicy,
  type Resolver,
} from './ssrf';

export interface AttemptRequest {
  url: string;
  userAgent: string;
  timeoutMs: number;
  maxRedirects: number;
  maxBodyBytes: number;
  /** Decides for each hop, by its origin, whether it may connect to a private address. */
  privateNetwork: PrivateNetworkPolicy;
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
  return { data: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), bytes, truncated };
}

/** An attempt whose body is kept as bytes (a gzip sitemap served as it is must not be decoded as text). */
export interface BytesExchange {
  /** `body` is empty: the bytes are in `data`. */
  observation: Observation;
  /** The body read, up to the cap; null when the attempt failed. */
  data: Uint8Array | null;
}

let builtinAgent: typeof Agent | undefined;

/**
 * The undici Agent class Node's own fetch uses. A fetch of a data: URL touches no network but makes Node
 * create its global dispatcher, stored under the symbol undici uses to share it across copies; its
 * class takes the `connect.lookup` hook the SSRF guard needs. Using Node's copy instead of the npm
 * package keeps 530 KB of undici out of the Lambda bundle.
 */
async function nodeAgentClass(): Promise<typeof Agent> {
  if (!builtinAgent) {
    await fetch('data:,');
    // The global of the realm fetch comes from (the same one in production; the outer one under jest's VM).
    const realm = (fetch.constructor as FunctionConstructor)('return globalThis')() as Record<symbol, unknown>;
    const dispatcher = realm[Symbol.for('undici.globalDispatcher.1')] as { constructor?: unknown } | undefined;
    if (typeof dispatcher?.constructor !== 'function' || dispatcher.constructor.name !== 'Agent') {
      throw new Error(
        "Node's fetch dispatcher is not an undici Agent (was setGlobalDispatcher called with a proxy?); crawlguard needs Node's own Agent for its SSRF guard",
      );
    }
    builtinAgent = dispatcher.constructor as typeof Agent;
  }
  return builtinAgent;
}

export function createHttpClient(options: HttpClientOptions) {
  const resolve = options.resolve ?? systemResolver;
  let channels: Promise<Record<'guarded' | 'open', { dispatcher: Dispatcher; client: KyInstance }>> | undefined;
  const clients = () =>
    (channels ??= nodeAgentClass().then((AgentClass) => {
      const channel = (allowPrivateNetwork: boolean) => {
        const dispatcher = new AgentClass({
          connect: { lookup: guardedLookup(resolve, allowPrivateNetwork) },
          connections: options.connectionsPerOrigin,
          // Our own deadline covers the whole exchange; undici's defaults (300 s) must never be the ones that fire.
          headersTimeout: 0,
          bodyTimeout: 0,
        });
        // One ky instance per channel: its options are merged once, not on every request.
        const client = ky.create({
          redirect: 'manual',
          throwHttpErrors: false,
          retry: 0,
          timeout: false,
          // Node's global fetch with an Agent of its own undici: the lookup hook runs on every connection.
          // The abort signal travels as an option ky does not know (ky passes those through to fetch): given
          // to ky itself, ky would combine it with its own through AbortSignal.any on every request.
          fetch: (input, init) =>
            globalThis.fetch(input, {
              ...init,
              signal: (init as { deadline?: AbortSignal }).deadline,
              dispatcher,
            } as unknown as RequestInit),
        });
        return { dispatcher, client };
      };
      return { guarded: channel(false), open: channel(true) };
    }));
  const decoder = new TextDecoder();

  /** The redirect loop of both kinds of attempt; `keepBytes` hands the body back as bytes in `kept.data`. */
  async function exchange(
    request: AttemptRequest,
    keepBytes: boolean,
    kept: { data: Uint8Array | null },
  ): Promise<Observation> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    // A plain controller and timer: AbortSignal.timeout/any make transferable signals, measurably
    // costly at thousands of requests a pass (bench/results.json).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException(`no answer within ${request.timeoutMs} ms`, 'TimeoutError'));
    }, request.timeoutMs);
    const stop = () => controller.abort(request.signal?.reason);
    request.signal?.addEventListener('abort', stop, { once: true });
    const { signal } = controller;
    const channel = await clients();
    const start = new URL(request.url);
    let url = start;
    let redirects = 0;
    let status: number | null = null;
    let headers: Record<string, string> = {};
    const visited = [url.href];
    const fail = (reason: { failure: NetworkFailure; error: string }): Observation => ({
      kind: 'failure',
      ...reason,
      status,
      headers,
      bytes: 0,
      redirects,
      finalUrl: url.href,
      latencyMs: elapsed(),
    });
    const blocked = (error: string) =>
      fail({ failure: 'blocked', error: `${error}: ${refusalAdvice(start, url, request.privateNetwork)}` });
    try {
      for (;;) {
        // Each hop on the channel its own origin is entitled to: the opt-in of one origin never covers another.
        const mayUsePrivate = request.privateNetwork(url.origin);
        const refusal = literalHostRefusal(url, mayUsePrivate);
        if (refusal) return blocked(refusal);
        const { client } = channel[mayUsePrivate ? 'open' : 'guarded'];
        const response = await client.get(url, {
          deadline: signal,
          headers: { 'user-agent': request.userAgent, accept: '*/*' },
        } as Options);
        status = response.status;
        headers = Object.fromEntries(response.headers);
        const next = redirectTarget(response, url);
        if (next) {
          await response.body?.cancel().catch(() => undefined);
          if (redirects >= request.maxRedirects) {
            return fail({ failure: 'too_many_redirects', error: `more than ${request.maxRedirects} redirects` });
          }
          if (visited.includes(next.href)) {
            return fail({
              failure: 'too_many_redirects',
              error: `redirect loop: ${[...visited, next.href].join(' → ')}`,
            });
          }
          visited.push(next.href);
          redirects += 1;
          url = next;
          continue;
        }
        const { data, bytes, truncated } = await readCapped(response, request.maxBodyBytes);
        if (keepBytes) kept.data = data;
        const body = keepBytes ? '' : decoder.decode(data);
        return {
          kind: 'response',
          status,
          headers,
          body,
          bytes,
          truncated,
          redirects,
          finalUrl: url.href,
          latencyMs: elapsed(),
        };
      }
    } catch (error) {
      const described = describeFailure(error);
      if (described.failure === 'blocked') return blocked(described.error);
      if (described.failure === 'timeout' && timedOut) {
        described.error =
          status === null
            ? `no response within ${request.timeoutMs} ms`
            : `HTTP ${status} but the body did not finish within ${request.timeoutMs} ms`;
      }
      return fail(described);
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', stop);
    }
  }

  return {
    /** One request attempt, the body decoded as UTF-8 text. */
    attempt: (request: AttemptRequest): Promise<Observation> => exchange(request, false, { data: null }),
    /** The same, the body kept as bytes. */
    async attemptBytes(request: AttemptRequest): Promise<BytesExchange> {
      const kept: { data: Uint8Array | null } = { data: null };
      const observation = await exchange(request, true, kept);
      return { observation, data: kept.data };
    },
    async close(): Promise<void> {
      if (channels) await Promise.all(Object.values(await channels).map((c) => c.dispatcher.close()));
    },
  };
}

export type HttpClient = ReturnType<typeof createHttpClient>;
