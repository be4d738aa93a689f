/** Inline SVG charts, each with a title, a description and a data table as its text alternative. */
import type { LatencyPoint } from './model';

export const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const WIDTH = 640;
const HEIGHT = 180;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };

/** p50 and p95 latency per hour as two lines; `id` ties the chart to its description. */
export function latencyChart(points: readonly LatencyPoint[], id: string): string {
  if (points.length === 0) return '<p class="muted">No answered checks in the last 24 hours.</p>';
  const max = Math.max(...points.map((p) => p.p95), 1);
  const x = (i: number) => PAD.left + (points.length === 1 ? (WIDTH - PAD.left - PAD.right) / 2 : (i * (WIDTH - PAD.left - PAD.right)) / (points.length - 1));
  const y = (ms: number) => PAD.top + (HEIGHT - PAD.top - PAD.bottom) * (1 - ms / max);
  const line = (key: 'p50' | 'p95') => points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
  const first = points[0]!;
  const last = points.at(-1)!;
  const description = `Median latency ${Math.round(last.p50)} ms and 95th percentile ${Math.round(last.p95)} ms in the last hour; highest 95th percentile ${Math.round(max)} ms over ${points.length} hours.`;
  const ticks = [0, max / 2, max].map((ms) => `<text x="${PAD.left - 6}" y="${y(ms) + 4}" text-anchor="end">${Math.round(ms)}</text><line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(ms)}" y2="${y(ms)}" class="grid"/>`).join('');
  const rows = points.map((p) => `<tr><td>${escapeHtml(p.hour.slice(11, 16))}Z</td><td>${Math.round(p.p50)}</td><td>${Math.round(p.p95)}</td><td>${p.checks}</td></tr>`).join('');
  return `<figure class="chart">
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-t ${id}-d" preserveAspectRatio="xMidYMid meet">
<title id="${id}-t">Latency, last 24 hours (ms)</title><desc id="${id}-d">${escapeHtml(description)}</desc>
${ticks}
<path d="${line('p95')}" class="p95"/><path d="${line('p50')}" class="p50"/>
<text x="${PAD.left}" y="${HEIGHT - 8}">${escapeHtml(first.hour.slice(11, 16))}Z</text><text x="${WIDTH - PAD.right}" y="${HEIGHT - 8}" text-anchor="end">${escapeHtml(last.hour.slice(11, 16))}Z</text>
</svg>
<figcaption><span class="key p50">median (p50)</span> <span class="key p95">95th percentile (p95)</span></figcaption>
<details><summary>Latency as a table</summary><table><thead><tr><th scope="col">Hour</th><th scope="col">p50 ms</th><th scope="col">p95 ms</th><th scope="col">Checks</th></tr></thead><tbody>${rows}</tbody></table></details>
</figure>`;
}

/** An uptime figure as a bar, with the number in text. */
export function uptimeBar(label: string, fraction: number | null): string {
  if (fraction === null) return `<div class="uptime"><span class="label">${escapeHtml(label)}</span><span class="value muted">no data</span></div>`;
  const percent = fraction * 100;
  const text = `${percent >= 99.995 ? '100' : percent.toFixed(2)}%`;
  return `<div class="uptime"><span class="label">${escapeHtml(label)}</span><span class="bar" aria-hidden="true"><span style="width:${percent.toFixed(2)}%"></span></span><span class="value">${text}</span></div>`;
}
