import type { LookupAddress } from 'node:dns';
import { guardedLookup, isPublicAddress, literalHostRefusal } from '../../../lambdas/adapters/http/ssrf';

describe('isPublicAddress', () => {
  test.each<[string, boolean]>([
    ['93.184.216.34', true],
    ['2606:2800:220:1:248:1893:25c8:1946', true],
    ['127.0.0.1', false], // loopback
    ['10.0.0.8', false], // private
    ['172.16.5.4', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false], // link-local: the cloud metadata endpoint
    ['100.64.0.1', false], // carrier-grade NAT
    ['0.0.0.0', false],
    ['::1', false],
    ['fd00::1', false], // unique-local
    ['fe80::1', false], // link-local
    ['::ffff:127.0.0.1', false], // IPv4-mapped loopback
    ['::ffff:8.8.8.8', true],
    ['not an address', false],
  ])('%s → %s', (address, expected) => expect(isPublicAddress(address)).toBe(expected));
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
      guardedLookup(async () => addresses, allow)('host.test', { all }, (error: NodeJS.ErrnoException | null, address: unknown) => done({ error, result: address }));
    });

  test('passes public addresses through, in both callback forms', async () => {
    const addresses = [{ address: '93.184.216.34', family: 4 }];
    expect(await lookup(addresses, false, true)).toEqual({ error: null, result: addresses });
    expect(await lookup(addresses, false, false)).toEqual({ error: null, result: '93.184.216.34' });
  });

  test('refuses a name if any of its addresses is private (no picking the public one to slip through)', async () => {
    const { error } = await lookup([{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.1', family: 4 }], false, true);
    expect(error?.message).toMatch(/^SSRF guard refused host.test \(10.0.0.1\)/);
  });

  test('allows private addresses when opted in', async () => {
    expect((await lookup([{ address: '127.0.0.1', family: 4 }], true, false)).result).toBe('127.0.0.1');
  });
});
