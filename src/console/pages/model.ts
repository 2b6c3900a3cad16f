/**
 * The model editor: weights, tier thresholds and the version in form fields, matchers, exclusions
 * and roles summarised, and the whole model text for every other edit; "Preview" runs the what-if
 * on the sample, "Publish" (editors) makes the draft the active model everywhere.
 */
import type { IcpModel, Matcher } from '../../domain/types.ts';
import type { ModelSummary } from '../../model-store/types.ts';
import type { PreviewResult } from '../../preview/model-preview.ts';
import type { SampleStatus } from '../../preview/sample-cache.ts';
import { html, type SafeHtml } from '../html.ts';
import { formatDate, formatNumber } from '../i18n.ts';
import { csrfField, type PageContext } from '../layout.ts';
import { previewResult, sampleLine } from './preview-view.ts';

export interface ModelPageData {
  /** The draft text shown in the editor. */
  yaml: string;
  /** The draft parsed, when it is valid (the fields are built from it). */
  model?: IcpModel;
  /** `icp-sync validate` lines when it is not. */
  problems?: readonly string[];
  active?: ModelSummary;
  /** The version the publish field proposes (free in the history). */
  suggestedVersion: string;
  targets: readonly string[];
  target: string;
  sample?: SampleStatus;
  preview?: PreviewResult;
  /** Why no preview could be made (sample not ready…). */
  previewNote?: string;
  note?: string;
}

export function matcherText(m: Matcher): string {
  switch (m.kind) {
    case 'category':
      return Object.entries(m.values).map(([k, v]) => `${k} ${v}`).join(' · ') + (m.default === undefined ? '' : ` · * ${m.default}`);
    case 'prefix':
      return Object.entries(m.values).map(([k, v]) => `${k}… ${v}`).join(' · ') + (m.default === undefined ? '' : ` · * ${m.default}`);
    case 'range':
      return m.bands.map((b) => `${b.min ?? '−∞'}–${b.max ?? '∞'} ${b.points}`).join(' · ');
    case 'boolean':
      return `true ${m.ifTrue ?? 1} · false ${m.ifFalse ?? 0}`;
  }
}

function criteriaFields(ctx: PageContext, model: IcpModel): SafeHtml {
  const { t, lang } = ctx;
  const total = model.criteria.reduce((s, c) => s + c.weight, 0);
  return html`<table class="criteria">
    <caption>${t('model.criteria')}</caption>
    <thead><tr><th scope="col">${t('explain.criterion')}</th><th scope="col">${t('explain.attribute')}</th><th scope="col">${t('model.matcher')}</th><th scope="col">${t('explain.weight')}</th><th scope="col" class="num">${t('model.share')}</th></tr></thead>
    <tbody>${model.criteria.map(
      (c) => html`<tr><th scope="row"><label for="w-${c.id}">${c.label}</label> <code class="muted">${c.id}</code></th><td><code>${c.attribute}</code></td><td class="matcher">${c.match.kind}: ${matcherText(c.match)}</td>
        <td><input id="w-${c.id}" class="weight" name="weight.${c.id}" value="${c.weight}" inputmode="decimal" size="6" data-live><input type="hidden" name="weight0.${c.id}" value="${c.weight}"></td>
        <td class="num">${formatNumber(lang, total === 0 ? 0 : (100 * c.weight) / total, 1)} %</td></tr>`,
    )}</tbody>
  </table>`;
}

function tierFields(ctx: PageContext, model: IcpModel): SafeHtml {
  const { t } = ctx;
  return html`<table class="tier-fields">
    <caption>${t('model.tiers')}</caption>
    <thead><tr><th scope="col">${t('preview.tier')}</th><th scope="col">${t('model.minScore')}</th></tr></thead>
    <tbody>${model.tiers.map(
      (tier) => html`<tr><th scope="row"><label for="t-${tier.name}">${tier.name}${tier.label === undefined ? '' : ` — ${tier.label}`}</label></th>
        <td><input id="t-${tier.name}" name="tier.${tier.name}" value="${tier.min}" inputmode="numeric" size="5" data-live><input type="hidden" name="tier0.${tier.name}" value="${tier.min}"></td></tr>`,
    )}
    <tr><th scope="row">${model.excludedTier}</th><td class="muted">${t('model.excludedTier')}</td></tr></tbody>
  </table>`;
}

function rulesSummary(ctx: PageContext, model: IcpModel): SafeHtml {
  const { t } = ctx;
  const exclusions =
    model.exclusions.length === 0
      ? html`<p>${t('model.noExclusions')}</p>`
      : html`<ul>${model.exclusions.map((x) => html`<li><code>${x.id}</code> — <code>${x.attribute}</code> ${x.match.kind}: ${matcherText(x.match)} → ${x.reason}</li>`)}</ul>`;
  const roles =
    model.roles === undefined
      ? html`<p>${t('model.noRoles')}</p>`
      : html`<ul>${model.roles.list.map((r) => html`<li><strong>${r.label}</strong> <code>${r.id}</code> · ${r.points}${r.required ? html` · ${t('model.required')}` : ''} — ${r.titles.slice(0, 6).join(', ')}${r.titles.length > 6 ? ' …' : ''}</li>`)}</ul>`;
  return html`<div class="grid2"><div><h3>${t('model.exclusions')}</h3>${exclusions}</div><div><h3>${t('model.roles')}</h3>${roles}</div></div>
  <p class="help">${t('model.textHelp')}</p>`;
}

export function previewSection(ctx: PageContext, data: Pick<ModelPageData, 'preview' | 'previewNote' | 'sample'>): SafeHtml {
  const { t } = ctx;
  return html`<section id="preview" aria-labelledby="preview-h" aria-live="polite">
  <h2 id="preview-h">${t('preview.title')}</h2>
  ${data.sample === undefined ? '' : sampleLine(ctx, data.sample)}
  ${data.previewNote === undefined ? '' : html`<p class="notice error" role="alert">${data.previewNote}</p>`}
  ${data.preview === undefined ? (data.previewNote === undefined ? html`<p class="help">${t('preview.help')}</p>` : '') : previewResult(ctx, data.preview)}
</section>`;
}

export function renderModel(ctx: PageContext, data: ModelPageData): SafeHtml {
  const { t, lang } = ctx;
  const editor = ctx.session?.role === 'editor';
  const problems =
    data.problems === undefined || data.problems.length === 0
      ? ''
      : html`<div class="notice error" role="alert" id="problems"><p>${t('model.invalid')}</p><ul>${data.problems.map((p) => html`<li><code>${p}</code></li>`)}</ul></div>`;
  const active = data.active;
  return html`<p>${active === undefined ? t('model.noHistory') : t('model.active', { version: active.version, revision: active.revision, author: active.author, at: formatDate(lang, active.publishedAt) })}
  · <a href="/console/model/history">${t('model.history')}</a></p>
<form method="post" action="/console/model/preview" id="model-form" data-preview="/console/model/preview">
  ${csrfField(ctx)}
  ${problems}
  <section aria-labelledby="draft-h">
    <h2 id="draft-h">${t('model.draft')}</h2>
    <p class="inline-fields"><label for="target">${t('preview.on')}</label>
      <select id="target" name="target" data-live>${data.targets.map((v) => html`<option value="${v}"${v === data.target ? html` selected` : ''}>${v.replace(':', ' — ')}</option>`)}</select></p>
    ${data.model === undefined ? '' : html`<div class="scroll" tabindex="0">${criteriaFields(ctx, data.model)}</div><div class="scroll" tabindex="0">${tierFields(ctx, data.model)}</div>${rulesSummary(ctx, data.model)}`}
    <details${data.model === undefined ? html` open` : ''}>
      <summary>${t('model.text')}</summary>
      <label for="yaml" class="visually-hidden">${t('model.text')}</label>
      <textarea id="yaml" name="yaml" rows="24" spellcheck="false" autocomplete="off">${data.yaml}</textarea>
    </details>
    <p><button type="submit">${t('preview.run')}</button></p>
  </section>
  ${editor
    ? html`<section aria-labelledby="publish-h">
    <h2 id="publish-h">${t('model.publish')}</h2>
    <p class="inline-fields"><label for="version">${t('model.version')}</label>
      <input id="version" name="version.model" value="${data.suggestedVersion}" size="16" required><input type="hidden" name="version0.model" value="${data.model?.version ?? ''}">
      <label for="note">${t('model.note')}</label>
      <input id="note" name="note" value="${data.note ?? ''}" size="40" maxlength="500"></p>
    <p class="help">${t('model.publishHelp')}</p>
    <button type="submit" formaction="/console/model/publish" id="publish">${t('model.publish')}</button>
  </section>`
    : ''}
</form>
${previewSection(ctx, data)}`;
}
