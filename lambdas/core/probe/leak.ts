/**
 * Error-page leaks: a production 5xx must not show internals. Each pattern names what it catches;
 * they are deliberately specific, since a false alarm on every 500 would teach people to ignore it.
 */
export type LeakKind = 'stack-trace' | 'file-path' | 'sql' | 'version-banner';

const PATTERNS: Record<LeakKind, RegExp[]> = {
  'stack-trace': [
    /Traceback \(most recent call last\)/, // Python
    /^\s*at [\w$.<>]+ \([^)]*:\d+:\d+\)/m, // Node.js
    /^\s*at [\w$.]+\([\w$]+\.java:\d+\)/m, // Java
    /^\s*at [\w.`<>]+\(.*\) in .*:line \d+/m, // .NET
    /Stack trace:\s*\n\s*#0 /, // PHP
    /^\s*#\d+ \/[^\s(]+\(\d+\): /m, // PHP frames
    /\.rb:\d+:in `/, // Ruby
    /^goroutine \d+ \[/m, // Go panic
  ],
  'file-path': [
    // Server roots only: a 500 page's navigation links (/app/…, /www/…) are not leaks.
    /(?:^|[\s"'(])\/(?:var\/www|var\/lib|home\/[\w.-]+|srv|opt|usr\/(?:share|local|lib)|root)\/[\w./-]+/m,
    /(?:^|[\s"'(])(?:\/[\w.-]+)+\/node_modules\/[\w./@-]+/m,
    /\b[A-Z]:\\(?:inetpub|Users|Program Files|wwwroot|www)[\\\w .-]+/,
    /\bin \/[\w./-]+\.php on line \d+/,
  ],
  sql: [
    /You have an error in your SQL syntax/i,
    /\bSQLSTATE\[\w+\]/,
    /\bORA-\d{5}\b/,
    /\bsyntax error at or near "/,
    /\b(?:pg_query|mysqli?_query|PDOException|SQLiteException|SqlException)\b/,
    // Upper-case keywords only: "Select a plan from the list" is prose, not a query.
    /\bSELECT\s+[\w*.,\s`"]+\s+FROM\s+[\w`".]+/,
    /\bINSERT\s+INTO\s+[\w`".]+\s*\(/,
  ],
  'version-banner': [
    /\b(?:Apache|nginx|Microsoft-IIS|LiteSpeed|openresty|Jetty|Tomcat|Apache Tomcat|Werkzeug|gunicorn|Kestrel)\/\d+(?:\.\d+)+/i,
    /\bPHP\/\d+\.\d+/,
    /\bPHP Version \d+\.\d+/,
    /\bX-Powered-By:/i,
    /\bDjango Version:/,
    /\bLaravel v?\d+\.\d+/,
    /\bRuby on Rails \d+\.\d+/,
    /\bASP\.NET Version:\s*\d/,
  ],
};

/** The kinds of internals a body shows, in a fixed order; empty when none. */
export function detectLeaks(body: string): LeakKind[] {
  return (Object.keys(PATTERNS) as LeakKind[]).filter((kind) => PATTERNS[kind].some((pattern) => pattern.test(body)));
}
