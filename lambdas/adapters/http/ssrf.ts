/**
 * SSRF guard: a monitor that fetches whatever URL a config names must not become a way into the
 * network it runs in (169.254.169.254 is the Lambda/EC2 credentials endpoint). The check runs on the
 * address actually connected to, inside the socket's DNS lookup, so DNS rebinding cannot slip past it.
 */
import { promises as dns, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Starts the message of every refusal. The prober recognises a refusal by it: the error crosses
 * Node's socket internals, which may re-wrap it (in jest's VM context they turn it into a string).
 */
export const BLOCKED_MARKER = 'SSRF guard refused';

/** A connection our guard refused; the prober reports it as outcome `blocked`. */
export class BlockedAddressError extends Error {
  readonly code = 'CRAWLGUARD_BLOCKED';
  constructor(host: string, address: string) {
    super(`${BLOCKED_MARKER} ${host === address ? host : `${host} (${address})`}: loopback, private and link-local addresses need allowPrivateNetwork: true on the site`);
  }
}

/** Only globally routable unicast addresses are public; IPv4-mapped IPv6 is judged as the IPv4 it carries. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

/** Host name → addresses. Injectable so tests and the demo can map names without touching real DNS. */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** An error message when the URL's host is an IP literal the guard refuses (the lookup hook never sees those). */
export function literalHostRefusal(url: URL, allowPrivateNetwork: boolean): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (allowPrivateNetwork || !ipaddr.isValid(host) || isPublicAddress(host)) return null;
  return new BlockedAddressError(url.hostname, host).message;
}

/** A `lookup` for net/tls.connect that resolves with `resolve` and refuses non-public addresses. */
export function guardedLookup(resolve: Resolver, allowPrivateNetwork: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then((found) => {
      const family = typeof options.family === 'number' && options.family !== 0 ? options.family : undefined;
      const addresses = family ? found.filter((a) => a.family === family) : found;
      if (addresses.length === 0) {
        callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname }), '', 4);
        return;
      }
      const refused = allowPrivateNetwork ? undefined : addresses.find((a) => !isPublicAddress(a.address));
      if (refused) {
        callback(new BlockedAddressError(hostname, refused.address), '', 4);
        return;
      }
      if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    }, (error: NodeJS.ErrnoException) => callback(error, '', 4));
  };
}
