/**
 * The model editor: weights, tier thresholds and the version in form fields, each criterion with
 * its matcher, the exclusions and the roles in forms (pages/model-forms.ts), and the whole model
 * text for every other edit; "Preview" runs the what-if on the sample, "Publish" (editors) makes
 * the draft the active model everywhere. The forms are built from the draft as parsed, so they stay
 * on the page, with the validation messages, when the draft is not a valid model.
 */
import type { IcpModel, Matcher } from '../../domain/types.ts';
import type { ModelSummary } from '../../model-store/types.ts';
import type { PreviewResult } from '../../preview/model-preview.ts';
import type { SampleStatus } from '../../preview/sample-cache.ts';
import { html, type SafeHtml } from '../html.ts';
import { formatDate, formatNumber } from '../i18n.ts';
import { csrfField, type PageContext } from '../layout.ts';
import { isRecord, textOf } from '../model-form-fields.ts';
import { modelForms } from './model-forms.ts';
import { previewResult, sampleLine } from './preview-view.ts';

export interface ModelPageData {
  /** The draft text shown in the editor. */
  yaml: string;
  /** The draft parsed, when it is valid. */
  model?: IcpModel;
  /** The draft document as parsed, valid or not (the fields are built from it). */
  raw?: Record<string, unknown>;
  /** Empty form rows to show per list, and the form sections to show open (after an edit). */
  extraRows?: Readonly<Record<string, number>>;
  touched?: readonly string[];
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

const listOf = (v: unknown): Array<Record<string, unknown>> => (Array.isArray(v) ? v.filter(isRecord) : []);

/** A matcher in one line; lenient, as the draft may not be valid. */
function matcherLine(match: unknown): string {
  if (!isRecord(match)) return textOf(match);
  const kind = textOf(match['kind']);
  const valid = (kind === 'category' || kind === 'prefix') ? isRecord(match['values']) : kind === 'range' ? Array.isArray(match['bands']) : kind === 'boolean';
  return valid ? `${kind}: ${matcherText(match as unknown as Matcher)}` : kind;
}

function criteriaFields(ctx: PageContext, raw: Record<string, unknown>): SafeHtml {
  const { t, lang } = ctx;
  const criteria = listOf(raw['criteria']);
  const weightOf = (c: Record<string, unknown>) => (typeof c['weight'] === 'number' ? c['weight'] : 0);
  const total = criteria.reduce((s, c) => s + weightOf(c), 0);
  return html`<table class="criteria">
    <caption>${t('model.criteria')}</caption>
    <thead><tr><th scope="col">${t('explain.criterion')}</th><th scope="col">${t('explain.attribute')}</th><th scope="col">${t('model.matcher')}</th><th scope="col">${t('explain.weight')}</th><th scope="col" class="num">${t('model.share')}</th></tr></thead>
    <tbody>${criteria.map((c) => {
      const id = textOf(c['id']);
      const weight = textOf(c['weight']);
      return html`<tr><th scope="row"><label for="w-${id}">${textOf(c['label']) || id}</label> <code class="muted">${id}</code></th><td><code>${textOf(c['attribute'])}</code></td><td class="matcher"><a href="#crit-${id}">${matcherLine(c['match'])}</a></td>
        <td><input id="w-${id}" class="weight" name="weight.${id}" value="${weight}" inputmode="decimal" size="6" data-live><input type="hidden" name="weight0.${id}" value="${weight}"></td>
        <td class="num">${total === 0 ? '—' : `${formatNumber(lang, (100 * weightOf(c)) / total, 1)} %`}</td></tr>`;
    })}</tbody>
  </table>`;
}

function tierFields(ctx: PageContext, raw: Record<string, unknown>): SafeHtml {
  const { t } = ctx;
  return html`<table class="tier-fields">
    <caption>${t('model.tiers')}</caption>
    <thead><tr><th scope="col">${t('preview.tier')}</th><th scope="col">${t('model.minScore')}</th></tr></thead>
    <tbody>${listOf(raw['tiers']).map((tier) => {
      const name = textOf(tier['name']);
      const min = textOf(tier['min']);
      const label = textOf(tier['label']);
      return html`<tr><th scope="row"><label for="t-${name}">${name}${label === '' ? '' : ` — ${label}`}</label></th>
        <td><input id="t-${name}" name="tier.${name}" value="${min}" inputmode="numeric" size="5" data-live><input type="hidden" name="tier0.${name}" value="${min}"></td></tr>`;
    })}
    <tr><th scope="row"><label for="t-excluded">${t('form.excludedTierName')}</label></th><td><input id="t-excluded" name="excludedTier.model" value="${textOf(raw['excludedTier']) || 'X'}" size="5" data-live><input type="hidden" name="excludedTier0.model" value="${textOf(raw['excludedTier']) || 'X'}"> <span class="muted">${t('model.excludedTier')}</span></td></tr></tbody>
  </table>`;
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
  ${/* Enter in a field sends the form with its first button: this one (Preview), not an "add row" or "remove" button further down. */ ''}
  <button type="submit" class="visually-hidden" tabindex="-1" aria-hidden="true"></button>
  ${problems}
  <section aria-labelledby="draft-h">
    <h2 id="draft-h">${t('model.draft')}</h2>
    <p class="inline-fields"><label for="target">${t('preview.on')}</label>
      <select id="target" name="target" data-live>${data.targets.map((v) => html`<option value="${v}"${v === data.target ? html` selected` : ''}>${v.replace(':', ' — ')}</option>`)}</select></p>
    ${data.raw === undefined
      ? ''
      : html`<div class="scroll" tabindex="0">${criteriaFields(ctx, data.raw)}</div><div class="scroll" tabindex="0">${tierFields(ctx, data.raw)}</div>
    ${modelForms(ctx, { raw: data.raw, extraRows: data.extraRows ?? {}, touched: data.touched ?? [] })}
    <p class="help">${t('model.textHelp')}</p>`}
    <details${data.raw === undefined ? html` open` : ''}>
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
