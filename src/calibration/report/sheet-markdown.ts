/** The ICP sheet in Markdown: the same content as the HTML page, tables instead of charts. */
import type { Trait } from '../../domain/calibration/key-traits.ts';
import { amount, days, interval, lift, pct } from '../format.ts';
import { mdCell } from './escape.ts';
import type { IcpSheet } from './icp-sheet.ts';

function traitTable(traits: readonly Trait[], outcomeWord: string, unitWord: string): string[] {
  if (traits.length === 0) return [`None with enough ${unitWord} to be sure.`, ''];
  return [
    `| segment | ${unitWord} | ${outcomeWord} | 95 % interval | lift | median won | cycle |`,
    '|---|---:|---:|---:|---:|---:|---:|',
    ...traits.map(
      (t) =>
        `| ${mdCell(t.attribute)} = **${mdCell(t.label)}** | ${t.n} | ${pct(t.winRate)} | ${interval(t.interval)} | ${lift(t.lift)} | ${amount(t.medianWonAmount)} | ${days(t.medianWonCycleDays)} |`,
    ),
    '',
  ];
}

export function sheetMarkdown(sheet: IcpSheet): string {
  const out: string[] = [
    `# ${mdCell(sheet.title)}`,
    '',
    `${mdCell(sheet.subtitle)} · ${sheet.generatedOn} · from ${mdCell(sheet.source)} · **re-challenge by ${sheet.rechallengeBy}**`,
    '',
    ...(sheet.noModel === undefined ? [] : [`> **No suggested model:** ${mdCell(sheet.noModel)}.`, '']),
    '| figure | value | |',
    '|---|---:|---|',
    ...sheet.figures.map((f) => `| ${mdCell(f.label)} | **${mdCell(f.value)}** | ${mdCell(f.note)} |`),
    '',
    '## Key account traits',
    '',
    ...traitTable(sheet.traits.winning, sheet.outcomeWord, sheet.unitWord),
    '## Weakest segments',
    '',
    ...traitTable(sheet.traits.losing, sheet.outcomeWord, sheet.unitWord),
  ];
  if (sheet.traits.largestDeals.length > 0) out.push('## Largest won deals', '', ...traitTable(sheet.traits.largestDeals, sheet.outcomeWord, sheet.unitWord));
  if (sheet.traits.fastest.length > 0) out.push('## Fastest to close', '', ...traitTable(sheet.traits.fastest, sheet.outcomeWord, sheet.unitWord));
  out.push('## Target buying roles', '');
  if (sheet.roles === undefined || sheet.roles.length === 0) out.push('No buying roles in the model yet.', '');
  else out.push(...sheet.roles.map((r) => `- **${mdCell(r.name)}**${r.titles.length === 0 ? '' : `: ${mdCell(r.titles.join(', '))}`}`), '');
  out.push('## What changed since the last model', '');
  if (sheet.advice !== undefined) out.push(`**${mdCell(sheet.advice.charAt(0).toUpperCase() + sheet.advice.slice(1))}.**`, '');
  out.push(...(sheet.changes.length === 0 ? [mdCell(sheet.noChange)] : sheet.changes.map((c) => `- ${mdCell(c)}`)), '');
  if (sheet.criteria.length > 0) {
    out.push(`Suggested weights: ${sheet.criteria.map((c) => `**${mdCell(c.attribute)}** ${Math.round(c.share * 100)} %`).join(' · ')}.`, '');
    for (const l of sheet.leftOut) out.push(`- left out ${mdCell(l.attribute)}: ${mdCell(l.reason)}`);
    if (sheet.leftOut.length > 0) out.push('');
  }
  out.push('## Segments', '');
  for (const c of sheet.segmentCharts) {
    out.push(`### ${sheet.outcomeWord} by ${mdCell(c.attribute)} (information value ${c.informationValue.toFixed(2)})`, '');
    out.push(`| segment | ${sheet.unitWord} | ${sheet.outcomeWord} | 95 % interval |`, '|---|---:|---:|---:|');
    for (const b of c.bars) out.push(`| ${mdCell(b.label)}${b.small ? ' *' : ''} | ${b.n} | ${pct(b.rate)} | ${interval(b.interval)} |`);
    out.push('');
  }
  if (sheet.tierColumns.length > 0) {
    out.push(`## Tier distribution of ${mdCell(sheet.populationLabel)}`, '', '| tier | current model | suggested model |', '|---|---:|---:|');
    for (const t of sheet.tierColumns) {
      out.push(`| ${mdCell(t.tier)} | ${t.current === undefined ? '–' : pct(t.current)} | ${t.suggested === undefined ? '–' : pct(t.suggested)} |`);
    }
    out.push('');
  }
  for (const chart of [sheet.tierRates, sheet.lift]) {
    if (chart === undefined || chart.columns.length === 0) continue;
    out.push(`## ${mdCell(chart.title)}`, '', `| | ${sheet.unitWord} | ${sheet.outcomeWord} |`, '|---|---:|---:|');
    for (const c of chart.columns) out.push(`| ${mdCell(c.label)} | ${c.n} | ${pct(c.rate)} |`);
    out.push('');
  }
  out.push('---', '', ...sheet.notes.map((n) => `${n}  `), '');
  return out.join('\n');
}
