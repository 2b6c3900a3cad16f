/**
 * The readable summary `icp-sync calibrate` prints: who wins, how well the current model separates
 * won from lost, what the data suggests and how it changes the model.
 */
import { unitNoun, type CalibrationResult, type TierCount } from '../domain/calibration/calibrate.ts';
import { strengthLabel } from '../domain/calibration/information-value.ts';
import { keyTraits, type Trait } from '../domain/calibration/key-traits.ts';
import type { ModelFit } from '../domain/calibration/model-fit.ts';
import { adviceOf } from './advice.ts';
import { amount, aucText, count, days, interval, lift, pct } from './format.ts';

export interface SummaryContext {
  source: string;
  modelPath?: string;
  suggestedPath?: string;
  reportDir?: string;
}

function traitLine(t: Trait, noun: string, best: boolean): string {
  const seg = `${t.attribute} = ${t.label}`.padEnd(34);
  return `  ${seg} ${count(t.n).padStart(6)} ${noun.padEnd(8)}  ${best ? 'best' : 'won'} ${pct(t.winRate).padStart(7)} ${interval(t.interval).padEnd(16)} lift ${lift(t.lift).padStart(6)}  median won ${amount(t.medianWonAmount)}, ${days(t.medianWonCycleDays)}`;
}

function tierLines(fit: ModelFit, distribution: readonly TierCount[] | undefined, noun: string, best = false): string[] {
  const out = [`  tier   ${noun.padStart(8)}  share  ${best ? ' best rate' : '  win rate'}  95 % interval     lift` + (distribution === undefined ? '' : '   base share')];
  for (const t of fit.tiers) {
    const base = distribution?.find((d) => d.tier === t.tier);
    out.push(
      (t.n === 0
        ? `  ${t.tier.padEnd(6)} ${count(0).padStart(8)} ${pct(0, 0).padStart(6)} ${`no ${noun}`.padStart(10)}`
        : `  ${t.tier.padEnd(6)} ${count(t.n).padStart(8)} ${pct(t.share, 0).padStart(6)} ${pct(t.winRate).padStart(10)}  ${interval(t.interval).padEnd(16)} ${lift(t.lift).padStart(6)}`) +
        (base === undefined ? '' : `  ${pct(base.share, 0).padStart(10)}`),
    );
  }
  return out;
}

function roleLines(r: CalibrationResult): string[] {
  const ra = r.roles;
  if (ra === undefined) return [];
  const noun = unitNoun(r.unit);
  const out = [
    `Target functions (win rate of the ${noun} where the role was present; ${count(ra.n)} ${noun} say which roles were present` +
      (ra.withoutInformation > 0 ? `, ${count(ra.withoutInformation)} do not` : '') +
      `; base ${pct(ra.baseRate)})`,
  ];
  for (const x of ra.roles) {
    const name = `${x.label}${x.known ? '' : ' (not in the model)'}`.padEnd(28);
    const sg = ra.suggestions.find((s) => s.role === x.role);
    out.push(
      `  ${name} ${count(x.present.n).padStart(6)} ${noun.padEnd(8)}  won ${pct(x.present.winRate).padStart(7)} ${interval(x.present.interval).padEnd(16)} lift ${lift(x.lift).padStart(6)}  without ${pct(x.absent.winRate).padStart(7)}  ${x.verdict}` +
        (sg === undefined || r.suggestion === undefined ? '' : ` → points ${sg.points}${sg.required ? ', required' : ''}`),
    );
  }
  if (ra.unknown.length > 0) out.push(`  role ids not in the model: ${ra.unknown.map((u) => `${u.id} ×${count(u.rows)}`).join(', ')}`);
  out.push('');
  return out;
}

function objectionLines(r: CalibrationResult): string[] {
  const o = r.objections;
  if (o === undefined) return [];
  const out = [
    `Frequent objections (${count(o.overall.withReason)} of ${count(o.overall.lost)} lost deals give a reason; share of lost deals, share of lost amount` +
      (o.topTier === undefined ? '' : `; in top tier ${o.topTier.tier}: ${count(o.topTier.lost)} lost deals`) +
      ')',
  ];
  for (const g of o.overall.groups.slice(0, 10)) {
    const t = o.topTier?.groups.find((x) => x.key === g.key);
    const merged = g.variants.length > 1 ? `  (also ${g.variants.slice(1, 4).map((v) => JSON.stringify(v.text)).join(', ')}${g.variants.length > 4 ? ', …' : ''})` : '';
    out.push(
      `  ${g.label.padEnd(28)} ${count(g.deals).padStart(6)} deals ${pct(g.share, 0).padStart(5)}  amount ${pct(g.amountShare, 0).padStart(5)}` +
        (o.topTier === undefined ? '' : `  tier ${o.topTier.tier}: ${count(t?.deals ?? 0)} (${pct(t?.share ?? 0, 0)})`) +
        merged,
    );
  }
  if (o.overall.groups.length > 10) out.push(`  … and ${o.overall.groups.length - 10} more reasons`);
  out.push('');
  return out;
}

export function summaryText(r: CalibrationResult, ctx: SummaryContext): string {
  const a = r.analysis;
  const noun = unitNoun(r.unit);
  const unit = r.mode === 'best' ? 'accounts (best customers vs the base)' : r.unit === 'deal' ? `deals of ${count(r.accounts)} accounts` : 'accounts';
  const rate = r.mode === 'best' ? 'Share of best customers' : 'Base win rate';
  const out: string[] = [];
  const window = r.window.from === undefined ? '' : `, closed ${r.window.from} to ${r.window.to}`;
  out.push(`Calibration from ${ctx.source}: ${count(r.dealsIn)} rows → ${count(a.n)} ${unit}${window}`);
  out.push(`Unit of analysis: ${unitNoun(r.unit, false)} (${r.unitReason})`);
  if (r.accountsWithSeveralDeals > 0 && r.unit === 'account') {
    out.push(`  ${count(r.accountsWithSeveralDeals)} accounts had several closed deals: each counts once, won if any deal was won`);
  }
  out.push(`${rate}: ${pct(a.baseRate)} (${count(a.won)} of ${count(a.n)})`, '');

  const traits = keyTraits(a);
  const best = r.mode === 'best';
  out.push(best ? 'Segments with most best customers (whole 95 % interval above the base share)' : 'Segments that win most (whole 95 % interval above the base rate)');
  out.push(...(traits.winning.length === 0 ? [`  none with enough ${noun}`] : traits.winning.map((t) => traitLine(t, noun, r.mode === 'best'))), '');
  out.push(best ? 'Segments with fewest best customers (whole 95 % interval below the base share)' : 'Segments that win least (whole 95 % interval below the base rate)');
  out.push(...(traits.losing.length === 0 ? [`  none with enough ${noun}`] : traits.losing.map((t) => traitLine(t, noun, r.mode === 'best'))), '');
  if (traits.largestDeals.length > 0) {
    out.push('Largest won deals (median)', ...traits.largestDeals.map((t) => traitLine(t, noun, r.mode === 'best')), '');
  }
  if (traits.fastest.length > 0) out.push('Fastest to close (median cycle of won deals)', ...traits.fastest.map((t) => traitLine(t, noun, r.mode === 'best')), '');

  out.push('Attributes by discriminating power (information value; a strength word needs p < 0.05 on 30+ rows)');
  for (const attr of a.attributes) {
    const strength = attr.leak !== undefined ? 'possible leakage' : strengthLabel(attr.informationValue, attr.pValue, a.n);
    const p = attr.pValue < 0.001 ? 'p < 0.001' : `p = ${attr.pValue.toFixed(3)}`;
    out.push(`  ${attr.attribute.padEnd(24)} ${attr.informationValue.toFixed(3).padStart(7)}  ${strength.padEnd(7)}  ${p}  missing ${pct(attr.missingShare, 0)}`);
  }
  for (const s of a.skipped) out.push(`  ${s.attribute.padEnd(24)} skipped: ${s.reason}`);
  out.push('');
  if (r.leakage.length > 0) {
    out.push('Possible leakage: left out of the key traits and the suggested model (--keep-attribute NAME to keep one)');
    for (const f of r.leakage) out.push(`  ${f.attribute}: ${f.reason}`);
    out.push('');
  }

  out.push(...roleLines(r), ...objectionLines(r));

  if (r.current !== undefined) {
    const fit = r.current.fit;
    out.push(`Current model ${r.current.model.version}${ctx.modelPath === undefined ? '' : ` (${ctx.modelPath})`}`);
    const top =
      fit.topTier !== undefined
        ? `; top tier ${fit.topTier.tier} ${r.mode === 'best' ? 'holds best customers at' : 'wins'} ${lift(fit.topTier.lift)} the base rate`
        : fit.emptyTopTier !== undefined
          ? `; top tier ${fit.emptyTopTier} holds no ${noun}`
          : '';
    out.push(`  AUC ${aucText(fit.auc)} on all ${count(fit.n)} ${noun} (whole data set)${top}`);
    if (r.current.absent.length > 0) {
      out.push(`  measured without ${r.current.absent.join(', ')}: no such column in the data (they score as missing)`);
    }
    out.push(...tierLines(fit, r.distribution.current, noun, r.mode === 'best'), '');
  }

  if (r.suggestion === undefined) {
    out.push(`No suggested model: ${r.suggestionProblem ?? 'not enough data'}`, '');
  } else {
    const s = r.suggestion;
    out.push(`Suggested model ${s.model.version}${ctx.suggestedPath === undefined ? '' : ` → ${ctx.suggestedPath}`}`);
    if (s.cautious === true) {
      out.push(
        `  CAUTIOUS MODEL: ${count(a.won)} best customers are too few to hold some out (each part needs 10),`,
        `  so it was fitted on all ${count(s.trainSize)} accounts and measured on the same ones: AUC ${aucText(s.holdoutFit.auc)} is optimistic.`,
        '  Read it as the seed of an ICP, check each criterion, and recalibrate when you have more customers.',
      );
    } else {
      const vs = r.current === undefined ? '' : ` (current model on the same held-out ${noun}: ${aucText(r.current.holdoutFit.auc)})`;
      out.push(`  held-out AUC ${aucText(s.holdoutFit.auc)} on ${count(s.holdoutSize)} ${noun} not used to fit it${vs}`);
    }
    const advice = s.cautious === true ? undefined : adviceOf(r);
    if (advice !== undefined) out.push(`  ${advice}`);
    if (s.holdoutFit.topTier !== undefined) {
      out.push(`  top tier ${s.holdoutFit.topTier.tier} ${r.mode === 'best' ? 'holds best customers at' : 'wins'} ${lift(s.holdoutFit.topTier.lift)} the base rate on the ${s.cautious === true ? 'same' : 'held-out'} ${noun}`);
    } else if (s.holdoutFit.emptyTopTier !== undefined) {
      out.push(`  top tier ${s.holdoutFit.emptyTopTier} holds no held-out ${noun}`);
    }
    const total = s.model.criteria.reduce((sum, c) => sum + c.weight, 0);
    out.push(`  criteria: ${s.model.criteria.map((c) => `${c.attribute} ${Math.round((100 * c.weight) / total)} %`).join(', ')}`);
    const left = s.verdicts.filter((v) => v.leftOut !== undefined);
    for (const v of left) out.push(`  left out ${v.attribute}: ${v.leftOut}`);
    out.push(...tierLines(s.holdoutFit, r.distribution.suggested, noun, r.mode === 'best'), '');
    if (r.diff.length > 0) out.push('Changes from the current model', ...r.diff.map((c) => `  ${c.text}`), '');
  }
  if (ctx.reportDir !== undefined) out.push(`ICP sheet written to ${ctx.reportDir}`);
  const rc = r.rechallenge;
  out.push(
    rc.basis === 'current'
      ? `Re-challenge model ${r.current?.model.version ?? ''} by ${rc.by} (dated ${rc.from} + ${rc.months} months)${rc.overdue ? ': OVERDUE' : ''}.`
      : `Re-challenge this ICP by ${rc.by} (${rc.months} months from today).`,
  );
  return `${out.join('\n')}\n`;
}
