/** Monitored sites on 127.0.0.1, each answering what the scenario sets, and counting what it was asked. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Answer {
  status: number;
  body?: string;
  /** Hold each request until this many are waiting, then answer them all: proves two passes overlapped. */
  together?: number;
}

const HEALTHY: Answer = { status: 200, body: '<!doctype html><title>ok</title><p>ok</p>' };
export const ROBOTS_TXT = 'User-agent: *\nDisallow: /private/\n';

export class Site {
  /** Paths requested, in order. */
  readonly requests: string[] = [];
  private readonly answers = new Map<string, Answer>();
  private waiting: { answer: Answer; res: ServerResponse }[] = [];

  private constructor(private readonly server: ReturnType<typeof createServer>) {}

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  static async start(): Promise<Site> {
    let site: Site | undefined;
    const server = createServer((req, res) => site!.handle(req, res));
    site = new Site(server);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return site;
  }

  /** What `paths` answer from now on (every path when none is given); robots.txt has its own. */
  answer(answer: Answer, ...paths: string[]): void {
    for (const path of paths.length > 0 ? paths : ['*']) this.answers.set(path, answer);
  }

  healthy(): void {
    this.answers.clear();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', this.origin).pathname;
    this.requests.push(path);
    const answer =
      this.answers.get(path) ??
      (path === '/robots.txt' ? undefined : this.answers.get('*')) ??
      (path === '/robots.txt' ? { status: 200, body: ROBOTS_TXT } : HEALTHY);
    if (!answer.together) return send(res, answer);
    this.waiting.push({ answer, res });
    if (this.waiting.length < answer.together) return;
    for (const held of this.waiting.splice(0)) send(held.res, held.answer);
  }

  async close(): Promise<void> {
    for (const held of this.waiting.splice(0)) send(held.res, { status: 503 });
    this.server.closeAllConnections();
    await new Promise((done) => this.server.close(done));
  }
}

function send(res: ServerResponse, answer: Answer): void {
  const body = answer.body ?? (answer.status >= 500 ? 'Service Unavailable' : '');
  res
    .writeHead(answer.status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) })
    .end(body);
}
