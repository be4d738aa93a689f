/** Short phrases per tier for subjects and texts, where every character counts. */
import type { Tier } from '../rules/tiers';

/** What search engines do, in a few words (SMS). */
export const CONSEQUENCE: Record<Tier, string> = {
  'url-down': 'Google slows crawling',
  'url-deindex-risk': "URL may start dropping from Google's index",
  'url-deindex-critical': 'URL at risk of removal from the index',
  'url-assertion-failed': 'not the expected page or status',
  'url-blocked-by-robots': 'robots.txt blocks it for crawlers',
  'url-error-leak': 'the error page leaks internals',
  'origin-crawl-slowdown': 'Google slows crawling of the site',
  'origin-outage': 'site down for crawlers',
  'robots-unreachable': 'Google stopped crawling the site',
  'robots-cached-copy': 'Google now crawls with its cached copy',
  'robots-cliff-warning': '5 days to the 30-day robots.txt cliff',
  'robots-cliff': '30-day cliff: rules lost or crawling stops',
  'robots-missing': 'crawlers apply no restrictions',
  'robots-blocks-site': 'the whole site is closed to crawlers',
  'robots-changed': 'rules changed',
  'robots-truncated': 'rules past 500 KiB are ignored',
  'checks-skipped': 'crawlguard could not check everything',
  recovered: 'recovered',
};

/** Section titles in email. */
export const TITLE: Record<Tier, string> = {
  'url-down': 'URL down',
  'url-deindex-risk': 'URL failing for a day: deindex risk',
  'url-deindex-critical': 'URL failing for two days: deindex critical',
  'url-assertion-failed': 'URL not answering as expected',
  'url-blocked-by-robots': 'URL blocked by robots.txt',
  'url-error-leak': 'Error page leaks internals',
  'origin-crawl-slowdown': 'Many URLs failing: crawl slowdown',
  'origin-outage': 'Site outage',
  'robots-unreachable': 'robots.txt unreachable: crawling stopped',
  'robots-cached-copy': 'robots.txt down 12 hours: cached copy in use',
  'robots-cliff-warning': 'robots.txt down 25 days: 5 days to the cliff',
  'robots-cliff': 'robots.txt down 30 days: the cliff',
  'robots-missing': 'robots.txt missing',
  'robots-blocks-site': 'robots.txt blocks the whole site',
  'robots-changed': 'robots.txt rules changed',
  'robots-truncated': 'robots.txt over 500 KiB',
  'checks-skipped': 'Checks not made: crawlguard ran out of time',
  recovered: 'Recovered',
};
