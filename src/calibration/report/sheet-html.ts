/**
 * The ICP sheet as one self-contained HTML page: inline CSS, inline SVG charts, no script and no
 * external resource (a Content-Security-Policy forbids them), sized to print on one A4 page.
 */
import type { Trait } from '../../domain/calibration/key-traits.ts';
import { amount, days, interval, lift, pct } from '../format.ts';
import { esc } from './escape.ts';
import type { IcpSheet } from './icp-sheet.ts';
import { rateBarsSvg, rateColumnsSvg, rocSvg, tierShareSvg } from './svg-charts.ts';

const CSS = `
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { font: 12px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #212529; margin: 0 auto; max-width: 1140px; padding: 16px; }
h1 { font-size: 22px; margin: 0; }
h2 { font-size: 14px; margin: 14px 0 6px; border-bottom: 1px solid #dee2e6; padding-bottom: 2px; }
.sub { color: #555; margin: 2px 0 10px; }
.figures { display: flex; flex-wrap: wrap; gap: 8px; }
.figure { border: 1px solid #dee2e6; border-radius: 6px; padding: 6px 10px; min-width: 150px; flex: 1; }
.figure b { display: block; font-size: 18px; }
.figure small { color: #666; }
.cols { display: flex; flex-wrap: wrap; gap: 16px; }
.cols > .main { flex: 3; min-width: 520px; }
.cols > .side { flex: 2; min-width: 300px; }
table { border-collapse: collapse; width: 100%; font-size: 11px; }
td, th { padding: 2px 5px; text-align: left; border-bottom: 1px solid #f1f3f5; vertical-align: top; white-space: nowrap; }
th { font-weight: 600; color: #444; }
td.num { text-align: right; white-space: nowrap; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
ul { margin: 4px 0; padding-left: 18px; }
.muted { color: #666; }
.nomodel { margin: 8px 0; padding: 8px 12px; border: 2px solid #d9480f; border-radius: 4px; background: #fff4e6; color: #7a2e05; font-size: 14px; }
footer { margin-top: 12px; color: #666; font-size: 10px; }
@media print { body { zoom: 0.58; max-width: none; padding: 0; } h2 { break-after: avoid; } .charts, table { break-inside: avoid; } }
`;

function traitRows(traits: readonly Trait[], outcomeWord: string, unitWord: string): string {
  if (traits.length === 0) return `<p class="muted">None with enough ${esc(unitWord)} to be sure.</p>`;
  const rows = traits
    .map(
      (t) =>
        `<tr><td>${esc(t.attribute)} = <b>${esc(t.label)}</b></td><td class="num">${t.n}</td><td class="num">${esc(pct(t.winRate))}</td><td class="num">${esc(interval(t.interval))}</td><td class="num">${esc(lift(t.lift))}</td><td class="num">${esc(amount(t.medianWonAmount))}</td><td class="num">${esc(days(t.medianWonCycleDays))}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>segment</th><th>${esc(unitWord)}</th><th>${esc(outcomeWord)}</th><th>95 % interval</th><th>lift</th><th>median won</th><th>cycle</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function traitList(traits: readonly Trait[], what: (t: Trait) => string): string {
  return `<ul>${traits.map((t) => `<li>${esc(t.attribute)} = <b>${esc(t.label)}</b>: ${esc(what(t))} (${t.won} won of ${t.n})</li>`).join('')}</ul>`;
}

function rolesHtml(sheet: IcpSheet): string {
  if (sheet.roles === undefined || sheet.roles.length === 0) {
    return '<p class="muted">No buying roles in the model yet: add <code>roles</code> (decision maker, buyer, user, influencer, with their job titles) to target contacts.</p>';
  }
  return `<ul>${sheet.roles.map((r) => `<li><b>${esc(r.name)}</b>${r.titles.length === 0 ? '' : `: ${esc(r.titles.join(', '))}`}</li>`).join('')}</ul>`;
}

/** Changes shown on the page; the Markdown twin has them all, unabridged. */
const MAX_CHANGES = 10;
const MAX_CHANGE_LENGTH = 280;

function changeList(changes: readonly string[]): string {
  const shown = changes.slice(0, MAX_CHANGES).map((c) => (c.length > MAX_CHANGE_LENGTH ? `${c.slice(0, MAX_CHANGE_LENGTH - 1)}…` : c));
  const more = changes.length - shown.length;
  return `<ul>${shown.map((c) => `<li>${esc(c)}</li>`).join('')}${more > 0 ? `<li class="muted">… ${more} more in icp-sheet.md</li>` : ''}</ul>`;
}

function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function sheetHtml(sheet: IcpSheet): string {
  const figures = sheet.figures
    .map((f) => `<div class="figure"><small>${esc(f.label)}</small><b>${esc(f.value)}</b><small>${esc(f.note)}</small></div>`)
    .join('');
  const segmentCharts = sheet.segmentCharts
    .map((c) => rateBarsSvg(`${capitalised(sheet.outcomeWord)} by ${c.attribute} (IV ${c.informationValue.toFixed(2)})`, c.bars, sheet.baseRate, 360))
    .join('');
  const modelCharts = [
    sheet.tierColumns.length === 0 ? '' : tierShareSvg(`Tiers of ${sheet.populationLabel}`, sheet.tierColumns, 290),
    sheet.tierRates === undefined || sheet.tierRates.columns.length === 0 ? '' : rateColumnsSvg(sheet.tierRates.title, sheet.tierRates.columns, sheet.baseRate, 230),
    sheet.lift.columns.length === 0 ? '' : rateColumnsSvg(sheet.lift.title, sheet.lift.columns, sheet.baseRate, 320),
    sheet.roc.length === 0 ? '' : rocSvg(`ROC, held-out ${sheet.unitWord}`, sheet.roc, 210, sheet.rocAxes),
  ].join('');
  const criteria =
    sheet.criteria.length === 0
      ? ''
      : `<p>Suggested weights: ${sheet.criteria.map((c) => `<b>${esc(c.attribute)}</b> ${Math.round(c.share * 100)} %`).join(' · ')}${
          sheet.leftOut.length === 0 ? '' : `. Left out: ${sheet.leftOut.map((l) => `${esc(l.attribute)} (${esc(l.reason)})`).join('; ')}`
        }.</p>`;
  const changes = sheet.changes.length === 0 ? `<p class="muted">${esc(sheet.noChange)}</p>` : changeList(sheet.changes);
  const extra = [
    sheet.traits.largestDeals.length === 0
      ? ''
      : `<h2>Largest won deals</h2>${traitList(sheet.traits.largestDeals, (t) => `median ${amount(t.medianWonAmount)}`)}`,
    sheet.traits.fastest.length === 0
      ? ''
      : `<h2>Fastest to close</h2>${traitList(sheet.traits.fastest, (t) => `median ${days(t.medianWonCycleDays)}`)}`,
  ].join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(sheet.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${esc(sheet.title)}</h1>
<p class="sub">${esc(sheet.subtitle)} · ${esc(sheet.generatedOn)} · from ${esc(sheet.source)} · <b>re-challenge by ${esc(sheet.rechallengeBy)}</b></p></header>
${sheet.noModel === undefined ? '' : `<p class="nomodel"><b>No suggested model:</b> ${esc(sheet.noModel)}.</p>`}
<section class="figures">${figures}</section>
<div class="cols">
<div class="main"><h2>Key account traits</h2>${traitRows(sheet.traits.winning, sheet.outcomeWord, sheet.unitWord)}
<h2>Weakest segments</h2>${traitRows(sheet.traits.losing, sheet.outcomeWord, sheet.unitWord)}</div>
<div class="side"><h2>Target buying roles</h2>${rolesHtml(sheet)}
<h2>What changed since the last model</h2>${sheet.advice === undefined ? '' : `<p><b>${esc(capitalised(sheet.advice))}.</b></p>`}${changes}${criteria}${extra}</div>
</div>
<h2>Segments</h2>
<section class="charts">${segmentCharts}</section>
<h2>Model</h2>
<section class="charts">${modelCharts}</section>
<footer>${sheet.notes.map((n) => esc(n)).join(' ')} Dashed line: base ${esc(sheet.outcomeWord)} ${esc(pct(sheet.baseRate))}.</footer>
</body>
</html>
`;
}
