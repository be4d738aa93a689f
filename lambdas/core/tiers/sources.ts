/**
 * The documents crawlguard's rules rest on: title and address, each quoted and explained in
 * docs/search-engine-rules.md under the section named here. A tier names its source by one of these.
 */
export interface Source {
  /** The page's own title and publisher. */
  title: string;
  url: string;
  /** The section of docs/search-engine-rules.md that quotes it and says how crawlguard uses it. */
  rules: string;
}

const source = (title: string, url: string, rules: string): Source => ({ title, url, rules });

export const SOURCES = {
  httpErrors: source(
    'Google Search Central, "HTTP status codes, network and DNS errors"',
    'https://developers.google.com/crawling/docs/troubleshooting/http-status-codes',
    'server-errors-slow-crawling',
  ),
  networkErrors: source(
    'Google Search Central, "DNS and network errors"',
    'https://developers.google.com/crawling/docs/troubleshooting/dns-network-errors',
    'network-errors-count-as-server-errors',
  ),
  crawlRate: source(
    'Google Search Central, "Reduce the Googlebot crawl rate"',
    'https://developers.google.com/crawling/docs/crawlers-fetchers/reduce-crawl-rate',
    'how-long-errors-are-tolerated',
  ),
  softErrors: source(
    'Google Search Central, "HTTP status codes, network and DNS errors": soft 404 errors',
    'https://developers.google.com/crawling/docs/troubleshooting/http-status-codes',
    'answers-that-are-not-the-page',
  ),
  robotsSpec: source(
    'Google Search Central, "How Google interprets the robots.txt specification"',
    'https://developers.google.com/crawling/docs/robots-txt/robots-txt-spec',
    'robotstxt-errors-and-caching',
  ),
  rfc9309: source(
    'RFC 9309, "Robots Exclusion Protocol"',
    'https://www.rfc-editor.org/rfc/rfc9309',
    'robotstxt-errors-and-caching',
  ),
  pauseSite: source(
    'Google Search Central, "Pause or disable a website"',
    'https://developers.google.com/search/docs/crawling-indexing/pause-online-business',
    'planned-downtime',
  ),
  illyes2022: source(
    'Search Engine Roundtable, "500/503 HTTP Status Code On Robots.txt Can Remove Your Site From Google Search" (Gary Illyes, Dec 2022)',
    'https://www.seroundtable.com/500-code-robots-google-34567.html',
    'the-30-day-mark-where-sources-differ',
  ),
  illyes2024: source(
    'Search Engine Roundtable, "Google: Robots.txt Is Unreachable, Other Pages Reachability Matter" (Gary Illyes, Oct 2024)',
    'https://www.seroundtable.com/google-robots-txt-unreachable-other-pages-38223.html',
    'the-30-day-mark-where-sources-differ',
  ),
  crawlguard: source(
    'crawlguard, "Decisions where the sources are silent"',
    'docs/search-engine-rules.md#decisions-where-the-sources-are-silent',
    'decisions-where-the-sources-are-silent',
  ),
} as const;

/** The address a person can follow: a page on the web, or the section of the rules document. */
export const cite = (s: Source) => `${s.title} (${s.url})`;
