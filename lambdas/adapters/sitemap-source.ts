/**
 * Where `crawlguard import-sitemap` gets a sitemap's bytes: an http(s) URL, or a file.
 *
 * Not through ./http/http-client: its attempt() hands the body back decoded as UTF-8 text, which
 * destroys a gzip body served as it is (`sitemap.xml.gz` with no Content-Encoding, the common case).
 * Its SSRF guard would not apply either: the user chose the sitemap, so private addresses are allowed,
 * as `robots test` allows them. Node's fetch with the same deadline and cap, keeping the bytes, does.
 */
import { FileReadError, readBoundedFile } from './bounded-file';
import { SETTING_DEFAULTS } from '../core/config/schema';
import { describeFailure } from './http/failure';
import { SITEMAP_LIMITS, SitemapError, type LoadSitemap } from './sitemap';

export const SITEMAP_TIMEOUT_MS = 30_000;

const mb = (bytes: number) => `${bytes / 1024 / 1024} MB`;

async function readCapped(body: ReadableStream<Uint8Array>, url: string, maxBytes: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new SitemapError(`${url} is larger than ${mb(maxBytes)}, the sitemaps protocol's limit for one sitemap; split it`);
    }
    chunks.push(value);
  }
}

/** The body of a 2xx answer (Content-Encoding undone by fetch), within the deadline and the cap. */
export async function fetchSitemap(url: string, timeoutMs = SITEMAP_TIMEOUT_MS, maxBytes = SITEMAP_LIMITS.maxBytes): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(timeoutMs);
  const failed = (error: unknown) => new SitemapError(`cannot fetch ${url}: ${signal.aborted ? `no complete answer within ${timeoutMs / 1000} s` : describeFailure(error).error}`);
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: 'follow', headers: { 'user-agent': SETTING_DEFAULTS.userAgent, accept: 'application/xml, text/xml, text/plain;q=0.9, */*;q=0.8' } });
  } catch (error) {
    throw failed(error);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new SitemapError(`${url} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}; a sitemap must answer 2xx`);
  }
  try {
    return response.body ? await readCapped(response.body, url, maxBytes) : new Uint8Array();
  } catch (error) {
    throw error instanceof SitemapError ? error : failed(error);
  }
}

export function readSitemapFile(path: string, maxBytes = SITEMAP_LIMITS.maxBytes): Uint8Array {
  try {
    return readBoundedFile(path, { maxBytes, tooLargeAdvice: "the sitemaps protocol's limit for one sitemap; split it" }).bytes;
  } catch (error) {
    throw error instanceof FileReadError ? new SitemapError(error.message, { cause: error }) : error;
  }
}

/** http(s) URLs are fetched, anything else is a file path. */
export const loadSitemap: LoadSitemap = async (location) =>
  (/^https?:\/\//i.test(location) ? fetchSitemap(location) : readSitemapFile(location));
