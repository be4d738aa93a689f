// Google's robots.txt lexing (google/robotstxt robots.cc, RobotsTxtParser and ParsedRobotsKey),
// reproduced as a pre-pass so that robots-parser only ever sees lines it reads the same way.
// Google works on bytes, so this module does too: a "byte string" holds one UTF-8 byte per
// UTF-16 code unit (0..255), which makes Google's byte counts and byte tests plain string operations.

/** A string whose code units are UTF-8 bytes (0..255). */
export type ByteString = string;

/** A user-agent, allow or disallow line as Google reads it: the only lines that affect a verdict. */
export interface GoogleLine {
  /** 1-based line number, counted as robots.cc counts it. */
  line: number;
  directive: 'user-agent' | 'allow' | 'disallow';
  /** Allow/disallow: the pattern as Google escapes it (MaybeEscapePattern); otherwise the raw value. */
  value: ByteString;
}

export function toByteString(text: string): ByteString {
  const bytes = new TextEncoder().encode(text);
  let out = '';
  for (let start = 0; start < bytes.length; start += 8192) {
    out += String.fromCharCode(...bytes.subarray(start, start + 8192));
  }
  return out;
}

const BOM = '\xEF\xBB\xBF';
// robots.cc Parse(): kMaxLineLen = 2083 * 8 and the last buffer slot holds the '\0' terminator,
// so at most 16663 bytes of a line are kept (test GoogleOnly_LineTooLong).
const MAX_LINE_BYTES = 2083 * 8 - 1;
// absl::StripAsciiWhitespace: ASCII only (JS trim() would also strip U+00A0 = byte 0xA0 here).
const ASCII_SPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;

const stripAscii = (text: string): string => text.replace(ASCII_SPACE, '');
export const asciiLower = (text: string): string => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** The user-agent, allow and disallow lines of a robots.txt, numbered and read as robots.cc does. */
export function googleLines(robotsText: string): GoogleLine[] {
  let body = toByteString(robotsText);
  // robots.cc Parse(): "Skipping possible BOM-prefix in the first bytes of the input", a partial BOM
  // included (test ID_UTF8ByteOrderMarkIsSkipped).
  let bomLength = 0;
  while (bomLength < BOM.length && body[bomLength] === BOM[bomLength]) bomLength += 1;
  body = body.slice(bomLength);
  // robots.cc Parse(): LF, CR and CRLF all end a line, and every line counts, empty ones too
  // (test ID_LinesNumbersAreCountedCorrectly).
  const lines: GoogleLine[] = [];
  body.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const parsed = keyAndValue(raw.slice(0, MAX_LINE_BYTES));
    if (parsed) lines.push({ line: index + 1, ...parsed });
  });
  return lines;
}

/** robots.cc GetKeyAndValueFrom() followed by ParsedRobotsKey::Parse() and MaybeEscapePattern(). */
function keyAndValue(raw: ByteString): Omit<GoogleLine, 'line'> | null {
  // The line is a C string in robots.cc: a NUL byte ends it.
  const nul = raw.indexOf('\0');
  let text = nul >= 0 ? raw.slice(0, nul) : raw;
  const hash = text.indexOf('#');
  text = stripAscii(hash >= 0 ? text.slice(0, hash) : text);
  let separator = text.indexOf(':');
  if (separator < 0) {
    // Google-specific: "some people forget the colon", so whitespace separates the key from the value
    // when the line is exactly two words (test ID_LineSyntax_Line: `user-agent FooBot`).
    const words = /^([^ \t]+)[ \t]+[^ \t]+$/.exec(text);
    if (!words?.[1]) return null;
    separator = words[1].length;
  }
  const key = stripAscii(text.slice(0, separator));
  if (key === '') return null;
  const value = stripAscii(text.slice(separator + 1));
  const directive = directiveOf(key);
  // Sitemap and unknown keys neither belong to a group nor end one: robots.cc HandleSitemap() and
  // HandleUnknownAction() do nothing (test ID_LineSyntax_Groups_OtherRules). robots-parser would end
  // the group at them, so they are left out.
  if (directive === null) return null;
  return { directive, value: directive === 'user-agent' ? value : escapePattern(value) };
}

// robots.cc ParsedRobotsKey::KeyIs*(): keys match by case-insensitive *prefix* (test
// ID_REPLineNamesCaseInsensitive), and kAllowFrequentTypos also accepts `useragent`, `user agent`
// and five misspellings of `disallow` (no test in robots_test.cc; robots.cc only).
const USER_AGENT_KEYS = ['user-agent', 'useragent', 'user agent'];
const DISALLOW_KEYS = ['disallow', 'dissallow', 'dissalow', 'disalow', 'diasllow', 'disallaw'];

function directiveOf(key: string): GoogleLine['directive'] | null {
  const lower = asciiLower(key);
  const startsWithAny = (prefixes: string[]): boolean => prefixes.some((prefix) => lower.startsWith(prefix));
  if (startsWithAny(USER_AGENT_KEYS)) return 'user-agent';
  if (lower.startsWith('allow')) return 'allow';
  if (startsWithAny(DISALLOW_KEYS)) return 'disallow';
  return null;
}

/**
 * robots.cc MaybeEscapePattern(): `%xx` escapes are upper-cased and bytes >= 0x80 are %-escaped;
 * nothing else is touched (test ID_Encoding: `/foo/bar/ツ` in a rule is `/foo/bar/%E3%83%84`).
 */
export function escapePattern(value: ByteString): ByteString {
  return value.replace(/%[0-9A-Fa-f]{2}|[\x80-\xFF]/g, (match) =>
    match.length === 3 ? match.toUpperCase() : `%${match.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * robots.cc HandleAllow(): an allow pattern whose last segment starts with `/index.htm` also allows
 * its directory, as the pattern `<directory>/$` (test GoogleOnly_IndexHTMLisDirectory).
 * Google only tries it when the original pattern did not match; adding it unconditionally decides the
 * same, because it is shorter than the original and both allow.
 */
export function indexHtmlDirectoryPattern(pattern: ByteString): ByteString | null {
  const slash = pattern.lastIndexOf('/');
  return slash >= 0 && pattern.startsWith('/index.htm', slash) ? `${pattern.slice(0, slash + 1)}$` : null;
}

/** robots.cc HandleUserAgent(): `*`, alone or followed by whitespace and anything, is the global group. */
export function isGlobalAgent(value: ByteString): boolean {
  return value.startsWith('*') && (value.length === 1 || /[ \t\n\v\f\r]/.test(value.charAt(1)));
}

/**
 * robots.cc ExtractUserAgent() + absl::EqualsIgnoreCase: only the leading [A-Za-z_-] of the file's
 * value counts (`Foo Bar` and `FooBot/1.0` name `Foo` and `FooBot`), compared ASCII-case-insensitively
 * with the whole agent (tests ID_UserAgentValueCaseInsensitive, GoogleOnly_AcceptUserAgentUpToFirstSpace).
 */
export function namesAgent(value: ByteString, agent: ByteString): boolean {
  const token = /^[A-Za-z_-]*/.exec(value)?.[0] ?? '';
  return asciiLower(token) === asciiLower(agent);
}
