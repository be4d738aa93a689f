/**
 * Credentials in URLs (`https://user:password@host/`) are refused in the config, but a redirect, an error
 * message or a sitemap can still carry one. Every output (the CLI, alerts, the store, the status page)
 * passes its text through this one function as a second defence.
 */

/**
 * `scheme://` followed by a userinfo that ends at the last `@` before the host. The userinfo stops at
 * anything that ends a URL in text (space, quote, angle bracket, backslash) or starts its path, so an
 * `@` later in a path or in the text around the URL is left alone.
 */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>\\`]*@/gi;

export const REDACTED = '***';

/** The text with the userinfo of every URL in it replaced by `***`. */
export function redactCredentials(text: string): string {
  return text.includes('@') ? text.replace(USERINFO, `$1${REDACTED}@`) : text;
}
