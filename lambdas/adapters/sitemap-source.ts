/**
 * Where `crawlguard import-sitemap` gets a sitemap's bytes: an http(s) URL, or a file.
 *
 * URLs go through the prober's HTTP client, with its SSRF guard decided per hop (a sitemap names other
 * sitemaps, and a remote site can redirect anywhere: the user chose the first URL, not those), keeping
 * the body as bytes: a gzip sitemap served as it is (`sitemap.xml.gz` with no Content-Encoding, the
 * common case) must not be decoded as text.
 */
import { STATUS_CODES } from 'node:http';
import { SETTING_DEFAULTS } from '../core/config/schema';
import { FileReadError, formatBytes, readBoundedFile } from './bounded-file';
import { createHttpClient } from './http/http-client';
import { MAX_PAGE_REDIRECTS } from './http/prober';
import type { PrivateNetworkPolicy, Resolver } from './http/ssrf';
import { SITEMAP_LIMITS, SitemapError, type LoadedSitemap, type LoadSitemap } from './sitemap';

export const SITEMAP_TIMEOUT_MS = 30_000;

const tooLarge = (where: string, maxBytes: number) =>
  new SitemapError(
    `${where} is larger than ${formatBytes(maxBytes)}, the sitemaps protocol's limit for one sitemap; split it`,
  );

export interface SitemapLoaderOptions {
  /** Which origins may be fetched at a private address (configured sites with the opt-in; --allow-private-network). */
  privateNetwork: PrivateNetworkPolicy;
  resolve?: Resolver;
  timeoutMs?: number;
  maxBytes?: number;
}

export interface SitemapLoader {
  load: LoadSitemap;
  close(): Promise<void>;
}

/** Fetches http(s) URLs (2xx only, within the deadline and the cap) and reads anything else as a file. */
export function createSitemapLoader(options: SitemapLoaderOptions): SitemapLoader {
  const http = createHttpClient({ resolve: options.resolve, connectionsPerOrigin: 2 });
  const timeoutMs = options.timeoutMs ?? SITEMAP_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? SITEMAP_LIMITS.maxBytes;

  async function fetchSitemap(url: string): Promise<LoadedSitemap> {
    const { observation, data } = await http.attemptBytes({
      url,
      userAgent: SETTING_DEFAULTS.userAgent,
      timeoutMs,
      maxRedirects: MAX_PAGE_REDIRECTS,
      maxBodyBytes: maxBytes,
      privateNetwork: options.privateNetwork,
    });
    if (observation.kind === 'failure') {
      const hint =
        observation.failure === 'blocked'
          ? '; import-sitemap reaches a private address only for a site with allowPrivateNetwork: true, or with --allow-private-network'
          : '';
      throw new SitemapError(`cannot fetch ${url}: ${observation.error}${hint}`);
    }
    if (observation.status < 200 || observation.status > 299) {
      const reason = STATUS_CODES[observation.status];
      throw new SitemapError(
        `${url} answered HTTP ${observation.status}${reason ? ` ${reason}` : ''}; a sitemap must answer 2xx`,
      );
    }
    if (observation.truncated) throw tooLarge(url, maxBytes);
    return { bytes: data ?? new Uint8Array(), finalUrl: observation.finalUrl };
  }

  return {
    load: async (location) =>
      /^https?:\/\//i.test(location)
        ? fetchSitemap(location)
        : { bytes: readSitemapFile(location, maxBytes), finalUrl: null },
    close: () => http.close(),
  };
}

export function readSitemapFile(path: string, maxBytes = SITEMAP_LIMITS.maxBytes): Uint8Array {
  try {
    return readBoundedFile(path, {
      maxBytes,
      tooLargeAdvice: "the sitemaps protocol's limit for one sitemap; split it",
    }).bytes;
  } catch (error) {
    throw error instanceof FileReadError ? new SitemapError(error.message, { cause: error }) : error;
  }
}
