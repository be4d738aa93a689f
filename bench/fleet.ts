/**
 * The benchmark's target fleet, in its own process so its CPU is not counted against any client:
 * `origins` HTTP servers on 127.0.0.1, each serving `/p<i>` pages (about 2 KB), a few answering 500 and
 * a few hanging, and a robots.txt. Prints one JSON line with the ports, then serves until killed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface FleetSpec {
  origins: number;
  /** Share of pages that answer 500 and that never answer. */
  errorShare: number;
  hangShare: number;
}

const PAGE = `<!doctype html><html><head><title>Product</title></head><body>${'<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>'.repeat(30)}</body></html>`;

/** Whether page `i` misbehaves: spread evenly, the same on every run. */
export function pageKind(i: number, spec: FleetSpec): 'ok' | 'error' | 'hang' {
  const hangEvery = spec.hangShare > 0 ? Math.round(1 / spec.hangShare) : 0;
  const errorEvery = spec.errorShare > 0 ? Math.round(1 / spec.errorShare) : 0;
  if (hangEvery && i % hangEvery === hangEvery - 1) return 'hang';
  if (errorEvery && i % errorEvery === Math.floor(errorEvery / 2)) return 'error';
  return 'ok';
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]!) as FleetSpec;
  const sockets = new Set<Socket>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    if (path === '/robots.txt')
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private/\n');
    const i = Number(/^\/p(\d+)/.exec(path)?.[1] ?? -1);
    const kind = i < 0 ? 'ok' : pageKind(i, spec);
    if (kind === 'hang') return; // never answers
    if (kind === 'error')
      return void res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Internal Server Error</h1>');
    res.writeHead(200, { 'content-type': 'text/html', 'x-request-id': `r${i}` }).end(PAGE);
  };
  const ports: number[] = [];
  for (let o = 0; o < spec.origins; o += 1) {
    const server = createServer({ keepAliveTimeout: 30_000 }, handler);
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });
    server.maxConnections = 10_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', 4096, resolve));
    ports.push((server.address() as { port: number }).port);
  }
  process.stdout.write(`${JSON.stringify({ ports })}\n`);
}

if (require.main === module) void main();
