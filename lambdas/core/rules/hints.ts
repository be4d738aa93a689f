/** "Check first" hints: where the cause of a failure usually is, by what it looks like. */
import type { Outcome } from '../probe/outcome';

/** Google, "Pause or disable a website" (docs/search-engine-rules.md, "Planned downtime"). */
export const MAINTENANCE_HINT =
  'planned downtime should answer 503 with a Retry-After header (Google, "Pause or disable a website")';

export interface Symptom {
  outcome: Outcome;
  status: number | null;
  kind?: 'page' | 'robots';
}

/**
 * The hint for a failing URL. `sameOnEveryUrl` says the origin's other URLs fail the same way, which
 * points at the server rather than at one page's code.
 */
export function checkFirst(symptom: Symptom, sameOnEveryUrl: boolean): string | null {
  const { outcome, status } = symptom;
  if (symptom.kind === 'robots' && (outcome === 'server_error' || outcome === 'rate_limited')) {
    return 'how robots.txt is served: a static file should never fail; look for a rewrite rule, app route, WAF or CDN rule that answers for it';
  }
  if (outcome === 'dns') return 'DNS records: does the name resolve from outside, did a record or the domain expire?';
  if (outcome === 'tls')
    return 'the certificate: expired, wrong name, missing intermediate, or a TLS setting the client cannot use';
  if (outcome === 'connect')
    return 'whether the web server process is running and the firewall or security group lets port 80/443 in';
  if (outcome === 'reset')
    return 'crashing workers, a proxy or load balancer dropping connections, or keep-alive limits';
  if (outcome === 'rate_limited') return 'rate limiting or a WAF/bot protection rule that answers 429 to crawlers';
  if (outcome === 'timeout' || status === 504)
    return 'slow upstreams (database, APIs) or a script time limit (max_execution_time, proxy timeouts)';
  if (status === 502) return 'a dead upstream: PHP-FPM, the app server or container behind the proxy';
  if (status === 503 && !sameOnEveryUrl)
    return 'the application: an overloaded worker pool or a maintenance mode left on for this URL';
  if (outcome === 'server_error') {
    return sameOnEveryUrl
      ? 'server configuration: .htaccess or vhost rules, file permissions, a full disk, a failed deploy'
      : 'the application code behind this URL: its error log entry (the request id helps find it)';
  }
  if (outcome === 'assertion_failed')
    return 'the page content: a template or data error rendering an error page with status 200';
  if (outcome === 'client_error')
    return 'a removed or renamed page, a routing rule, or access rules (401/403) that shut crawlers out';
  if (outcome === 'too_many_redirects') return 'redirect rules (http↔https, www, trailing slash) that loop or chain';
  if (outcome === 'unexpected_status') return 'what the URL answers now compared with expectStatus in monitors.yaml';
  if (outcome === 'blocked')
    return 'the address the name resolves to: private addresses need allowPrivateNetwork: true';
  return null;
}
