/**
 * SSRF guard: a monitor that fetches whatever URL a config names must not become a way into the
 * network it runs in (169.254.169.254 is the Lambda/EC2 credentials endpoint). The check runs on the
 * address actually connected to, inside the socket's DNS lookup, so DNS rebinding cannot slip past it.
 * Whether a private address may be used is decided per request hop, by the hop's own origin.
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
    super(
      `${BLOCKED_MARKER} ${host === address ? host : `${host} (${address})`}, a loopback, private or link-local address`,
    );
  }
}

/**
 * Whether a request hop may connect to a private address, decided by the hop's own origin (the first
 * URL's, then each redirect target's): a redirect must not carry a site's opt-in to another origin.
 */
export type PrivateNetworkPolicy = (origin: string) => boolean;

export const noPrivateNetwork: PrivateNetworkPolicy = () => false;

export const privateNetworkOn = (origins: Iterable<string>): PrivateNetworkPolicy => {
  const allowed = new Set(origins);
  return (origin) => allowed.has(origin);
};

/** What to do about a refusal at `hop`, the URL of a request that started at `start`. */
export function refusalAdvice(start: URL, hop: URL, policy: PrivateNetworkPolicy): string {
  if (hop.origin === start.origin || !policy(start.origin))
    return 'loopback, private and link-local addresses need allowPrivateNetwork: true on the site';
  return `the redirect left ${start.origin} for ${hop.origin}, which is not a configured site with allowPrivateNetwork: true`;
}

const ipv4At = (bytes: number[], at: number) => new ipaddr.IPv4(bytes.slice(at, at + 4));
const zeros = (bytes: number[], from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);

/**
 * The IPv4 addresses an IPv6 address carries, for the forms that reach an IPv4 host: IPv4-compatible
 * (::a.b.c.d, RFC 4291 2.5.5.1), IPv4-mapped (::ffff:a.b.c.d) and IPv4-translated (::ffff:0:a.b.c.d,
 * RFC 6145), NAT64's well-known prefix (64:ff9b::/96, RFC 6052), 6to4 (2002::/16, RFC 3056, bits 16-47)
 * and Teredo (2001::/32, RFC 4380: the server at bits 32-63 and the client, inverted, in the last 32).
 * Null for every other address.
 */
export function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4[] | null {
  const b = address.toByteArray();
  if (zeros(b, 0, 12)) return [ipv4At(b, 12)];
  if (zeros(b, 0, 10) && b[10] === 0xff && b[11] === 0xff) return [ipv4At(b, 12)];
  if (zeros(b, 0, 8) && b[8] === 0xff && b[9] === 0xff && zeros(b, 10, 12)) return [ipv4At(b, 12)];
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(b, 4, 12)) return [ipv4At(b, 12)];
  if (b[0] === 0x20 && b[1] === 0x02) return [ipv4At(b, 2)];
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x00 && b[3] === 0x00) {
    return [ipv4At(b, 4), new ipaddr.IPv4(b.slice(12).map((x) => x ^ 0xff))];
  }
  return null;
}

/**
 * Only globally routable unicast addresses are public. An IPv6 form that carries an IPv4 address is
 * as public as every IPv4 address it carries (an IPv6-only network with DNS64 reaches each IPv4-only
 * site through 64:ff9b::/96, and ::ffff:169.254.169.254 is the metadata endpoint). The local-use NAT64
 * prefix 64:ff9b:1::/48 (RFC 8215) is private by definition.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.range() === 'unicast';
  const v6 = parsed as ipaddr.IPv6;
  if (v6.match(ipaddr.IPv6.parse('64:ff9b:1::'), 48)) return false;
  const carried = embeddedIPv4(v6);
  if (carried) return carried.every((v4) => v4.range() === 'unicast');
  return v6.range() === 'unicast';
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
    resolve(hostname).then(
      (found) => {
        const family = typeof options.family === 'number' && options.family !== 0 ? options.family : undefined;
        const addresses = family ? found.filter((a) => a.family === family) : found;
        if (addresses.length === 0) {
          callback(
            Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname }),
            '',
            4,
          );
          return;
        }
        const refused = allowPrivateNetwork ? undefined : addresses.find((a) => !isPublicAddress(a.address));
        if (refused) {
          callback(new BlockedAddressError(hostname, refused.address), '', 4);
          return;
        }
        if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };
}
