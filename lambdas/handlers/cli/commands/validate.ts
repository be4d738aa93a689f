import { loadMonitorsConfig } from '../../../adapters/config-file';
import { EXIT } from '../errors';
import type { Io } from '../io';
import { plural } from '../render';

export function validate(configPath: string, io: Io): number {
  const config = loadMonitorsConfig(configPath);
  const urls = config.sites.reduce((n, site) => n + site.urls.length, 0);
  const robots = config.sites.filter((site) => site.robots).length;
  io.out(
    `${configPath}: valid (${plural(config.sites.length, 'site')}, ${plural(urls, 'URL')}, ${plural(robots, 'robots.txt', 'robots.txt files')})`,
  );
  return EXIT.ok;
}
