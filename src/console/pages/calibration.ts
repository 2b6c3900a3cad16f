/**
 * The Calibration page: run `calibrate --crm X --report` in the background, follow it, and read its
 * last result: the summary (AUC, win rate per tier, the suggestion and the advice), the suggested
 * model with "use as draft" (editors), and the ICP sheet framed from its own console route.
 */
import type { CalibrationRunResult, CalibrationRunStatus, FitSummary } from '../../calibration/calibration-runs.ts';
import type { CrmName } from '../../connectors/port.ts';
import { html, type SafeHtml } from '../html.ts';
import { formatDate, formatNumber } from '../i18n.ts';
import { csrfField, type PageContext } from '../layout.ts';

export interface CalibrationPageData {
  crms: readonly CrmName[];
  crm: CrmName;
  status: CalibrationRunStatus;
  result?: CalibrationRunResult;
}

const pct = (ctx: PageContext, share: number) => `${formatNumber(ctx.lang, share * 100, 1)} %`;
const auc = (ctx: PageContext, v: number | null | undefined) => (v === null || v === undefined ? '—' : formatNumber(ctx.lang, v, 3));

/** The run's state in one line; the page's script polls it while a run is under way. */
export function statusLine(ctx: PageContext, s: CalibrationRunStatus): SafeHtml {
  const { t, lang } = ctx;
  const text =
    s.state === 'running'
      ? s.phase === 'analysing'
        ? t('calibration.analysing', { deals: formatNumber(lang, s.deals) })
        : t('calibration.reading', { deals: formatNumber(lang, s.deals) })
      : s.state === 'done'
        ? t('calibration.done', { at: formatDate(lang, s.finishedAt), by: s.by ?? '—', deals: formatNumber(lang, s.deals) })
        : s.state === 'failed'
          ? t('calibration.failed', { error: s.error ?? '' })
          : t('calibration.idle');
  return html`<p class="calibration-state" data-state="${s.state}"><span class="badge ${s.state === 'running' ? 'running' : s.state === 'done' ? 'done' : s.state === 'failed' ? 'failing' : ''}">${t(`calibration.state.${s.state}`)}</span> ${text}${
    s.state === 'running' ? html` <a href="/console/calibration?crm=${s.crm}">${t('calibration.reload')}</a>` : ''
  }</p>`;
}

function tierTable(ctx: PageContext, caption: string, fit: FitSummary): SafeHtml {
  const { t } = ctx;
  return html`<table class="calibration-tiers">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">${t('preview.tier')}</th><th scope="col" class="num">${t('calibration.n')}</th><th scope="col" class="num">${t('calibration.winRate')}</th></tr></thead>
    <tbody>${fit.tiers.map((x) => html`<tr data-tier="${x.tier}"><th scope="row">${x.tier}</th><td class="num">${x.n}</td><td class="num">${x.n === 0 ? '—' : pct(ctx, x.winRate)}</td></tr>`)}</tbody>
  </table>`;
}

function summary(ctx: PageContext, r: CalibrationRunResult): SafeHtml {
  const { t, lang } = ctx;
  const s = r.summary;
  const unit = t(s.unit === 'deal' ? 'calibration.unit.deal' : 'calibration.unit.account');
  return html`<section aria-labelledby="calibration-summary">
    <h2 id="calibration-summary">${t('calibration.summary')}</h2>
    <p>${t('calibration.source', { crm: r.crm, since: s.since, at: formatDate(lang, r.finishedAt), by: r.by })}</p>
    <dl class="facts">
      <dt>${t('calibration.analysed')}</dt><dd>${formatNumber(lang, s.analysed)} ${unit} · ${t('calibration.wonShare', { won: formatNumber(lang, s.won), rate: pct(ctx, s.baseRate) })}</dd>
      <dt>${t('calibration.window')}</dt><dd>${s.window.from ?? '—'} → ${s.window.to ?? '—'}</dd>
      <dt>${t('calibration.rechallengeBy')}</dt><dd>${s.rechallengeBy}</dd>
    </dl>
    <div class="scroll" tabindex="0"><table class="calibration-auc">
      <caption>AUC</caption>
      <thead><tr><th scope="col"></th><th scope="col" class="num">${t('calibration.allDeals')}</th><th scope="col" class="num">${t('calibration.heldOut')}</th></tr></thead>
      <tbody>
        ${s.current === undefined ? '' : html`<tr><th scope="row">${t('calibration.current', { version: s.current.all.version })}</th><td class="num" data-auc="current">${auc(ctx, s.current.all.auc)}</td><td class="num">${auc(ctx, s.current.holdout.auc)}</td></tr>`}
        ${s.suggestion === undefined ? '' : html`<tr><th scope="row">${t('calibration.suggested', { version: s.suggestion.holdout.version })}${s.suggestion.cautious ? html` <span class="muted">(${t('calibration.cautious')})</span>` : ''}</th><td class="num">—</td><td class="num" data-auc="suggested">${auc(ctx, s.suggestion.holdout.auc)}</td></tr>`}
      </tbody>
    </table></div>
    ${s.advice === undefined ? '' : html`<p class="headline"><strong>${s.advice.charAt(0).toUpperCase()}${s.advice.slice(1)}.</strong></p>`}
    ${s.suggestionProblem === undefined ? '' : html`<p class="notice error" role="status">${t('calibration.noSuggestion', { problem: s.suggestionProblem })}</p>`}
    <div class="grid2">
      ${s.current === undefined ? '' : html`<div class="scroll" tabindex="0">${tierTable(ctx, t('calibration.tiersCurrent', { version: s.current.all.version }), s.current.all)}</div>`}
      ${s.suggestion === undefined ? '' : html`<div class="scroll" tabindex="0">${tierTable(ctx, t('calibration.tiersSuggested', { version: s.suggestion.holdout.version, n: s.suggestion.holdoutSize }), s.suggestion.holdout)}</div>`}
    </div>
    ${s.notes.length === 0 ? '' : html`<ul class="muted">${s.notes.map((n) => html`<li>${n}</li>`)}</ul>`}
  </section>`;
}

function suggestion(ctx: PageContext, r: CalibrationRunResult): SafeHtml | string {
  const { t } = ctx;
  if (r.suggestedYaml === undefined) return '';
  const editor = ctx.session?.role === 'editor';
  return html`<section aria-labelledby="calibration-suggestion">
    <h2 id="calibration-suggestion">${t('calibration.suggestion')}</h2>
    ${r.summary.changes.length === 0 ? html`<p>${t('preview.noChange')}</p>` : html`<ul class="changes">${r.summary.changes.map((c) => html`<li>${c}</li>`)}</ul>`}
    ${
      editor
        ? html`<form method="post" action="/console/calibration/draft" class="inline">${csrfField(ctx)}<input type="hidden" name="crm" value="${r.crm}">
            <button type="submit">${t('calibration.useAsDraft')}</button><span class="help">${t('calibration.useAsDraftHelp')}</span></form>`
        : html`<p class="muted">${t('calibration.viewerDraft')}</p>`
    }
    <details><summary>${t('calibration.yaml')}</summary><pre class="diff" tabindex="0">${r.suggestedYaml}</pre></details>
  </section>`;
}

export function renderCalibration(ctx: PageContext, d: CalibrationPageData): SafeHtml {
  const { t } = ctx;
  const editor = ctx.session?.role === 'editor';
  const tabs =
    d.crms.length < 2
      ? ''
      : html`<nav aria-label="${t('calibration.crms')}"><ul class="inline-fields">${d.crms.map(
          (c) => html`<li><a href="/console/calibration?crm=${c}"${c === d.crm ? html` aria-current="page"` : ''}>${c}</a></li>`,
        )}</ul></nav>`;
  return html`<p class="help">${t('calibration.help')}</p>
  ${tabs}
  <section aria-labelledby="calibration-run">
    <h2 id="calibration-run">${t('calibration.run', { crm: d.crm })}</h2>
    <div id="calibration-status" aria-live="polite" data-poll="/console/calibration/status?crm=${d.crm}" data-page="/console/calibration?crm=${d.crm}" data-state="${d.status.state}">${statusLine(ctx, d.status)}</div>
    ${
      editor
        ? html`<form method="post" action="/console/calibration/run" class="inline">${csrfField(ctx)}<input type="hidden" name="crm" value="${d.crm}">
            <button type="submit"${d.status.state === 'running' ? html` disabled` : ''}>${t('calibration.start')}</button></form>`
        : html`<p class="muted">${t('calibration.viewerRun')}</p>`
    }
  </section>
  ${d.result === undefined ? html`<p>${t('calibration.noResult')}</p>` : html`${summary(ctx, d.result)}${suggestion(ctx, d.result)}
  <section aria-labelledby="calibration-sheet">
    <h2 id="calibration-sheet">${t('calibration.sheet')}</h2>
    <p><a href="/console/calibration/sheet?crm=${d.crm}" target="_blank" rel="noopener">${t('calibration.sheetOpen')}</a></p>
    <iframe class="icp-sheet" src="/console/calibration/sheet?crm=${d.crm}" title="${t('calibration.sheet')}" sandbox="" loading="lazy"></iframe>
  </section>`}`;
}
