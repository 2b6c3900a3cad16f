/**
 * The Mappings page: per object type, the current attribute mapping with its coverage on the
 * sample (share of records with a value, which field gave it, example values), the CRM's own
 * fields, and the whole mappings text to edit; "Validate and preview" shows the loader's messages
 * or the effect on coverage, completeness and scores; "Save" (editors) makes it active everywhere.
 */
import type { CrmFieldInfo } from '../../connectors/port.ts';
import type { MappingSummary } from '../../mapping-store/types.ts';
import { transformText } from '../../mappings/diff.ts';
import type { ObjectMapping } from '../../mappings/types.ts';
import type { AttributeCoverage } from '../../preview/mapping-coverage.ts';
import type { MappingPreviewResult } from '../../preview/model-preview.ts';
import type { SampleStatus } from '../../preview/sample-cache.ts';
import { html, type SafeHtml } from '../html.ts';
import { formatDate, formatNumber } from '../i18n.ts';
import { csrfField, type PageContext } from '../layout.ts';

export interface MappingsPageData {
  targets: readonly string[];
  target: string;
  /** The mapping of the target in the mappings the process reads with now. */
  mapping?: ObjectMapping;
  active?: MappingSummary;
  /** Whether this instance keeps mapping versions (saves possible). */
  versioned: boolean;
  sample?: SampleStatus;
  /** Coverage of the current mapping on the sample (absent until a sample is read). */
  coverage?: readonly AttributeCoverage[];
  /** The CRM's fields, or why they could not be listed. */
  fields?: readonly CrmFieldInfo[];
  fieldsError?: string;
  /** The text in the editor. */
  yaml: string;
  problems?: readonly string[];
  preview?: MappingPreviewResult;
  previewNote?: string;
  /** People types: coverage only, no score preview. */
  people: boolean;
  note?: string;
}

const pct = (ctx: PageContext, share: number) => `${formatNumber(ctx.lang, share * 100, 1)} %`;

export function sourceText(ctx: PageContext, h: MappingSummary): string {
  const { t } = ctx;
  return h.source === 'rollback' ? t('mappings.source.rollback', { revision: h.rollbackOf ?? '?' }) : h.source === 'file' ? `${t('mappings.source.file')} ${h.path ?? ''}` : t('mappings.source.console');
}

function byFieldText(c: AttributeCoverage): string {
  return Object.entries(c.byField)
    .sort((a, b) => b[1] - a[1])
    .map(([f, n]) => `${f} ${n}`)
    .join(' · ');
}

function coverageTable(ctx: PageContext, data: MappingsPageData): SafeHtml {
  const { t } = ctx;
  const mapping = data.mapping;
  const rows: readonly AttributeCoverage[] =
    data.coverage ??
    Object.entries(mapping?.attributes ?? {}).map(([attribute, a]) => ({ attribute, fields: a.fields, transforms: a.transforms, withValue: 0, coverage: 0, byField: {}, examples: [], usedByModel: false }));
  const known = data.coverage !== undefined;
  return html`<div class="scroll" tabindex="0"><table class="mapping" id="mapping-table">
    <caption>${t('mappings.current')}</caption>
    <thead><tr><th scope="col">${t('mappings.attribute')}</th><th scope="col">${t('mappings.fields')}</th><th scope="col">${t('mappings.transforms')}</th>
      <th scope="col" class="num">${t('mappings.coverage')}</th><th scope="col">${t('mappings.byField')}</th><th scope="col">${t('mappings.examples')}</th></tr></thead>
    <tbody>${rows.map((c) => {
      const enriched = mapping?.attributes[c.attribute]?.preferEnriched === true;
      return html`<tr data-attribute="${c.attribute}"><th scope="row"><code>${c.attribute}</code>${c.usedByModel ? html` <span class="badge">${t('mappings.usedByModel')}</span>` : ''}${enriched ? html` <span class="badge">${t('mappings.enrichedWins')}</span>` : ''}</th>
        <td>${c.fields.length === 0 ? html`<span class="muted">${t('mappings.unmapped')}</span>` : c.fields.map((f, i) => html`${i === 0 ? '' : ', '}<code>${f}</code>`)}</td>
        <td>${c.transforms.length === 0 ? '—' : c.transforms.map(transformText).join(', ')}</td>
        <td class="num coverage">${known ? html`${pct(ctx, c.coverage)} <meter min="0" max="1" value="${c.coverage}" aria-label="${c.attribute} ${t('mappings.coverage')}">${pct(ctx, c.coverage)}</meter>` : '—'}</td>
        <td class="muted">${known ? byFieldText(c) : ''}</td>
        <td>${c.examples.length === 0 ? '' : html`<ul class="examples">${c.examples.map((e) => html`<li><code>${e}</code></li>`)}</ul>`}</td></tr>`;
    })}</tbody>
  </table></div>
  ${known ? '' : html`<p class="help">${t('mappings.noCoverage')}</p>`}`;
}

function fieldsTable(ctx: PageContext, data: MappingsPageData): SafeHtml {
  const { t } = ctx;
  if (data.fieldsError !== undefined) return html`<p class="notice error" role="alert">${t('mappings.fieldsUnavailable', { error: data.fieldsError })}</p>`;
  const fields = data.fields ?? [];
  if (fields.length === 0) return html`<p class="muted">${t('mappings.noFields')}</p>`;
  const mappedTo = new Map<string, string[]>();
  for (const [name, a] of Object.entries(data.mapping?.attributes ?? {})) {
    for (const f of a.fields) mappedTo.set(f.toLowerCase(), [...(mappedTo.get(f.toLowerCase()) ?? []), name]);
  }
  // Mapped fields first: they are what the page is about; the rest is the choice for an edit.
  const sorted = [...fields].sort((a, b) => Number(mappedTo.has(b.name.toLowerCase())) - Number(mappedTo.has(a.name.toLowerCase())));
  return html`<details id="crm-fields"${fields.length <= 40 ? html` open` : ''}>
    <summary>${t('mappings.crmFields', { count: formatNumber(ctx.lang, fields.length) })}</summary>
    <div class="scroll" tabindex="0"><table class="crm-fields">
      <thead><tr><th scope="col">${t('mappings.fieldName')}</th><th scope="col">${t('mappings.fieldLabel')}</th><th scope="col">${t('mappings.fieldType')}</th><th scope="col">${t('mappings.custom')}</th><th scope="col">${t('mappings.mappedTo')}</th></tr></thead>
      <tbody>${sorted.map((f) => {
        const to = mappedTo.get(f.name.toLowerCase()) ?? [];
        return html`<tr${to.length > 0 ? html` class="mapped"` : ''}><th scope="row"><code>${f.name}</code></th><td>${f.label}</td><td>${f.type}${f.options > 0 ? html` <span class="muted">(${t('mappings.options', { count: f.options })})</span>` : ''}</td>
          <td>${f.custom ? t('yes') : t('no')}</td><td>${to.map((a, i) => html`${i === 0 ? '' : ', '}<code>${a}</code>`)}</td></tr>`;
      })}</tbody>
    </table></div>
  </details>`;
}

function coverageDelta(ctx: PageContext, p: MappingPreviewResult): SafeHtml {
  const { t } = ctx;
  const before = new Map(p.coverage.current.map((c) => [c.attribute, c]));
  const after = new Map(p.coverage.draft.map((c) => [c.attribute, c]));
  const names = [...new Set([...before.keys(), ...after.keys()])];
  return html`<table class="coverage-delta" id="coverage-delta">
    <caption>${t('mappings.coverageDelta')}</caption>
    <thead><tr><th scope="col">${t('mappings.attribute')}</th><th scope="col" class="num">${t('preview.current')}</th><th scope="col" class="num">${t('preview.draft')}</th><th scope="col" class="num">Δ</th><th scope="col">${t('mappings.examples')}</th></tr></thead>
    <tbody>${names.map((name) => {
      const b = before.get(name);
      const a = after.get(name);
      const delta = (a?.coverage ?? 0) - (b?.coverage ?? 0);
      const changed = Math.abs(delta) >= 0.00005 || JSON.stringify(b?.fields) !== JSON.stringify(a?.fields) || JSON.stringify(b?.transforms) !== JSON.stringify(a?.transforms);
      return html`<tr data-attribute="${name}"${changed ? html` class="changed"` : ''}><th scope="row"><code>${name}</code>${a?.usedByModel === true || b?.usedByModel === true ? html` <span class="badge">${t('mappings.usedByModel')}</span>` : ''}</th>
        <td class="num">${b === undefined ? '—' : pct(ctx, b.coverage)}</td><td class="num draft-coverage">${a === undefined ? '—' : pct(ctx, a.coverage)}</td>
        <td class="num">${delta === 0 ? '' : `${delta > 0 ? '+' : '−'}${formatNumber(ctx.lang, Math.abs(delta) * 100, 1)}`}</td>
        <td>${(a?.examples ?? []).slice(0, 3).map((e, i) => html`${i === 0 ? '' : ' · '}<code>${e}</code>`)}</td></tr>`;
    })}</tbody>
  </table>`;
}

function tierTable(ctx: PageContext, p: MappingPreviewResult): SafeHtml {
  const { t } = ctx;
  const w = p.whatIf;
  const find = (list: typeof w.tiers.current, tier: string) => list.find((x) => x.tier === tier) ?? { tier, count: 0, share: 0 };
  return html`<table class="tiers">
    <caption>${t('preview.tiers')}</caption>
    <thead><tr><th scope="col">${t('preview.tier')}</th><th scope="col" class="num">${t('preview.current')}</th><th scope="col" class="num">${t('preview.draft')}</th></tr></thead>
    <tbody>${w.tierOrder.map((tier) => {
      const c = find(w.tiers.current, tier);
      const d = find(w.tiers.draft, tier);
      return html`<tr data-tier="${tier}"><th scope="row">${tier}</th><td class="num">${c.count} <span class="muted">(${pct(ctx, c.share)})</span></td><td class="num draft-count">${d.count} <span class="muted">(${pct(ctx, d.share)})</span></td></tr>`;
    })}</tbody>
  </table>`;
}

function movers(ctx: PageContext, p: MappingPreviewResult): SafeHtml {
  const { t } = ctx;
  if (p.whatIf.movers.length === 0) return html`<p>${t('preview.noMovers')}</p>`;
  return html`<div class="scroll" tabindex="0"><table class="movers">
    <caption>${t('preview.movers')}</caption>
    <thead><tr><th scope="col">${t('preview.record')}</th><th scope="col" class="num">${t('preview.current')}</th><th scope="col" class="num">${t('preview.draft')}</th><th scope="col" class="num">Δ</th><th scope="col">${t('preview.reasons')}</th></tr></thead>
    <tbody>${p.whatIf.movers.map(
      (m) => html`<tr><th scope="row">${m.name ?? m.id}<br><span class="muted">${m.id}</span></th>
        <td class="num">${m.current.score} · ${m.current.tier}</td><td class="num">${m.draft.score} · ${m.draft.tier}</td><td class="num">${m.delta > 0 ? `+${m.delta}` : m.delta}</td>
        <td><span class="muted">${t('preview.before')}</span> ${m.current.reasons}<br><span class="muted">${t('preview.after')}</span> ${m.draft.reasons}</td></tr>`,
    )}</tbody>
  </table></div>`;
}

export function mappingPreviewSection(ctx: PageContext, data: Pick<MappingsPageData, 'preview' | 'previewNote' | 'problems' | 'people' | 'target'>): SafeHtml {
  const { t, lang } = ctx;
  const p = data.preview;
  const problems =
    data.problems === undefined || data.problems.length === 0
      ? ''
      : html`<div class="notice error" role="alert" id="problems"><p>${t('mappings.invalid')}</p><ul>${data.problems.map((x) => html`<li><code>${x}</code></li>`)}</ul></div>`;
  let body: SafeHtml | string = '';
  if (p !== undefined) {
    const w = p.whatIf;
    body = html`<p class="notice ok" role="status">${t('mappings.valid')}</p>
    <p class="summary">${t('mappings.previewSummary', { count: formatNumber(lang, p.sample.count), crm: p.crm, objectType: p.objectType, readAt: formatDate(lang, p.sample.readAt), version: p.model.version, ms: Math.round(p.ms) })}</p>
    ${p.unreadFields.length === 0
      ? ''
      : html`<form method="post" action="/console/mappings/sample" class="notice error">${csrfField(ctx)}<input type="hidden" name="target" value="${data.target}"><input type="hidden" name="fields" value="${p.unreadFields.join(',')}">
        <p>${t('mappings.unread', { fields: p.unreadFields.join(', ') })}</p><button type="submit" class="secondary">${t('mappings.readWith')}</button></form>`}
    <p class="headline"><strong>${t('mappings.completeness', { current: pct(ctx, w.averageCompleteness.current), draft: pct(ctx, w.averageCompleteness.draft) })}</strong>${data.people
      ? ''
      : html` · ${t('mappings.scoreEffect', { tiers: formatNumber(lang, w.tierChanges), scores: formatNumber(lang, w.scoreChanges), current: formatNumber(lang, w.averageScore.current, 1), draft: formatNumber(lang, w.averageScore.draft, 1) })}`}</p>
    <div class="scroll" tabindex="0">${coverageDelta(ctx, p)}</div>
    ${data.people ? html`<p class="help">${t('mappings.people')}</p>` : html`<div class="scroll" tabindex="0">${tierTable(ctx, p)}</div>${movers(ctx, p)}`}`;
  }
  return html`<section id="mapping-preview" aria-labelledby="mapping-preview-h" aria-live="polite">
  <h2 id="mapping-preview-h">${t('mappings.previewTitle')}</h2>
  ${problems}
  ${data.previewNote === undefined ? '' : html`<p class="notice error" role="alert">${data.previewNote}</p>`}
  ${p === undefined && data.previewNote === undefined && problems === '' ? html`<p class="help">${t('mappings.previewHelp')}</p>` : body}
</section>`;
}

function sampleForm(ctx: PageContext, s: SampleStatus): SafeHtml {
  const { t, lang } = ctx;
  const state =
    s.state === 'ready'
      ? t('sample.ready', { count: formatNumber(lang, s.count), readAt: formatDate(lang, s.readAt) })
      : s.state === 'reading'
        ? t('sample.reading', { count: formatNumber(lang, s.count), size: formatNumber(lang, s.size) })
        : s.state === 'failed'
          ? t('sample.failed', { error: s.error ?? '' })
          : t('sample.empty');
  return html`<form method="post" action="/console/mappings/sample" class="inline sample" data-sample-state="${s.state}">
    ${csrfField(ctx)}<input type="hidden" name="target" value="${s.crm}:${s.objectType}">
    <span>${state}</span>
    <button type="submit" class="secondary">${t('sample.refresh')}</button>
  </form>`;
}

export function renderMappings(ctx: PageContext, data: MappingsPageData): SafeHtml {
  const { t, lang } = ctx;
  const editor = ctx.session?.role === 'editor';
  const a = data.active;
  return html`<p>${a === undefined ? t('mappings.noHistory') : t('mappings.active', { revision: a.revision, author: a.author, at: formatDate(lang, a.savedAt), source: sourceText(ctx, a) })}
  ${data.versioned ? html` · <a href="/console/mappings/history">${t('mappings.history')}</a>` : ''}</p>
<form method="get" action="/console/mappings" class="inline-fields">
  <label for="target">${t('mappings.on')}</label>
  <select id="target" name="target">${data.targets.map((v) => html`<option value="${v}"${v === data.target ? html` selected` : ''}>${v.replace(':', ' — ')}</option>`)}</select>
  <button type="submit" class="secondary">${t('mappings.show')}</button>
</form>
<section aria-labelledby="current-h">
  <h2 id="current-h">${t('mappings.current')}</h2>
  ${data.sample === undefined ? '' : sampleForm(ctx, data.sample)}
  ${coverageTable(ctx, data)}
</section>
<section aria-labelledby="fields-h">
  <h2 id="fields-h">${t('mappings.crmFieldsTitle')}</h2>
  <p class="help">${t('mappings.crmFieldsHelp')}</p>
  ${fieldsTable(ctx, data)}
</section>
<form method="post" action="/console/mappings/preview" id="mappings-form" data-preview="/console/mappings/preview">
  ${csrfField(ctx)}
  <input type="hidden" name="target" value="${data.target}">
  <section aria-labelledby="edit-h">
    <h2 id="edit-h">${t('mappings.edit')}</h2>
    <p class="help">${t('mappings.editHelp')}</p>
    <label for="mappings-yaml">${t('mappings.text')}</label>
    <textarea id="mappings-yaml" name="yaml" rows="24" spellcheck="false" autocomplete="off">${data.yaml}</textarea>
    <p><button type="submit" id="mappings-preview">${t('mappings.preview')}</button></p>
  </section>
  ${editor && data.versioned
    ? html`<section aria-labelledby="save-h">
    <h2 id="save-h">${t('mappings.save')}</h2>
    <p class="inline-fields"><label for="mappings-note">${t('mappings.note')}</label>
      <input id="mappings-note" name="note" value="${data.note ?? ''}" size="40" maxlength="500"></p>
    <p class="help">${t('mappings.saveHelp')}</p>
    <button type="submit" formaction="/console/mappings/save" id="mappings-save">${t('mappings.save')}</button>
  </section>`
    : ''}
</form>
${mappingPreviewSection(ctx, data)}`;
}

export function renderMappingHistory(ctx: PageContext, history: readonly MappingSummary[]): SafeHtml {
  const { t, lang } = ctx;
  const editor = ctx.session?.role === 'editor';
  const head = history[0]?.revision;
  if (history.length === 0) return html`<p>${t('mappings.noHistory')}</p><p><a href="/console/mappings">${t('mappings.title')}</a></p>`;
  return html`<p><a href="/console/mappings">${t('mappings.title')}</a></p>
<div class="scroll" tabindex="0"><table class="history">
  <thead><tr><th scope="col">#</th><th scope="col">${t('audit.when')}</th><th scope="col">${t('audit.who')}</th><th scope="col">${t('mappings.source')}</th><th scope="col">${t('mappings.note')}</th><th scope="col">${t('mappings.changes')}</th><th scope="col">${t('audit.action')}</th></tr></thead>
  <tbody>${history.map(
    (h) => html`<tr${h.revision === head ? html` class="active"` : ''}>
      <td class="num">${h.revision}${h.revision === head ? html` <span class="badge done">${t('model.inUse')}</span>` : ''}</td>
      <td>${formatDate(lang, h.savedAt)}</td><td>${h.author}</td><td>${sourceText(ctx, h)}</td><td>${h.note}</td>
      <td>${h.changes.length === 0 ? html`<span class="muted">${t('mappings.noChanges')}</span>` : html`<ul class="changes">${h.changes.map((c) => html`<li><code>${c}</code></li>`)}</ul>`}</td>
      <td class="actions">${editor && h.revision !== head
        ? html`<form method="post" action="/console/mappings/rollback" class="inline">${csrfField(ctx)}<input type="hidden" name="revision" value="${h.revision}"><button type="submit" class="secondary">${t('mappings.rollback', { revision: h.revision })}</button></form>`
        : ''}</td></tr>`,
  )}</tbody>
</table></div>`;
}

