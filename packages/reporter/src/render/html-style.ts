/**
 * The report's one stylesheet: system fonts, light and dark themes, a phone layout and print
 * styles. Kept free of `url()` and `@import` so the page fetches nothing.
 */
export const REPORT_CSS = `
:root{
  --bg:#f4f6f9;--card:#fff;--text:#17202b;--muted:#5d6877;--border:#e2e6ec;--soft:#eef1f5;
  --accent:#2563eb;--accent-soft:#dbe7ff;--c1:#8792a2;--c2:#16a34a;--c3:#7c5cd6;--c4:#d97706;--c5:#dc2626;
  --ok-bg:#e7f7ee;--ok-fg:#116a36;--warn-bg:#fff4dc;--warn-fg:#8a5300;--bad-bg:#fde8e8;--bad-fg:#a11b1b;
  --head-bg:#0f1b2d;--head-fg:#f3f6fb;--head-muted:#a9b6c8;
  --mono:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace;
  color-scheme:light dark;
}
@media (prefers-color-scheme:dark){:root{
  --bg:#0d1117;--card:#151b23;--text:#e6edf3;--muted:#9ba7b6;--border:#2a323d;--soft:#1c232d;
  --accent:#5b9bff;--accent-soft:#1b2c48;--c1:#8b96a6;--c2:#3fbf6f;--c3:#a58bff;--c4:#f0a43a;--c5:#ff6b6b;
  --ok-bg:#0f2d1c;--ok-fg:#7ee2a3;--warn-bg:#33260b;--warn-fg:#ffcc6b;--bad-bg:#3a1414;--bad-fg:#ff9c9c;
  --head-bg:#111a27;--head-fg:#f3f6fb;--head-muted:#9fb0c6;
}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-variant-numeric:tabular-nums}
a{color:var(--accent)}
.masthead{background:var(--head-bg);color:var(--head-fg)}
.top-inner{max-width:1180px;margin:0 auto;padding:22px 20px 14px}
.brand{margin:0;color:var(--head-muted);font-size:13px;letter-spacing:.04em;text-transform:uppercase;display:flex;align-items:center;gap:8px}
.logo{display:inline-block;width:14px;height:14px;border-radius:4px;background:linear-gradient(135deg,#5b9bff,#3fbf6f)}
h1{margin:4px 0 2px;font-size:30px;line-height:1.2;font-weight:650;letter-spacing:-.01em}
.masthead .meta{margin:0 0 12px;color:var(--head-muted);font-size:14px}
.masthead .meta a{color:#ffb4b4}
.health{display:inline-flex;align-items:center;gap:8px;margin:0;padding:4px 12px;border-radius:999px;font-weight:600;font-size:14px}
.health .dot{width:9px;height:9px;border-radius:50%;background:currentColor}
.health-ok{background:var(--ok-bg);color:var(--ok-fg)}
.health-warn{background:var(--warn-bg);color:var(--warn-fg)}
.health-bad{background:var(--bad-bg);color:var(--bad-fg)}
nav{max-width:1180px;margin:0 auto;padding:0 14px 10px;display:flex;gap:4px;overflow-x:auto;white-space:nowrap}
nav a{color:var(--head-muted);text-decoration:none;font-size:13px;padding:4px 8px;border-radius:6px}
nav a:hover,nav a:focus-visible{color:var(--head-fg);background:rgba(255,255,255,.08)}
main{max-width:1180px;margin:0 auto;padding:18px 20px 8px;display:grid;gap:16px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}
.kpi{background:var(--card);border:1px solid var(--border);border-radius:10px;padding:12px 14px;border-top:3px solid var(--accent)}
.kpi-warn{border-top-color:var(--c4)}
.kpi-bad{border-top-color:var(--c5)}
.kpi-label{margin:0;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em;font-weight:600}
.kpi-value{margin:2px 0 0;font-size:26px;font-weight:650;line-height:1.2;white-space:nowrap}
.kpi-bad .kpi-sub{color:var(--c5);font-weight:600}
.kpi-sub{margin:2px 0 0;color:var(--muted);font-size:13px}
.card{background:var(--card);border:1px solid var(--border);border-radius:10px;padding:16px 18px;min-width:0}
.card h2{margin:0 0 10px;font-size:18px;font-weight:650}
.card h3{margin:0 0 8px;font-size:15px}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px}
figure{margin:0}
.chart-wrap{overflow-x:auto}
.chart-wrap.wide svg{min-width:560px}
figcaption,.note{color:var(--muted);font-size:13px;margin:6px 0 0}
svg.chart{display:block;width:100%;height:auto;font-size:12px}
svg.chart text{fill:var(--muted)}
svg.chart .label{fill:var(--text);font-weight:600;font-size:14px}
svg.chart .value{fill:var(--text);font-size:14px}
svg.chart .panel-label{font-size:12px;font-weight:600}
svg.chart .grid line{stroke:var(--border);stroke-width:1}
svg.chart .axis line{stroke:var(--muted);stroke-width:1}
svg.chart .bars-requests rect{fill:var(--accent)}
svg.chart .bars-5xx rect{fill:var(--c5)}
svg.chart .hits rect{fill:transparent}
svg.chart .hits rect:hover{fill:var(--text);fill-opacity:.08}
svg.chart .track{fill:var(--soft)}
svg.chart .s-1xx .bar{fill:var(--c1)}
svg.chart .s-2xx .bar{fill:var(--c2)}
svg.chart .s-3xx .bar{fill:var(--c3)}
svg.chart .s-4xx .bar{fill:var(--c4)}
svg.chart .s-5xx .bar{fill:var(--c5)}
svg.chart-latency .bar{fill:var(--accent)}
svg.chart-latency .q-p99 .bar{fill:var(--c3)}
.split{display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,1fr));gap:14px;margin-top:10px}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
table.data{width:100%;border-collapse:collapse;font-size:14px}
table.data caption{text-align:left;font-weight:600;padding:0 0 4px;font-size:13px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
table.data th{text-align:left;font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.04em;border-bottom:1px solid var(--border);padding:6px 8px}
table.data td{border-bottom:1px solid var(--soft);padding:6px 8px;vertical-align:top}
table.data tbody tr:hover td{background:var(--soft)}
.num{text-align:right;white-space:nowrap}
table.data th.num{text-align:right}
.rank{color:var(--muted);width:2.5em}
.mono,code,pre{font-family:var(--mono);font-size:13px}
td.value{overflow-wrap:anywhere}
td.file{min-width:14em}
.bound{display:block;color:var(--muted);font-size:12px}
.share-cell{width:120px}
svg.share{display:block;width:100%;height:6px;margin-top:4px}
.share-track{fill:var(--soft)}
.share-bar{fill:var(--accent)}
.code{font-family:var(--mono);font-weight:600;padding:1px 6px;border-radius:4px;background:var(--soft)}
.code.s-2xx{color:var(--c2)}.code.s-3xx{color:var(--c3)}.code.s-4xx{color:var(--c4)}.code.s-5xx{color:var(--c5)}
td.warn{color:var(--c4);font-weight:600}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(92px,1fr));gap:8px;margin:12px 0 0}
.stats div{background:var(--soft);border-radius:8px;padding:6px 10px}
.stats dt{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}
.stats dd{margin:0;font-weight:600;white-space:nowrap}
.callout.bad{background:var(--bad-bg);border:1px solid var(--c5)}
.callout.bad h2{color:var(--bad-fg)}
.callout.bad tbody tr:hover td{background:transparent}
.callout table.data td{border-bottom-color:var(--border)}
.empty{color:var(--muted);font-style:italic;margin:4px 0}
details{margin-top:10px}
summary{cursor:pointer;color:var(--accent);font-size:14px}
.samples{margin:8px 0 0;padding-left:1.4em}
.samples li{margin:0 0 10px}
.samples .where{margin:0 0 4px;font-size:13px;color:var(--muted)}
.samples .reason{color:var(--c4)}
.samples pre{margin:0;padding:8px 10px;background:var(--soft);border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere}
footer{max-width:1180px;margin:0 auto;padding:8px 20px 28px;color:var(--muted);font-size:12px}
@media (max-width:640px){
  body{font-size:14px}
  .top-inner{padding:16px 14px 10px}
  h1{font-size:24px}
  main{padding:12px 10px;gap:12px}
  .card{padding:12px}
  .kpis{grid-template-columns:repeat(2,minmax(0,1fr));gap:8px}
  .kpi{padding:10px}
  .kpi-value{font-size:21px}
  .cols{grid-template-columns:1fr}
  .split{grid-template-columns:1fr}
  .share-cell{width:auto}
  svg.share{display:none}
  .chart-wrap.wide svg{min-width:620px}
  svg.chart-timeline text{font-size:17px}
  svg.chart-timeline .panel-label{font-size:16px}
  svg.chart text,svg.chart .label,svg.chart .value{font-size:16px}
  svg.chart-timeline text.tick{font-size:17px}
  table.stack thead{display:none}
  table.stack tr{display:block;padding:8px 0;border-bottom:1px solid var(--border)}
  table.stack td{display:flex;justify-content:space-between;gap:12px;border:0;padding:2px 0;text-align:right}
  table.stack td::before{content:attr(data-label);color:var(--muted);font:600 12px/1.8 system-ui,sans-serif;text-transform:uppercase;letter-spacing:.04em;text-align:left;flex:none}
  table.stack tbody tr:hover td{background:none}
  td.file{min-width:0}
}
@media print{
  :root{--bg:#fff;--card:#fff;--soft:#f1f3f6;--head-bg:#fff;--head-fg:#000;--head-muted:#444}
  body{font-size:11pt}
  nav,.hits,figcaption,details{display:none}
  .masthead{border-bottom:2px solid #000}
  main{display:block}
  .card,.kpi{break-inside:avoid;margin-bottom:10pt;border-color:#bbb}
  .kpis{grid-template-columns:repeat(4,1fr);margin-bottom:10pt}
  .cols{grid-template-columns:1fr 1fr;gap:10pt}
  .cols .card{margin-bottom:0}
  .split{grid-template-columns:1fr}
  .stats{grid-template-columns:repeat(4,1fr)}
  table.data{font-size:9pt}
  .chart-wrap.wide svg{min-width:0}
  a,.masthead .meta a{color:inherit;text-decoration:none}
}
`.trim();
