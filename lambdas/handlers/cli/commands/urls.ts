/**
 * `crawlguard add`, `remove`, `list` and `import-sitemap`: the URL list of monitors.yaml, edited in place.
 * The edits themselves are pure (core/config/edit): comments and layout stay, and the edited text is
 * validated before it is written, atomically.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { addUrls, isAbsoluteUrl, listUrls, removeUrls, resolveInput, type UrlRef } from '../../../core/config/edit';
import { normaliseOrigin } from '../../../core/config/resolve';
import { readConfigForEdit, writeConfigAtomically } from '../../../adapters/config-write';
import { privateNetworkOn, type Resolver } from '../../../adapters/http/ssrf';
import { readSitemaps, SITEMAP_LIMITS, SitemapError } from '../../../adapters/sitemap';
import { createSitemapLoader, SITEMAP_TIMEOUT_MS } from '../../../adapters/sitemap-source';
import { parseMonitorsConfig } from '../../../core/config/parse';
import { EXIT, UsageError } from '../errors';
import type { Io } from '../io';
import { renderAdd, renderImport, renderList, renderRemove } from './urls-report';

/** Every input resolved, or one UsageError naming each bad one: a typo must not half-apply a command. */
function resolveAll(inputs: readonly string[], resolve: (input: string) => UrlRef | { error: string }): UrlRef[] {
  const resolved = inputs.map(resolve);
  const errors = resolved.flatMap((r) => ('error' in r ? [r.error] : []));
  if (errors.length > 0) throw new UsageError(errors.join('\n'));
  return resolved as UrlRef[];
}

export function addCommand(inputs: readonly string[], options: { config: string; site?: string }, io: Io): number {
  if (options.site !== undefined) {
    const origin = normaliseOrigin(options.site);
    if (typeof origin !== 'string') throw new UsageError(`--site: ${origin.error}`);
  }
  const refs = resolveAll(inputs, (input) => resolveInput(input, options.site));
  const config = readConfigForEdit(options.config);
  const result = addUrls(config.path, config.text, refs, config.readRelative);
  if (result.added.length > 0) writeConfigAtomically(config, result.text);
  renderAdd(io, config.path, result);
  return EXIT.ok;
}

export function removeCommand(inputs: readonly string[], options: { config: string }, io: Io): number {
  const config = readConfigForEdit(options.config);
  const origins = listUrls(config.path, config.text, config.readRelative).map((s) => s.origin);
  // A path is unambiguous only when there is one site to resolve it against.
  const refs = resolveAll(inputs, (input) =>
    isAbsoluteUrl(input) || origins.length === 1
      ? resolveInput(input, isAbsoluteUrl(input) ? undefined : origins[0])
      : {
          error: `${JSON.stringify(input)} is a path and ${config.path} has ${origins.length} sites: give the absolute URL`,
        },
  );
  const result = removeUrls(config.path, config.text, refs, config.readRelative);
  if (result.removed.length > 0) writeConfigAtomically(config, result.text);
  renderRemove(io, config.path, result);
  return result.removed.length > 0 ? EXIT.ok : EXIT.unhealthy;
}

export function listCommand(options: { config: string; json?: boolean }, io: Io): number {
  const config = readConfigForEdit(options.config);
  renderList(io, listUrls(config.path, config.text, config.readRelative), Boolean(options.json));
  return EXIT.ok;
}

export interface ImportOptions {
  config: string;
  limit?: number;
  sample?: number;
  /** Let the sitemap's own origin (the one given) be fetched at a private address. */
  allowPrivateNetwork?: boolean;
  /** Tests map host names without real DNS. */
  resolve?: Resolver;
}

/**
 * Private addresses only for origins that are configured sites with allowPrivateNetwork, and for the
 * sitemap's own origin with --allow-private-network; never for a redirect or a child elsewhere.
 */
function sitemapPrivateNetwork(source: string, configuredOrigins: readonly string[], flag: boolean) {
  const given = /^https?:\/\//i.test(source) && URL.canParse(source) ? [new URL(source).origin] : [];
  return privateNetworkOn([...configuredOrigins, ...(flag ? given : [])]);
}

export async function importSitemapCommand(source: string, options: ImportOptions, io: Io): Promise<number> {
  // A broken config fails now, not after a long download.
  const before = readConfigForEdit(options.config);
  const { privateNetworkOrigins } = parseMonitorsConfig(before.path, before.text, before.readRelative);
  const loader = createSitemapLoader({
    privateNetwork: sitemapPrivateNetwork(source, privateNetworkOrigins, Boolean(options.allowPrivateNetwork)),
    resolve: options.resolve,
  });
  let found;
  try {
    found = await readSitemaps(source, loader.load);
  } catch (error) {
    if (error instanceof SitemapError) throw new UsageError(error.message);
    throw error;
  } finally {
    await loader.close();
  }
  const refs: UrlRef[] = [];
  const unusable: { loc: string; error: string }[] = [];
  for (const loc of found.urls) {
    const ref = resolveInput(loc);
    if ('error' in ref) unusable.push({ loc, error: ref.error });
    else refs.push(ref);
  }
  // Read again: the file may have been saved while the sitemaps downloaded.
  const config = readConfigForEdit(options.config);
  const count = options.sample ?? options.limit;
  const result = addUrls(config.path, config.text, refs, config.readRelative, {
    limit: count,
    spread: options.sample !== undefined,
  });
  if (result.added.length > 0) writeConfigAtomically(config, result.text);
  const cap =
    options.sample !== undefined
      ? `--sample ${options.sample}`
      : options.limit !== undefined
        ? `--limit ${options.limit}`
        : null;
  renderImport(io, config.path, { source, found, unusable, result, cap });
  return EXIT.ok;
}

const configOption = () => new Option('-c, --config <file>', 'the monitors file').default('monitors.yaml');

const urlCount =
  (flag: string) =>
  (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1)
      throw new InvalidArgumentError(`${flag} takes a whole number of URLs, 1 or more`);
    return Number(value);
  };

const KEEPS = `
The file is edited in place: comments, key order and layout of everything else stay as they are.
The edited text is validated like \`crawlguard validate\` before it is written (atomically); when it
would be invalid, nothing is written and the problems are printed (exit 2).`;

/** Adds `add`, `remove`, `list` and `import-sitemap` to the program; each reports its exit status through `setStatus`. */
export function registerUrlCommands(program: Command, io: Io, setStatus: (status: number) => void): void {
  program
    .command('add')
    .description('add URLs to monitors.yaml; URLs already monitored (there or in a urlsFile) are skipped')
    .argument('<url...>', 'absolute URLs (their origin picks the site), or paths with --site')
    .option('--site <origin>', 'the site that paths belong to, such as https://www.example.com')
    .addOption(configOption())
    .addHelpText(
      'after',
      `
A URL whose origin has no site yet gets a new site at the end of sites: (origin: and urls:).
New URLs go at the end of the site's urls: list, in the style it has (block or flow).
Exit status: 0 (also when every URL was monitored already), 2 for a usage or config error.
${KEEPS}`,
    )
    .action((urls: string[], opts: { config: string; site?: string }) => setStatus(addCommand(urls, opts, io)));

  program
    .command('remove')
    .description('remove URLs from monitors.yaml; exit 0 when one was removed, 1 when none matched')
    .argument('<url...>', 'absolute URLs; a path too when the file has a single site')
    .addOption(configOption())
    .addHelpText(
      'after',
      `
An entry matches when it resolves to the same URL: a path, an absolute URL, or an object's path:.
A URL listed in a site's urlsFile is not edited: the output names the file that holds it.
Exit status: 0 when at least one URL was removed, 1 when none matched (nothing is written),
2 for a usage or config error.
${KEEPS}`,
    )
    .action((urls: string[], opts: { config: string }) => setStatus(removeCommand(urls, opts, io)));

  program
    .command('list')
    .description('every monitored URL per site, resolved, with where it is listed')
    .addOption(configOption())
    .option('--json', 'one JSON object per line: {"type":"url","origin","url","source"}')
    .addHelpText(
      'after',
      `
The source is the monitors file, the site's urlsFile, or "default" for the home page a site
with no URLs watches. Exit status: 0, or 2 for a config error.`,
    )
    .action((opts: { config: string; json?: boolean }) => setStatus(listCommand(opts, io)));

  program
    .command('import-sitemap')
    .description('add the URLs of a sitemap (or sitemap index) to monitors.yaml, each to the site of its origin')
    .argument('<sitemap>', 'an http(s) URL or a file: sitemap XML, a sitemap index, a text sitemap; gzip or not')
    .addOption(
      new Option('--limit <n>', 'add at most N URLs not yet monitored: the first ones').argParser(urlCount('--limit')),
    )
    .addOption(
      new Option('--sample <n>', 'add N URLs not yet monitored, spread evenly over the sitemap order')
        .argParser(urlCount('--sample'))
        .conflicts('limit'),
    )
    .option(
      '--allow-private-network',
      "let the sitemap's own origin be a loopback or private address (as a site's allowPrivateNetwork does)",
    )
    .addOption(configOption())
    .addHelpText(
      'after',
      `
Index entries are followed (at most ${SITEMAP_LIMITS.maxSitemaps} child sitemaps, ${SITEMAP_LIMITS.maxDepth} index levels deep); gzip is
recognised by its content. Each sitemap may be up to ${SITEMAP_LIMITS.maxBytes / 1024 / 1024} MB uncompressed and must answer 2xx
within ${SITEMAP_TIMEOUT_MS / 1000} s; any that does not stops the import with nothing written. Child sitemaps
and URLs must be on the sitemap's own host (after redirects; sitemaps.org): others are skipped and
reported, never added. A URL of an origin with no site yet gets a new one. Loopback and private
addresses are fetched only for a configured site with allowPrivateNetwork: true, or for the
sitemap's own origin with --allow-private-network (redirects decided hop by hop). --sample is
deterministic: the same sitemap and file give the same URLs.
Exit status: 0 when the sitemap was read (even if nothing was new), 2 for a usage, config or
sitemap error.
${KEEPS}`,
    )
    .action(async (sitemap: string, opts: ImportOptions) => setStatus(await importSitemapCommand(sitemap, opts, io)));
}
