/**
 * The status page: one self-contained HTML file (no scripts, no fonts, no CDN), readable on a phone,
 * light or dark with the system, with landmarks and text alternatives for every chart.
 */
import { formatDurationMs } from '../config/duration';
import { tierSpec, type Tier } from '../tiers/registry';
import { escapeHtml as esc, latencyChart, uptimeBar } from './charts';
import type { OriginReport, ReportModel } from './model';
import { STYLE } from './style';

const time = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
const slug = (origin: string) => origin.replace(/^https?:\/\//, '').replace(/[^a-z0-9]+/gi, '-');
const HEALTH_TEXT = { up: 'Up', degraded: 'Degraded', down: 'Down', unknown: 'Not checked yet' } as const;

function clocksSection(model: ReportModel): string {
  if (model.clocks.length === 0) {
    return '<section class="calm" aria-labelledby="clocks"><h2 id="clocks">No search-engine clock is running</h2><p>Every monitored URL and robots.txt answers as it should.</p></section>';
  }
  const items = model.clocks.map((clock) => {
    // The summary already says the time left to the next mark; the badge says where the clock stands.
    const tier = clock.tier ? `<span class="tier ${tierSpec(clock.tier).severity}">${esc(clock.tier)}</span> ` : '<span class="tier pending">not confirmed yet</span> ';
    return `<li>${tier}${esc(clock.summary)}</li>`;
  }).join('');
  return `<section class="urgent" aria-labelledby="clocks"><h2 id="clocks">${model.clocks.length} search-engine clock${model.clocks.length === 1 ? '' : 's'} running</h2><ul class="clocks">${items}</ul></section>`;
}

function timeline(origin: OriginReport): string {
  if (origin.incidents.length === 0) return '<p class="muted">No incident in the last 30 days.</p>';
  const rows = origin.incidents.map((i) => {
    const tiers = i.tiers.map((t: Tier) => `<span class="tier ${tierSpec(t).severity}">${esc(t)}</span>`).join(' ');
    const end = i.end ? esc(time(i.end)) : '<strong>open</strong>';
    return `<tr><td>${esc(time(i.start))}</td><td>${end}</td><td>${esc(formatDurationMs(i.durationMs))}</td><td>${esc(i.subject)}</td><td>${tiers}</td></tr>`;
  }).join('');
  return `<div class="scroll"><table><caption>Incidents, last 30 days, newest first</caption><thead><tr><th scope="col">Started</th><th scope="col">Ended</th><th scope="col">Lasted</th><th scope="col">What</th><th scope="col">Tiers reached</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function robotsPart(origin: OriginReport): string {
  const robots = origin.robots;
  if (!robots) return '';
  const blocked = Object.entries(robots.disallowed).map(([agent, urls]) => `<li><strong>${esc(agent)}</strong>: ${urls.length === 0 ? 'may crawl every monitored URL' : `may not crawl ${urls.map((u) => `<code>${esc(u)}</code>`).join(', ')}`}</li>`).join('');
  const changes = robots.changes.length === 0 ? '<p class="muted">No rule change seen.</p>'
    : `<ul>${robots.changes.map((c) => `<li>${esc(time(c.at))}, ${esc(c.agent)}: ${[...c.added.map((r) => `added <code>${esc(r)}</code>`), ...c.removed.map((r) => `removed <code>${esc(r)}</code>`)].join(', ')}</li>`).join('')}</ul>`;
  const copy = robots.text === null ? '<p class="muted">No good copy stored yet.</p>'
    : `<details><summary>Last good copy, first fetched ${esc(time(robots.copyFetchedAt ?? ''))}</summary><pre>${esc(robots.text.slice(0, 20_000))}</pre></details>`;
  return `<h4>robots.txt${robots.state ? `: ${esc(robots.state)}` : ''}</h4><ul>${blocked}</ul>${copy}<h5>Rule changes</h5>${changes}`;
}

function originSection(origin: OriginReport, index: number): string {
  const id = `site-${slug(origin.origin)}`;
  const urls = origin.urls.map((u) => `<tr><td><code>${esc(u.url)}</code></td><td>${u.status ?? '–'}</td><td><span class="outcome ${u.outcome === 'ok' ? 'ok' : u.outcome ? 'bad' : ''}">${esc(u.outcome ?? 'not checked')}</span></td><td>${u.since ? esc(time(u.since)) : '–'}</td></tr>`).join('');
  return `<section class="site" aria-labelledby="${id}">
<h3 id="${id}"><span class="health ${origin.health}">${HEALTH_TEXT[origin.health]}</span> ${esc(origin.origin)}</h3>
<p>${esc(origin.summary)}</p>
<div class="uptimes" role="group" aria-label="Uptime of ${esc(origin.origin)}">${uptimeBar('24 hours', origin.uptime['24h'])}${uptimeBar('7 days', origin.uptime['7d'])}${uptimeBar('30 days', origin.uptime['30d'])}</div>
<h4>Latency</h4>${latencyChart(origin.latency, `lat-${index}`)}
<h4>Incident timeline</h4>${timeline(origin)}
${robotsPart(origin)}
<details><summary>Monitored URLs (${origin.urls.length})</summary><div class="scroll"><table><thead><tr><th scope="col">URL</th><th scope="col">Status</th><th scope="col">Outcome</th><th scope="col">Since</th></tr></thead><tbody>${urls}</tbody></table></div></details>
</section>`;
}

export function renderReport(model: ReportModel): string {
  const nav = model.origins.map((o) => `<li><a href="#site-${slug(o.origin)}">${esc(o.origin.replace(/^https?:\/\//, ''))}</a> <span class="health ${o.health}">${HEALTH_TEXT[o.health]}</span></li>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>crawlguard status, ${esc(time(model.generatedAt))}</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the report</a>
<header><h1>crawlguard status</h1><p>Generated ${esc(time(model.generatedAt))}. Uptime counts confirmed failures only.</p></header>
<nav aria-label="Sites"><ul>${nav}</ul></nav>
<main id="main">
${clocksSection(model)}
<h2>Sites</h2>
${model.origins.map(originSection).join('\n')}
</main>
<footer>${model.marks.map((line) => `<p>${esc(line)}</p>`).join('')}</footer>
</body>
</html>
`;
}
