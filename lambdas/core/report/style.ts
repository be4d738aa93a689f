/** The page's CSS: system fonts, light and dark palettes with WCAG AA contrast, no external resources. */
export const STYLE = `
:root{--bg:#ffffff;--fg:#1a1a1a;--muted:#555;--card:#f4f5f7;--line:#d0d4da;--ok:#116329;--warn:#8a4b00;--bad:#b3261e;--info:#0b57d0;--p50:#0b57d0;--p95:#b3261e;}
@media (prefers-color-scheme: dark){:root{--bg:#121417;--fg:#eceff3;--muted:#b2b8c0;--card:#1e2227;--line:#3a4048;--ok:#6fdd8b;--warn:#ffb86b;--bad:#ff8a80;--info:#8ab4f8;--p50:#8ab4f8;--p95:#ff8a80;}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:60rem;padding:1rem;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
a{color:var(--info)}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--card);padding:.5rem}
header h1{margin:.2rem 0;font-size:1.6rem}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1rem}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem;margin:1rem 0}
section.urgent{border:3px solid var(--bad)}
section.urgent h2{color:var(--bad);margin-top:0}
section.calm h2{color:var(--ok);margin-top:0}
.clocks{padding-left:1.2rem}.clocks li{margin:.4rem 0}
.next{display:inline-block;margin-left:.3rem;font-weight:600}
.tier{display:inline-block;border-radius:4px;padding:0 .35rem;font-size:.85rem;border:1px solid currentColor;white-space:nowrap}
.tier.critical{color:var(--bad)}.tier.warning{color:var(--warn)}.tier.info{color:var(--info)}.tier.pending{color:var(--muted)}
.health{display:inline-block;border-radius:4px;padding:0 .4rem;font-size:.9rem;font-weight:700;border:2px solid currentColor}
.health.up{color:var(--ok)}.health.degraded{color:var(--warn)}.health.down{color:var(--bad)}.health.unknown{color:var(--muted)}
.outcome.ok{color:var(--ok)}.outcome.bad{color:var(--bad);font-weight:600}
.muted{color:var(--muted)}
.uptimes{display:grid;gap:.4rem;max-width:32rem}
.uptime{display:grid;grid-template-columns:6rem 1fr 5rem;align-items:center;gap:.5rem}
.uptime .bar{height:.7rem;background:var(--line);border-radius:4px;overflow:hidden}.uptime .bar span{display:block;height:100%;background:var(--ok)}
.uptime .value{text-align:right;font-variant-numeric:tabular-nums;font-weight:600}
.chart svg{width:100%;height:auto;max-height:14rem}
.chart text{font-size:11px;fill:var(--muted)}.chart .grid{stroke:var(--line);stroke-width:1}
.chart path{fill:none;stroke-width:2.5}.chart path.p50{stroke:var(--p50)}.chart path.p95{stroke:var(--p95);stroke-dasharray:6 4}
.key::before{content:"";display:inline-block;width:1.4rem;height:0;border-top:3px solid;margin-right:.3rem;vertical-align:middle}
.key.p50::before{border-color:var(--p50)}.key.p95::before{border-color:var(--p95);border-top-style:dashed}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
caption{text-align:left;font-weight:600;padding:.3rem 0}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem;word-break:break-all}
pre{white-space:pre-wrap;background:var(--bg);border:1px solid var(--line);padding:.5rem;max-height:20rem;overflow:auto}
@media (max-width:36rem){body{padding:.5rem}.uptime{grid-template-columns:4.5rem 1fr 4.5rem}}
`;
