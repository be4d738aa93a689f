import { loadMonitorsConfig } from '../../../adapters/config-file';
import { EXIT } from '../errors';
import type { Io } from '../io';

export function validate(configPath: string, io: Io): number {
  const config = loadMonitorsConfig(configPath);
  const urls = config.sites.reduce((n, site) => n + site.urls.length, 0);
  const robots = config.sites.filter((site) => site.robots).length;
  const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  io.out(`${configPath}: valid (${count(config.sites.length, 'site')}, ${count(urls, 'URL')}, ${count(robots, 'robots.txt', 'robots.txt files')})`);
  return EXIT.ok;
}
