/**
 * The what-if preview of a draft: what the draft changes, the tier distribution before and after,
 * the matrix of tier moves, averages, the closed-deal comparison when deals were given, and the
 * records that move most with their old and new reasons.
 */
import type { PreviewResult } from '../../preview/model-preview.ts';
import type { SampleStatus } from '../../preview/sample-cache.ts';
import { html, type SafeHtml } from '../html.ts';
import { formatDate, formatNumber } from '../i18n.ts';
import { csrfField, type PageContext } from '../layout.ts';

const pct = (ctx: PageContext, share: number) => `${formatNumber(ctx.lang, share * 100, 1)} %`;

function tiers(ctx: PageContext, p: PreviewResult): SafeHtml {
  const { t } = ctx;
  const w = p.whatIf;
  const find = (list: typeof w.tiers.current, tier: string) => list.find((x) => x.tier === tier) ?? { tier, count: 0, share: 0 };
  return html`<table class="tiers">
    <caption>${t('preview.tiers')}</caption>
    <thead><tr><th scope="col">${t('preview.tier')}</th><th scope="col" class="num">${t('preview.current')}</th><th scope="col" class="num">${t('preview.draft')}</th><th scope="col">${t('preview.share')}</th></tr></thead>
    <tbody>${w.tierOrder.map((tier) => {
      const c = find(w.tiers.current, tier);
      const d = find(w.tiers.draft, tier);
      return html`<tr data-tier="${tier}"><th scope="row">${tier}</th>
        <td class="num">${c.count} <span class="muted">(${pct(ctx, c.share)})</span></td>
        <td class="num draft-count">${d.count} <span class="muted">(${pct(ctx, d.share)})</span></td>
        <td class="bars"><meter min="0" max="1" value="${c.share}" aria-label="${tier} ${t('preview.current')}">${pct(ctx, c.share)}</meter><meter class="draft" min="0" max="1" value="${d.share}" aria-label="${tier} ${t('preview.draft')}">${pct(ctx, d.share)}</meter></td></tr>`;
    })}</tbody>
  </table>`;
}

function moves(ctx: PageContext, p: PreviewResult): SafeHtml {
  const { t } = ctx;
  const w = p.whatIf;
  return html`<table class="moves">
    <caption>${t('preview.moves')}</caption>
    <thead><tr><th scope="col">${t('preview.fromTo')}</th>${w.tierOrder.map((to) => html`<th scope="col" class="num">${to}</th>`)}</tr></thead>
    <tbody>${w.tierOrder.map(
      (from) => html`<tr><th scope="row">${from}</th>${w.tierOrder.map((to) => {
        const n = w.moves[from]?.[to] ?? 0;
        return html`<td class="num${from === to ? ' same' : n > 0 ? ' moved' : ''}">${n}</td>`;
      })}</tr>`,
    )}</tbody>
  </table>`;
}

function movers(ctx: PageContext, p: PreviewResult): SafeHtml {
  const { t } = ctx;
  if (p.whatIf.movers.length === 0) return html`<p>${t('preview.noMovers')}</p>`;
  return html`<table class="movers">
    <caption>${t('preview.movers')}</caption>
    <thead><tr><th scope="col">${t('preview.record')}</th><th scope="col" class="num">${t('preview.current')}</th><th scope="col" class="num">${t('preview.draft')}</th><th scope="col" class="num">Δ</th><th scope="col">${t('preview.reasons')}</th></tr></thead>
    <tbody>${p.whatIf.movers.map(
      (m) => html`<tr><th scope="row">${m.name ?? m.id}<br><a class="muted" href="/console/records?target=${p.crm}:${p.objectType}&amp;id=${m.id}">${m.id}</a></th>
        <td class="num">${m.current.score} · ${m.current.tier}</td><td class="num">${m.draft.score} · ${m.draft.tier}</td><td class="num">${m.delta > 0 ? `+${m.delta}` : m.delta}</td>
        <td><span class="muted">${t('preview.before')}</span> ${m.current.reasons}<br><span class="muted">${t('preview.after')}</span> ${m.draft.reasons}</td></tr>`,
    )}</tbody>
  </table>`;
}

/** Where the closed deals stand (read, reading, too few, failed), with a button to read them again. */
function dealLine(ctx: PageContext, p: PreviewResult): SafeHtml | string {
  const c = p.dealCheck;
  if (c === undefined) return '';
  const { t, lang } = ctx;
  const since = c.since ?? '—';
  let text: string;
  if (c.enough) text = t('deals.compared', { since, readAt: formatDate(lang, c.readAt) });
  else if (c.readAt !== undefined) text = t('deals.tooFew', { count: c.count, won: c.won, lost: c.lost, since, min: c.minDeals, per: c.minPerOutcome });
  else if (c.state === 'reading') text = t('deals.reading', { count: c.reading ?? 0 });
  else if (c.state === 'failed') text = t('deals.failed', { error: c.error ?? '' });
  else text = t('deals.empty');
  const extra = c.readAt !== undefined && c.state === 'reading' ? ` ${t('deals.reading', { count: c.reading ?? 0 })}` : c.readAt !== undefined && c.state === 'failed' ? ` ${t('deals.failed', { error: c.error ?? '' })}` : '';
  return html`<form method="post" action="/console/model/deals" class="inline deals" data-deals-state="${c.state}" data-deals-enough="${c.enough ? 'true' : 'false'}">
    ${csrfField(ctx)}<input type="hidden" name="target" value="${p.crm}:${p.objectType}">
    <span>${text}${extra}</span>
    <button type="submit" class="secondary">${t('deals.refresh')}</button>
  </form>`;
}

function deals(ctx: PageContext, p: PreviewResult): SafeHtml | string {
  const d = p.whatIf.deals;
  if (d === undefined) return dealLine(ctx, p);
  const { t } = ctx;
  const auc = (v: number | null) => (v === null ? '—' : formatNumber(ctx.lang, v, 3));
  const rate = (v: number | null) => (v === null ? '—' : pct(ctx, v));
  return html`${dealLine(ctx, p)}<table class="deal-check">
    <caption>${t('preview.deals', { count: d.count, won: d.won })}</caption>
    <thead><tr><th scope="col"></th><th scope="col" class="num">${t('preview.current')}</th><th scope="col" class="num">${t('preview.draft')}</th></tr></thead>
    <tbody>
      <tr><th scope="row">AUC</th><td class="num">${auc(d.current.auc)}</td><td class="num">${auc(d.draft.auc)}</td></tr>
      <tr><th scope="row">${t('preview.topWinRate')}</th><td class="num">${rate(d.current.topTierWinRate)} (${d.current.topTier}, ${d.current.topTierDeals})</td><td class="num">${rate(d.draft.topTierWinRate)} (${d.draft.topTier}, ${d.draft.topTierDeals})</td></tr>
    </tbody>
  </table>`;
}

export function previewResult(ctx: PageContext, p: PreviewResult): SafeHtml {
  const { t, lang } = ctx;
  const w = p.whatIf;
  return html`<p class="summary" data-tier-changes="${w.tierChanges}">${t('preview.summary', {
    count: formatNumber(lang, p.sample.count),
    crm: p.crm,
    objectType: p.objectType,
    readAt: formatDate(lang, p.sample.readAt),
    current: p.current.version,
    draft: p.draft.version,
    ms: Math.round(p.ms),
  })}</p>
  <p class="headline"><strong>${t('preview.headline', { tiers: formatNumber(lang, w.tierChanges), scores: formatNumber(lang, w.scoreChanges) })}</strong>
   · ${t('preview.averages', { current: formatNumber(lang, w.averageScore.current, 1), draft: formatNumber(lang, w.averageScore.draft, 1) })}</p>
  ${p.changes.length === 0 ? html`<p>${t('preview.noChange')}</p>` : html`<ul class="changes">${p.changes.map((c) => html`<li>${c.text}</li>`)}</ul>`}
  <div class="grid2"><div class="scroll" tabindex="0">${tiers(ctx, p)}</div><div class="scroll" tabindex="0">${moves(ctx, p)}</div></div>
  ${deals(ctx, p)}
  <div class="scroll" tabindex="0">${movers(ctx, p)}</div>`;
}

/** Where the sample stands, with a button to read it again. */
export function sampleLine(ctx: PageContext, s: SampleStatus): SafeHtml {
  const { t, lang } = ctx;
  const state =
    s.state === 'ready'
      ? t('sample.ready', { count: formatNumber(lang, s.count), readAt: formatDate(lang, s.readAt) })
      : s.state === 'reading'
        ? t('sample.reading', { count: formatNumber(lang, s.count), size: formatNumber(lang, s.size) })
        : s.state === 'failed'
          ? t('sample.failed', { error: s.error ?? '' })
          : t('sample.empty');
  return html`<form method="post" action="/console/model/sample" class="inline sample" data-sample-state="${s.state}">
    ${csrfField(ctx)}<input type="hidden" name="target" value="${s.crm}:${s.objectType}">
    <span>${state}</span>
    <button type="submit" class="secondary">${t('sample.refresh')}</button>
  </form>`;
}
