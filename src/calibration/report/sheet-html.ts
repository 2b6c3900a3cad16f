/**
 * The ICP sheet as one self-contained HTML page: inline CSS, inline SVG charts, no script and no
 * external resource (a Content-Security-Policy forbids them), sized to print on one A4 page.
 */
import type { Trait } from '../../domain/calibration/key-traits.ts';
import { esc } from './escape.ts';
import { OBJECTIONS_SHOWN, type IcpSheet } from './icp-sheet.ts';
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
/* Narrower than the wide tables (a console frame, a small window): a column scrolls instead of spilling over the next. */
.cols > div { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 11px; }
td, th { padding: 2px 5px; text-align: left; border-bottom: 1px solid #f1f3f5; vertical-align: top; white-space: nowrap; }
th { font-weight: 600; color: #444; }
td.num { text-align: right; white-space: nowrap; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
ul { margin: 4px 0; padding-left: 18px; }
.muted { color: #666; }
.nomodel { margin: 8px 0; padding: 8px 12px; border: 2px solid #d9480f; border-radius: 4px; background: #fff4e6; color: #7a2e05; font-size: 14px; }
.overdue { color: #c92a2a; }
footer { margin-top: 12px; color: #666; font-size: 10px; }
.note { color: #666; font-size: 10px; margin: 2px 0 0; }
.titles { color: #777; font-size: 10px; }
td.wrap { white-space: normal; }
@media print { body { zoom: 0.58; max-width: none; padding: 0; } h2 { break-after: avoid; } .charts, table { break-inside: avoid; } }
`;

function traitRows(sheet: IcpSheet, traits: readonly Trait[]): string {
  const { words: w, fmt } = sheet;
  if (traits.length === 0) return `<p class="muted">${esc(w.noneSure(sheet.unitWord))}</p>`;
  const rows = traits
    .map(
      (t) =>
        `<tr><td>${esc(t.attribute)} = <b>${esc(t.label)}</b></td><td class="num">${t.n}</td><td class="num">${esc(fmt.pct(t.winRate))}</td><td class="num">${esc(fmt.interval(t.interval))}</td><td class="num">${esc(fmt.lift(t.lift))}</td><td class="num">${esc(fmt.amount(t.medianWonAmount))}</td><td class="num">${esc(fmt.days(t.medianWonCycleDays))}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>${esc(w.segment)}</th><th>${esc(sheet.unitWord)}</th><th>${esc(sheet.outcomeWord)}</th><th>${esc(w.interval)}</th><th>${esc(w.lift)}</th><th>${esc(w.medianWon)}</th><th>${esc(w.cycle)}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function traitList(sheet: IcpSheet, traits: readonly Trait[], what: (t: Trait) => string): string {
  return `<ul>${traits.map((t) => `<li>${esc(t.attribute)} = <b>${esc(t.label)}</b>${esc(sheet.words.colon)}${esc(what(t))} (${esc(sheet.words.wonOf(t.won, t.n))})</li>`).join('')}</ul>`;
}

function rolesHtml(sheet: IcpSheet): string {
  const { words: w, fmt } = sheet;
  const tf = sheet.targetFunctions;
  if (tf !== undefined) {
    const suggested = tf.rows.some((r) => r.suggested !== undefined);
    const rows = tf.rows
      .map(
        (r) =>
          `<tr><td class="wrap"><b>${esc(r.label)}</b>${r.required ? ` (${esc(w.required)})` : ''}${r.titles.length === 0 ? '' : ` <span class="titles">${esc(shortened(r.titles.join(', '), 26))}</span>`}</td>` +
          `<td class="num">${r.n}${r.small ? ' *' : ''}</td><td class="num">${esc(fmt.pct(r.winRate))}</td><td class="num">${esc(fmt.interval(r.interval))}</td><td class="num">${esc(fmt.lift(r.lift))}</td><td>${esc(r.verdict)}</td>` +
          (suggested ? `<td>${esc(r.suggested ?? '–')}</td>` : '') +
          '</tr>',
      )
      .join('');
    return (
      `<table><thead><tr><th>${esc(w.role)}</th><th>${esc(sheet.unitWord)}</th><th>${esc(sheet.outcomeWord)}</th><th>${esc(w.interval)}</th><th>${esc(w.lift)}</th><th></th>${suggested ? `<th>${esc(w.suggested)}</th>` : ''}</tr></thead><tbody>${rows}</tbody></table>` +
      `<p class="note">${esc(tf.note)}</p>`
    );
  }
  if (sheet.roles === undefined || sheet.roles.length === 0) {
    return sheet.lang === 'fr'
      ? '<p class="muted">Pas encore de fonctions dans le modèle : ajoutez <code>roles</code> (décideur, acheteur, utilisateur, influenceur, avec leurs intitulés de poste) pour cibler les contacts.</p>'
      : '<p class="muted">No buying roles in the model yet: add <code>roles</code> (decision maker, buyer, user, influencer, with their job titles) to target contacts.</p>';
  }
  return `<ul>${sheet.roles.map((r) => `<li><b>${esc(r.name)}</b>${r.titles.length === 0 ? '' : `: ${esc(r.titles.join(', '))}`}</li>`).join('')}</ul><p class="note">${esc(sheet.noTargetFunctions)}</p>`;
}

function objectionsHtml(sheet: IcpSheet): string {
  const { words: w, fmt } = sheet;
  const o = sheet.objections;
  if (o === undefined) return `<p class="muted">${esc(sheet.noObjections)}</p>`;
  const top = o.topTier;
  const rows = o.rows
    .slice(0, OBJECTIONS_SHOWN)
    .map(
      (r) =>
        `<tr><td class="wrap"><b>${esc(r.label)}</b>${r.merged.length === 0 ? '' : ` <span class="titles">(${esc(shortened(r.merged[0] as string, 24))}${r.merged.length > 1 ? `, +${r.merged.length - 1}` : ''})</span>`}</td>` +
        `<td class="num">${r.deals}</td><td class="num">${esc(fmt.pct(r.share, 0))}</td><td class="num">${esc(fmt.pct(r.amountShare, 0))}</td>` +
        (r.top === undefined ? '' : `<td class="num">${r.top.deals}</td><td class="num">${esc(fmt.pct(r.top.share, 0))}</td>`) +
        '</tr>',
    )
    .join('');
  const head =
    `<tr><th rowspan="2">${esc(w.reason)}</th><th colspan="3">${esc(w.overall)}</th>${top === undefined ? '' : `<th colspan="2">${esc(w.topTier(top.tier, fmt.count(top.lost)))}</th>`}</tr>` +
    `<tr><th>${esc(w.unit('deal'))}</th><th>${esc(w.shareOfLost)}</th><th>${esc(w.lostAmount)}</th>${top === undefined ? '' : `<th>${esc(w.unit('deal'))}</th><th>${esc(w.shareOfLost)}</th>`}</tr>`;
  return `<table><thead>${head}</thead><tbody>${rows}</tbody></table><p class="note">${esc(o.note)}</p>`;
}

/** Changes shown on the page; the Markdown twin has them all, unabridged. */
const MAX_CHANGES = 10;
const MAX_CHANGE_LENGTH = 280;

function changeList(sheet: IcpSheet, changes: readonly string[]): string {
  const shown = changes.slice(0, MAX_CHANGES).map((c) => (c.length > MAX_CHANGE_LENGTH ? `${c.slice(0, MAX_CHANGE_LENGTH - 1)}…` : c));
  const more = changes.length - shown.length;
  return `<ul>${shown.map((c) => `<li>${esc(c)}</li>`).join('')}${more > 0 ? `<li class="muted">${esc(sheet.words.moreIn(more))}</li>` : ''}</ul>`;
}

/** One line in a table cell: the text cut at `max` characters (the Markdown twin has it whole). */
function shortened(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function sheetHtml(sheet: IcpSheet): string {
  const { words: w, fmt } = sheet;
  const fr = sheet.lang === 'fr';
  const figures = sheet.figures
    .map((f) => `<div class="figure"><small>${esc(f.label)}</small><b>${esc(f.value)}</b><small>${esc(f.note)}</small></div>`)
    .join('');
  const iv = (x: number): string => (fr ? x.toFixed(2).replace('.', ',') : x.toFixed(2));
  const segmentCharts = sheet.segmentCharts
    .map((c) =>
      rateBarsSvg(`${capitalised(sheet.outcomeWord)} ${fr ? 'par' : 'by'} ${c.attribute} (IV ${iv(c.informationValue)})`, c.bars, sheet.baseRate, 360, w.of),
    )
    .join('');
  const modelCharts = [
    sheet.tierColumns.length === 0
      ? ''
      : tierShareSvg(`${fr ? 'Tiers' : 'Tiers of'} ${sheet.populationLabel}`, sheet.tierColumns, 290, { current: w.currentModel, suggested: w.suggestedModelLegend }),
    sheet.tierRates === undefined || sheet.tierRates.columns.length === 0 ? '' : rateColumnsSvg(sheet.tierRates.title, sheet.tierRates.columns, sheet.baseRate, 230, w.of),
    sheet.lift.columns.length === 0 ? '' : rateColumnsSvg(sheet.lift.title, sheet.lift.columns, sheet.baseRate, 320, w.of),
    sheet.roc.length === 0 ? '' : rocSvg(`ROC, ${fr ? `${sheet.unitWord} mis de côté` : `held-out ${sheet.unitWord}`}`, sheet.roc, 210, sheet.rocAxes),
  ].join('');
  const criteria =
    sheet.criteria.length === 0
      ? ''
      : `<p>${esc(w.suggestedWeights)}${esc(w.colon)}${sheet.criteria.map((c) => `<b>${esc(c.attribute)}</b> ${Math.round(c.share * 100)} %`).join(' · ')}${
          sheet.leftOut.length === 0 ? '' : `. ${esc(w.leftOut)}${esc(w.colon)}${sheet.leftOut.map((l) => `${esc(l.attribute)} (${esc(l.reason)})`).join('; ')}`
        }.</p>`;
  const changes = sheet.changes.length === 0 ? `<p class="muted">${esc(sheet.noChange)}</p>` : changeList(sheet, sheet.changes);
  const extra = [
    sheet.traits.largestDeals.length === 0
      ? ''
      : `<h2>${esc(w.largestDeals)}</h2>${traitList(sheet, sheet.traits.largestDeals, (t) => `${w.median} ${fmt.amount(t.medianWonAmount)}`)}`,
    sheet.traits.fastest.length === 0
      ? ''
      : `<h2>${esc(w.fastest)}</h2>${traitList(sheet, sheet.traits.fastest, (t) => `${w.median} ${fmt.days(t.medianWonCycleDays)}`)}`,
  ].join('');
  const rechallenge = `${w.rechallengeBy} ${sheet.rechallengeBy}${sheet.rechallengeOverdue ? ` (${w.overdue})` : ''}`;
  return `<!DOCTYPE html>
<html lang="${sheet.lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(sheet.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${esc(sheet.title)}</h1>
<p class="sub">${esc(sheet.subtitle)} · ${esc(sheet.generatedOn)} · ${esc(w.from)} ${esc(sheet.source)} · <b${sheet.rechallengeOverdue ? ' class="overdue"' : ''}>${esc(rechallenge)}</b></p></header>
${sheet.noModel === undefined ? '' : `<p class="nomodel"><b>${esc(w.noModelBanner)}</b> ${esc(sheet.noModel)}.</p>`}
<section class="figures">${figures}</section>
<div class="cols">
<div class="main"><h2>${esc(w.keyTraits)}</h2>${traitRows(sheet, sheet.traits.winning)}
<h2>${esc(w.weakest)}</h2>${traitRows(sheet, sheet.traits.losing)}
<h2>${esc(w.targetFunctions)}</h2>${rolesHtml(sheet)}
<h2>${esc(w.objections)}</h2>${objectionsHtml(sheet)}</div>
<div class="side"><h2>${esc(w.whatChanged)}</h2>${sheet.advice === undefined ? '' : `<p><b>${esc(capitalised(sheet.advice))}.</b></p>`}${changes}${criteria}${extra}</div>
</div>
<h2>${esc(w.segments)}</h2>
<section class="charts">${segmentCharts}</section>
<h2>${esc(w.modelSection)}</h2>
<section class="charts">${modelCharts}</section>
<footer>${sheet.notes.map((n) => esc(n)).join(' ')} ${esc(w.dashedLine(sheet.outcomeWord, fmt.pct(sheet.baseRate)))}</footer>
</body>
</html>
`;
}
