import type { LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { embeddedIPv4, guardedLookup, isPublicAddress, literalHostRefusal } from '../../../lambdas/adapters/http/ssrf';

/**
 * Every address form the guard decides, with its verdict and why. Forms that carry an IPv4 address are
 * decided by the address they carry (README, "SSRF guard").
 */
const ADDRESS_FORMS: [string, boolean, string][] = [
  ['93.184.216.34', true, 'public IPv4'],
  ['8.8.8.8', true, 'public IPv4'],
  ['2606:2800:220:1:248:1893:25c8:1946', true, 'global unicast IPv6'],
  ['127.0.0.1', false, 'loopback'],
  ['127.255.255.254', false, 'loopback: all of 127/8'],
  ['10.0.0.8', false, 'private'],
  ['172.16.5.4', false, 'private'],
  ['192.168.1.1', false, 'private'],
  ['169.254.169.254', false, 'link-local: the cloud metadata endpoint'],
  ['100.64.0.1', false, 'carrier-grade NAT'],
  ['0.0.0.0', false, 'unspecified: connects to this host'],
  ['0.1.2.3', false, '"this network"'],
  ['192.0.2.1', false, 'documentation'],
  ['198.18.0.1', false, 'benchmarking'],
  ['240.0.0.1', false, 'reserved'],
  ['255.255.255.255', false, 'broadcast'],
  ['224.0.0.1', false, 'multicast'],
  ['::', false, 'unspecified'],
  ['::1', false, 'loopback'],
  ['fd00::1', false, 'unique-local'],
  ['fe80::1', false, 'link-local'],
  ['fec0::1', false, 'deprecated site-local'],
  ['ff02::1', false, 'multicast'],
  ['2001:db8::1', false, 'documentation'],
  ['100::1', false, 'discard'],
  // IPv4-compatible (deprecated, RFC 4291): decided by the IPv4 address in the last 32 bits.
  ['::7f00:1', false, 'IPv4-compatible 127.0.0.1'],
  ['::a9fe:a9fe', false, 'IPv4-compatible 169.254.169.254'],
  ['::808:808', true, 'IPv4-compatible 8.8.8.8'],
  // IPv4-mapped and IPv4-translated.
  ['::ffff:127.0.0.1', false, 'IPv4-mapped loopback'],
  ['::ffff:a9fe:a9fe', false, 'IPv4-mapped metadata endpoint'],
  ['::ffff:8.8.8.8', true, 'IPv4-mapped public'],
  ['::ffff:0:10.0.0.1', false, 'IPv4-translated private'],
  ['::ffff:0:8.8.8.8', true, 'IPv4-translated public'],
  // NAT64 (RFC 6052): an IPv6-only network with DNS64 reaches every IPv4-only site this way.
  ['64:ff9b::8.8.8.8', true, 'NAT64 of a public address'],
  ['64:ff9b::127.0.0.1', false, 'NAT64 of loopback'],
  ['64:ff9b::a9fe:a9fe', false, 'NAT64 of the metadata endpoint'],
  ['64:ff9b:1::808:808', false, 'local-use NAT64 prefix (RFC 8215)'],
  // 6to4 (RFC 3056): the IPv4 address in bits 16-47.
  ['2002:808:808::1', true, '6to4 of a public address'],
  ['2002:7f00:1::1', false, '6to4 of loopback'],
  ['2002:a9fe:a9fe::1', false, '6to4 of the metadata endpoint'],
  // Teredo (RFC 4380): server in bits 32-63, client (inverted) in the last 32; both must be public.
  ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', true, 'Teredo: server 65.54.227.120, client 8.8.8.8'],
  ['2001:0:4136:e378:8000:63bf:80ff:fffe', false, 'Teredo: client 127.0.0.1'],
  ['2001:0:a9fe:a9fe:8000:63bf:f7f7:f7f7', false, 'Teredo: server 169.254.169.254'],
  ['not an address', false, 'not an address'],
];

describe('isPublicAddress: every form with its verdict', () => {
  test.each(ADDRESS_FORMS)('%s → public %s (%s)', (address, expected) =>
    expect(isPublicAddress(address)).toBe(expected),
  );
});

describe('embeddedIPv4', () => {
  test.each<[string, string[] | null]>([
    ['::7f00:1', ['127.0.0.1']],
    ['::ffff:a9fe:a9fe', ['169.254.169.254']],
    ['64:ff9b::a00:1', ['10.0.0.1']],
    ['2002:c0a8:101::1', ['192.168.1.1']],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', ['65.54.227.120', '127.0.0.1']],
    ['2606:2800:220:1::1', null],
  ])('%s carries %j', (address, carried) => {
    expect(embeddedIPv4(ipaddr.IPv6.parse(address))?.map(String) ?? null).toEqual(carried);
  });
});

describe('IP-literal URLs as the URL parser spells them', () => {
  test.each<[string, boolean]>([
    ['http://127.0.0.1/', true],
    ['http://127.1/', true],
    ['http://2130706433/', true],
    ['http://0x7f000001/', true],
    ['http://0177.0.0.1/', true],
    ['http://0.0.0.0/', true],
    ['http://[::1]/', true],
    ['http://[::127.0.0.1]/', true],
    ['http://[::169.254.169.254]/', true],
    ['http://[::a9fe:a9fe]/', true],
    ['http://[::ffff:127.0.0.1]/', true],
    ['http://[0:0:0:0:0:ffff:7f00:1]/', true],
    ['http://[64:ff9b::169.254.169.254]/', true],
    ['http://[2002:7f00:1::]/', true],
    ['http://[64:ff9b::8.8.8.8]/', false],
    ['http://[2002:808:808::1]/', false],
    ['http://93.184.216.34/', false],
  ])('%s refused: %s', (url, refused) => expect(literalHostRefusal(new URL(url), false) !== null).toBe(refused));
});

describe('literalHostRefusal', () => {
  test.each<[string, boolean, boolean]>([
    ['http://127.0.0.1/', false, true],
    ['http://[::1]/', false, true],
    ['http://2130706433/', false, true], // the URL parser turns this into 127.0.0.1
    ['http://127.0.0.1/', true, false], // opted in
    ['http://93.184.216.34/', false, false],
    ['http://www.example.com/', false, false], // names are checked at connect time, by the lookup
  ])('%s (allowPrivateNetwork %s) refused: %s', (url, allow, refused) => {
    expect(literalHostRefusal(new URL(url), allow) !== null).toBe(refused);
  });
});

describe('guardedLookup', () => {
  const lookup = (addresses: LookupAddress[], allow: boolean, all: boolean) =>
    new Promise<{ error: Error | null; result: unknown }>((done) => {
      guardedLookup(async () => addresses, allow)(
        'host.test',
        { all },
        (error: NodeJS.ErrnoException | null, address: unknown) => done({ error, result: address }),
      );
    });

  test('passes public addresses through, in both callback forms', async () => {
    const addresses = [{ address: '93.184.216.34', family: 4 }];
    expect(await lookup(addresses, false, true)).toEqual({ error: null, result: addresses });
    expect(await lookup(addresses, false, false)).toEqual({ error: null, result: '93.184.216.34' });
  });

  test('refuses a name if any of its addresses is private (no picking the public one to slip through)', async () => {
    const { error } = await lookup(
      [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.1', family: 4 },
      ],
      false,
      true,
    );
    expect(error?.message).toMatch(/^SSRF guard refused host.test \(10.0.0.1\)/);
  });

  test('allows private addresses when opted in', async () => {
    expect((await lookup([{ address: '127.0.0.1', family: 4 }], true, false)).result).toBe('127.0.0.1');
  });
});
