/** The ICP sheet in Markdown: the same content as the HTML page, tables instead of charts. */
import type { Trait } from '../../domain/calibration/key-traits.ts';
import { mdCell } from './escape.ts';
import type { IcpSheet } from './icp-sheet.ts';

function traitTable(sheet: IcpSheet, traits: readonly Trait[]): string[] {
  const { words: w, fmt } = sheet;
  if (traits.length === 0) return [w.noneSure(sheet.unitWord), ''];
  return [
    `| ${w.segment} | ${sheet.unitWord} | ${sheet.outcomeWord} | ${w.interval} | ${w.lift} | ${w.medianWon} | ${w.cycle} |`,
    '|---|---:|---:|---:|---:|---:|---:|',
    ...traits.map(
      (t) =>
        `| ${mdCell(t.attribute)} = **${mdCell(t.label)}** | ${t.n} | ${fmt.pct(t.winRate)} | ${fmt.interval(t.interval)} | ${fmt.lift(t.lift)} | ${fmt.amount(t.medianWonAmount)} | ${fmt.days(t.medianWonCycleDays)} |`,
    ),
    '',
  ];
}

function targetFunctions(sheet: IcpSheet): string[] {
  const { words: w, fmt } = sheet;
  const tf = sheet.targetFunctions;
  if (tf === undefined) {
    if (sheet.roles === undefined || sheet.roles.length === 0) return [sheet.lang === 'fr' ? 'Pas encore de fonctions dans le modèle.' : 'No buying roles in the model yet.', ''];
    return [...sheet.roles.map((r) => `- **${mdCell(r.name)}**${r.titles.length === 0 ? '' : `: ${mdCell(r.titles.join(', '))}`}`), '', mdCell(sheet.noTargetFunctions), ''];
  }
  return [
    `| ${w.role} | ${sheet.unitWord} | ${sheet.outcomeWord} | ${w.interval} | ${w.lift} | | ${w.suggested} |`,
    '|---|---:|---:|---:|---:|---|---|',
    ...tf.rows.map(
      (r) =>
        `| **${mdCell(r.label)}**${r.required ? ` (${w.required})` : ''} | ${r.n}${r.small ? ' *' : ''} | ${fmt.pct(r.winRate)} | ${fmt.interval(r.interval)} | ${fmt.lift(r.lift)} | ${mdCell(r.verdict)} | ${mdCell(r.suggested ?? '–')} |`,
    ),
    '',
    mdCell(tf.note),
    '',
  ];
}

function objections(sheet: IcpSheet): string[] {
  const { words: w, fmt } = sheet;
  const o = sheet.objections;
  if (o === undefined) return [mdCell(sheet.noObjections), ''];
  const top = o.topTier;
  return [
    `| ${w.reason} | ${w.unit('deal')} | ${w.shareOfLost} | ${w.lostAmount} |${top === undefined ? '' : ` ${mdCell(w.topTier(top.tier))}${w.colon}${w.unit('deal')} | ${mdCell(w.topTier(top.tier))}${w.colon}${w.shareOfLost} |`}`,
    `|---|---:|---:|---:|${top === undefined ? '' : '---:|---:|'}`,
    ...o.rows.map(
      (r) =>
        `| **${mdCell(r.label)}**${r.merged.length === 0 ? '' : ` (+ ${mdCell(r.merged.join(', '))})`} | ${r.deals} | ${fmt.pct(r.share, 0)} | ${fmt.pct(r.amountShare, 0)} |` +
        (r.top === undefined ? '' : ` ${r.top.deals} | ${fmt.pct(r.top.share, 0)} |`),
    ),
    '',
    mdCell(o.note),
    '',
  ];
}

export function sheetMarkdown(sheet: IcpSheet): string {
  const { words: w, fmt } = sheet;
  const fr = sheet.lang === 'fr';
  const out: string[] = [
    `# ${mdCell(sheet.title)}`,
    '',
    `${mdCell(sheet.subtitle)} · ${sheet.generatedOn} · ${w.from} ${mdCell(sheet.source)} · **${w.rechallengeBy} ${sheet.rechallengeBy}${sheet.rechallengeOverdue ? ` (${w.overdue})` : ''}**`,
    '',
    ...(sheet.noModel === undefined ? [] : [`> **${w.noModelBanner}** ${mdCell(sheet.noModel)}.`, '']),
    fr ? '| chiffre | valeur | |' : '| figure | value | |',
    '|---|---:|---|',
    ...sheet.figures.map((f) => `| ${mdCell(f.label)} | **${mdCell(f.value)}** | ${mdCell(f.note)} |`),
    '',
    `## ${w.keyTraits}`,
    '',
    ...traitTable(sheet, sheet.traits.winning),
    `## ${w.weakest}`,
    '',
    ...traitTable(sheet, sheet.traits.losing),
  ];
  if (sheet.traits.largestDeals.length > 0) out.push(`## ${w.largestDeals}`, '', ...traitTable(sheet, sheet.traits.largestDeals));
  if (sheet.traits.fastest.length > 0) out.push(`## ${w.fastest}`, '', ...traitTable(sheet, sheet.traits.fastest));
  out.push(`## ${w.targetFunctions}`, '', ...targetFunctions(sheet));
  out.push(`## ${w.objections}`, '', ...objections(sheet));
  out.push(`## ${w.whatChanged}`, '');
  if (sheet.advice !== undefined) out.push(`**${mdCell(sheet.advice.charAt(0).toUpperCase() + sheet.advice.slice(1))}.**`, '');
  out.push(...(sheet.changes.length === 0 ? [mdCell(sheet.noChange)] : sheet.changes.map((c) => `- ${mdCell(c)}`)), '');
  if (sheet.criteria.length > 0) {
    out.push(`${w.suggestedWeights}${w.colon}${sheet.criteria.map((c) => `**${mdCell(c.attribute)}** ${Math.round(c.share * 100)} %`).join(' · ')}.`, '');
    for (const l of sheet.leftOut) out.push(`- ${w.leftOut.toLowerCase()} ${mdCell(l.attribute)}${w.colon}${mdCell(l.reason)}`);
    if (sheet.leftOut.length > 0) out.push('');
  }
  out.push(`## ${w.segments}`, '');
  for (const c of sheet.segmentCharts) {
    const iv = fr ? c.informationValue.toFixed(2).replace('.', ',') : c.informationValue.toFixed(2);
    out.push(`### ${sheet.outcomeWord} ${fr ? 'par' : 'by'} ${mdCell(c.attribute)} (${fr ? 'valeur d’information' : 'information value'} ${iv})`, '');
    out.push(`| ${w.segment} | ${sheet.unitWord} | ${sheet.outcomeWord} | ${w.interval} |`, '|---|---:|---:|---:|');
    for (const b of c.bars) out.push(`| ${mdCell(b.label)}${b.small ? ' *' : ''} | ${b.n} | ${fmt.pct(b.rate)} | ${fmt.interval(b.interval)} |`);
    out.push('');
  }
  if (sheet.tierColumns.length > 0) {
    out.push(
      fr ? `## Répartition par tier ${mdCell(sheet.populationLabel)}` : `## Tier distribution of ${mdCell(sheet.populationLabel)}`,
      '',
      `| tier | ${w.currentModel} | ${w.suggestedModelLegend} |`,
      '|---|---:|---:|',
    );
    for (const t of sheet.tierColumns) {
      out.push(`| ${mdCell(t.tier)} | ${t.current === undefined ? '–' : fmt.pct(t.current)} | ${t.suggested === undefined ? '–' : fmt.pct(t.suggested)} |`);
    }
    out.push('');
  }
  for (const chart of [sheet.tierRates, sheet.lift]) {
    if (chart === undefined || chart.columns.length === 0) continue;
    out.push(`## ${mdCell(chart.title)}`, '', `| | ${sheet.unitWord} | ${sheet.outcomeWord} |`, '|---|---:|---:|');
    for (const c of chart.columns) out.push(`| ${mdCell(c.label)} | ${c.n} | ${fmt.pct(c.rate)} |`);
    out.push('');
  }
  out.push('---', '', ...sheet.notes.map((n) => `${n}  `), '');
  return out.join('\n');
}
