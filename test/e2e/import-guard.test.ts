/**
 * `import-sitemap` as a user runs it (the spawned command): sitemaps with entities are input errors in
 * one line (exit 2, never "internal error"); a loopback sitemap is fetched only with the site's opt-in or
 * --allow-private-network; other hosts' URLs are skipped and reported, never added as a new site.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { behave, startSite, type RunningSite } from '../../demo/site';
import { runCli } from '../support/cli';
import { tempDir } from '../support/store';

let site: RunningSite;
let dir: ReturnType<typeof tempDir>;
const CONFIG = 'version: 1\nsites:\n  - origin: https://www.example.com\n';

beforeAll(async () => {
  site = await startSite({});
  const urlset = (...locs: string[]) => `<urlset>${locs.map((l) => `<url><loc>${l}</loc></url>`).join('')}</urlset>`;
  site.route('/sitemap.xml', (_req, res) =>
    res
      .writeHead(200, { 'content-type': 'application/xml' })
      .end(urlset(`${site.origin}/a`, 'https://victim.example/x', 'http://169.254.169.254/latest/meta-data/')),
  );
  site.route('/redirected.xml', behave.redirect(`http://localhost:${site.port}/sitemap.xml`));
  dir = tempDir();
});
afterAll(async () => {
  await site.close();
  dir.cleanup();
});

const config = () => {
  const path = join(dir.path, `monitors-${Math.random()}.yaml`);
  writeFileSync(path, CONFIG);
  return path;
};

test.each<[string, string, RegExp]>([
  [
    'an external entity',
    '<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<urlset><url><loc>https://www.example.com/&xxe;</loc></url></urlset>',
    /has a DOCTYPE \(line 1\)/,
  ],
  [
    'an entity reference',
    '<urlset><url><loc>https://www.example.com/&lol9;</loc></url></urlset>',
    /uses the entity &lol9; \(line 1\)/,
  ],
])('%s: exit 2, one line, nothing added', async (_name, xml, message) => {
  const file = join(dir.path, 'entity.xml');
  writeFileSync(file, xml);
  const path = config();
  const run = await runCli(['import-sitemap', file, '--config', path]);
  expect(run.code).toBe(2);
  expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
  expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(readFileSync(path, 'utf8')).toBe(CONFIG);
});

test('a loopback sitemap: refused without an opt-in; with --allow-private-network only its host is taken, and only that origin is fetched', async () => {
  const path = config();
  const refused = await runCli(['import-sitemap', `${site.origin}/sitemap.xml`, '--config', path]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/^cannot fetch .*SSRF guard refused 127\.0\.0\.1.*--allow-private-network\n$/);
  const redirected = await runCli([
    'import-sitemap',
    `${site.origin}/redirected.xml`,
    '--allow-private-network',
    '--config',
    path,
  ]);
  expect(redirected.code).toBe(2);
  expect(redirected.stderr).toMatch(
    /SSRF guard refused localhost \(127\.0\.0\.1\).*the redirect left http:\/\/127\.0\.0\.1:\d+ for http:\/\/localhost:\d+/,
  );
  const allowed = await runCli([
    'import-sitemap',
    `${site.origin}/sitemap.xml`,
    '--allow-private-network',
    '--config',
    path,
  ]);
  expect(allowed.code).toBe(0);
  const written = readFileSync(path, 'utf8');
  expect(written).toContain(`  - origin: ${site.origin}\n    urls:\n      - /a\n`);
  expect(written).not.toMatch(/victim|169\.254/);
  expect(allowed.stdout).toContain('skipped 2 entries not taken:');
  expect(allowed.stdout).toContain(
    `note: ${site.origin} is a loopback or private address: add allowPrivateNetwork: true to its site to check it`,
  );
});
