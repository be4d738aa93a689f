/**
 * Chaos: hostile targets on loopback. Each is classified, the pass ends on time and memory stays bounded.
 * (npm run test:chaos runs this folder alone; npm test runs it too.)
 */
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createProber, type Prober } from '../../lambdas/adapters/http/prober';
import { LocalNotifier } from '../../lambdas/adapters/notify/local-notifier';
import { parseMonitorsConfig } from '../../lambdas/core/config/parse';
import { runPass } from '../../lambdas/handlers/pass';
import { behave, startSite, type RunningSite } from '../../demo/site';
import { tempStore } from '../support/store';

/** A raw TCP server: for answers no HTTP server library would send. */
async function rawServer(onSocket: (socket: Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

let site: RunningSite;
let raw: Awaited<ReturnType<typeof rawServer>>[];
let local: Awaited<ReturnType<typeof tempStore>>;
let prober: Prober;

beforeAll(async () => {
  site = await startSite({
    '/silence': (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).flushHeaders(),
    '/drip': behave.drip(1000),
    '/gigabyte': behave.huge(1024 ** 3),
    '/gzip-bomb': behave.gzipBomb(100 * 1024 * 1024),
    '/loop': behave.redirect('/loop2'),
    '/loop2': behave.redirect('/loop'),
    '/reset': behave.resetMidBody(),
  });
  raw = [
    await rawServer((s) => s.once('data', () => s.write('HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\nok'))), // malformed status line
    await rawServer(() => undefined), // TLS handshake that never answers
    await rawServer((s) =>
      s.once('data', () => {
        const headers = Array.from({ length: 10_000 }, (_, i) => `X-Header-${i}: value-${i}\r\n`).join('');
        s.end(`HTTP/1.1 200 OK\r\n${headers}Content-Length: 2\r\n\r\nok`);
      }),
    ),
  ];
  local = await tempStore();
  prober = createProber({ concurrency: 20, perOriginConcurrency: 10 });
});

afterAll(async () => {
  await prober.close();
  await local.cleanup();
  await site.close();
  await Promise.all(raw.map((r) => r.close()));
});

test('every hostile answer is classified, inside the deadline, with bounded memory', async () => {
  const [malformed, stalledTls, headerFlood] = raw.map((r) => r.port);
  const config = parseMonitorsConfig(
    'monitors.yaml',
    [
      'version: 1',
      'defaults: { timeout: 2s, retries: 1, retryBackoff: 100ms, interval: 5s }',
      'sites:',
      `  - origin: ${site.origin}`,
      '    allowPrivateNetwork: true',
      '    robots: false',
      '    urls: [/silence, /drip, /gigabyte, /gzip-bomb, /loop, /reset]',
      ...[
        [malformed, 'http'],
        [stalledTls, 'https'],
        [headerFlood, 'http'],
      ].map(
        ([port, scheme]) =>
          `  - origin: ${scheme}://127.0.0.1:${port}\n    allowPrivateNetwork: true\n    robots: false`,
      ),
    ].join('\n'),
    () => '',
  );
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const report = await runPass({ prober, store: local.store, notifier: new LocalNotifier(local.dataDir) }, config, {
    shardId: 'chaos',
  });
  const elapsedMs = performance.now() - started;

  expect(
    Object.fromEntries(
      report.results.map((r) => [
        r.url.replace(/^https?:\/\/127\.0\.0\.1:\d+/, r.url.startsWith('https') ? 'https' : ''),
        [r.outcome, r.status],
      ]),
    ),
  ).toEqual({
    '/silence': ['timeout', 200], // headers, then nothing
    '/drip': ['timeout', 200], // one byte a second
    '/gigabyte': ['ok', 200], // read up to 256 KiB, then the rest is refused
    '/gzip-bomb': ['ok', 200], // inflated only up to 256 KiB
    '/loop': ['too_many_redirects', 301],
    '/reset': ['reset', 200],
    '/': ['reset', null], // the malformed status line
    'https/': ['timeout', null], // the TLS handshake that never answers
  });
  expect(report.results.find((r) => r.url === `http://127.0.0.1:${headerFlood}/`)).toMatchObject({
    outcome: 'reset',
    status: null,
  });
  expect(report.results.find((r) => r.url.endsWith('/gigabyte'))).toMatchObject({ bytes: 256 * 1024, truncated: true });
  // Pass budget: 90% of the 5 s interval. Each timeout is 2 s, and one retry fits: no check stretches it.
  expect(elapsedMs).toBeLessThan(4_500 + 1_000);
  // A gigabyte and a 100 MB bomb cost at most their caps (plus everything else the pass allocates).
  expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
});
