// The part of a URL that Google matches robots.txt rules against, and how that part and the rule
// patterns are handed to robots-parser so that it compares exactly the bytes Google compares.
import type { ByteString } from './google-normalise';

/**
 * robots.cc GetPathParamsQuery(): path, params and query of the URL as given, without scheme,
 * authority or fragment; always starts with `/`. Google does not normalise the URL ("the user is
 * asked to provide it in escaped form already", AllowedByRobots), so nothing is decoded, encoded,
 * upper-cased or resolved here (test ID_Encoding: a raw `ツ` in the URL does not match the rule `ツ`).
 */
export function googlePath(url: ByteString): ByteString {
  const searchStart = url.startsWith('//') ? 2 : 0;
  const earlyPath = indexOfAny(url, '/?;', searchStart);
  let protocolEnd = url.indexOf('://', searchStart);
  // "If path, param or query starts before ://, :// doesn't indicate protocol."
  if (earlyPath >= 0 && (protocolEnd < 0 || earlyPath < protocolEnd)) protocolEnd = -1;
  const pathStart = indexOfAny(url, '/?;', protocolEnd < 0 ? searchStart : protocolEnd + 3);
  if (pathStart < 0) return '/';
  const hash = url.indexOf('#', searchStart);
  if (hash >= 0 && hash < pathStart) return '/';
  const path = url.slice(pathStart, hash < 0 ? url.length : hash);
  const rooted = path.startsWith('/') ? path : `/${path}`;
  // AllowedByRobots() keeps path.c_str(): a NUL byte ends the path.
  const nul = rooted.indexOf('\0');
  return nul >= 0 ? rooted.slice(0, nul) : rooted;
}

function indexOfAny(text: string, characters: string, from: number): number {
  for (let index = from; index < text.length; index += 1) {
    if (characters.includes(text.charAt(index))) return index;
  }
  return -1;
}

// robots-parser reads the URL with WHATWG `new URL()` (which resolves `..`, turns `\` into `/`,
// percent-encodes spaces and non-ASCII) and then upper-cases `%xx` in the path, and it passes every
// pattern through encodeURI(). Google does none of that. So both sides are given to robots-parser as
// `%XX` codes, one per byte, which neither step changes: robots-parser's own matcher (a port of
// robots.cc Matches()) then compares Google's bytes. A `%` only ever starts a code, so a literal
// cannot match across a code boundary. Every pattern byte becomes 3 characters (`*` becomes `***`,
// which matches the same) and the end anchor `$` becomes the 3-character code %00 that ends every
// path (a NUL never reaches a path or a pattern, see above): robots-parser's priority, the pattern
// length, is then 1 + 3 × Google's, so longest-match and allow-wins-ties decide as in robots.cc.
const DUMMY_ORIGIN = 'http://robots.invalid';
const END = '%00';

/** Where the robots.txt "lives" for robots-parser; only the path and query decide (see googlePath). */
export const ROBOTS_PARSER_ROBOTS_URL = `${DUMMY_ORIGIN}/robots.txt`;

const byteCode = (byte: string): string => `%${byte.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

export function robotsParserUrl(path: ByteString): string {
  return `${DUMMY_ORIGIN}/${Array.from(path, byteCode).join('')}${END}`;
}

/** An empty pattern stays empty: robots-parser then records no rule, as Google gives it priority 0. */
export function robotsParserPattern(pattern: ByteString): string {
  if (pattern === '') return '';
  // robots.cc Matches(): `$` is special only at the end of the pattern.
  const anchored = pattern.endsWith('$');
  const body = anchored ? pattern.slice(0, -1) : pattern;
  return `/${Array.from(body, (byte) => (byte === '*' ? '***' : byteCode(byte))).join('')}${anchored ? END : ''}`;
}
