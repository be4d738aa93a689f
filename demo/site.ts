/**
 * A small website on 127.0.0.1 whose pages misbehave on purpose: the demo runs crawlguard against it
 * and the tests use it as a real HTTP(S) server for every outcome. Routes can be swapped while it runs.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export type Route = (request: IncomingMessage, response: ServerResponse) => void;

/** Route behaviours, each named for what a monitor sees. */
export const behave = {
  ok:
    (body = '<!doctype html><title>ok</title><p>ok</p>', headers: Record<string, string> = {}): Route =>
    (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html', ...headers }).end(body),
  status:
    (status: number, body = '', headers: Record<string, string> = {}): Route =>
    (_req, res) =>
      res.writeHead(status, { 'content-type': 'text/html', ...headers }).end(body),
  text:
    (body: string, status = 200): Route =>
    (_req, res) =>
      res.writeHead(status, { 'content-type': 'text/plain' }).end(body),
  redirect:
    (location: string, status = 301): Route =>
    (_req, res) =>
      res.writeHead(status, { location }).end(),
  /** Accepts the request and never answers. */
  hang: (): Route => () => undefined,
  /** Sends headers, then one byte every `everyMs`, forever. */
  drip:
    (everyMs: number): Route =>
    (req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('.'), everyMs);
      req.socket.once('close', () => clearInterval(timer));
    },
  /** Sends headers and part of a body, then resets the connection. */
  resetMidBody: (): Route => (req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100000' });
    res.write('partial body…', () => req.socket.resetAndDestroy());
  },
  /** Resets the connection before any response. */
  resetAtOnce: (): Route => (req) => req.socket.resetAndDestroy(),
  /** A body of `bytes` bytes, streamed. */
  huge:
    (bytes: number, chunk = 'x'.repeat(64 * 1024)): Route =>
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      let sent = 0;
      const more = () => {
        while (sent < bytes) {
          const part = chunk.slice(0, Math.min(chunk.length, bytes - sent));
          sent += part.length;
          if (!res.write(part)) return void res.once('drain', more);
        }
        res.end();
      };
      more();
    },
  /** A small gzip body that inflates to `bytes`. */
  gzipBomb: (bytes: number): Route => {
    const packed = gzipSync(Buffer.alloc(bytes, 'a'));
    return (_req, res) => res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }).end(packed);
  },
  /** Raw bytes that are not HTTP. */
  garbage: (): Route => (req) => req.socket.end('HTTP/1.1 ABC not a status\r\n\r\n'),
};

/** A 500 page that leaks what production must hide: a stack trace, a path, SQL and a version banner. */
export const LEAKY_500 = [
  '<h1>Internal Server Error</h1><pre>',
  "PDOException: SQLSTATE[42S02]: Base table or view not found: SELECT id, title FROM posts WHERE slug = 'x'",
  'Stack trace:',
  '#0 /var/www/html/app/Post.php(42): PDO->query()',
  '#1 {main}',
  '</pre><address>Apache/2.4.41 (Ubuntu) Server at 127.0.0.1</address>',
].join('\n');

export interface RunningSite {
  origin: string;
  port: number;
  /** Replace (or add) the behaviour of a path while the site runs. */
  route(path: string, behaviour: Route): void;
  /** What paths without a route get (a 404 unless set). */
  fallback(behaviour: Route): void;
  /** Requests seen per path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

const TLS_DIR = join(__dirname, 'tls');

/**
 * Starts a site on a free port of a loopback address (127.0.0.1 unless `host` names another, such as
 * 127.0.0.2 or ::1); unknown paths answer 404. `tls` serves the self-signed certificate.
 */
export async function startSite(
  routes: Record<string, Route>,
  { tls = false, host = '127.0.0.1' } = {},
): Promise<RunningSite> {
  const table = new Map(Object.entries(routes));
  const hits = new Map<string, number>();
  let otherwise: Route = behave.status(404, 'not found');
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    (table.get(path) ?? otherwise)(req, res);
  };
  const server: Server = tls
    ? createHttpsServer(
        { key: readFileSync(join(TLS_DIR, 'self-signed.key')), cert: readFileSync(join(TLS_DIR, 'self-signed.crt')) },
        handler,
      )
    : createHttpServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    route: (path, behaviour) => void table.set(path, behaviour),
    fallback: (behaviour) => void (otherwise = behaviour),
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
