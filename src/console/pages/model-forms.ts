/**
 * The Model editor's structured forms: each criterion (label, attribute, tag, its matcher row by
 * row), the exclusions and the buying roles. Rendered from the draft document as parsed, valid or
 * not, so a wrong value stays in its field next to the `icp-sync validate` message. Rows are added
 * and removed with submit buttons (no script needed); field names are those of
 * src/console/model-form-fields.ts.
 */
import { html, type SafeHtml } from '../html.ts';
import { MATCHER_KINDS, criterionInForms, formSections, isRecord, textOf, type FormSections } from '../model-form-fields.ts';
import type { PageContext } from '../layout.ts';

export interface FormState {
  /** The draft document as parsed (undefined when the text is not YAML). */
  raw: Record<string, unknown>;
  /** Empty rows to add per list. */
  extraRows: Readonly<Record<string, number>>;
  /** Sections to show open. */
  touched: readonly string[];
}

const ACTION = '/console/model/preview';
const idOf = (name: string) => `f-${name.replace(/\./g, '-')}`;
const rowsOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** How many rows a list shows: those in the fields plus the blank ones asked for. */
function rowCount(f: FormSections['fields'], list: string, marker: string, itemFirst: boolean, extra: number): number {
  let n = 0;
  while (f[itemFirst ? `${list}.${n}.${marker}` : `${list}.${marker}.${n}`] !== undefined) n++;
  return n + extra;
}

function input(f: FormSections['fields'], name: string, opts: { label?: string; size?: number; numeric?: boolean; placeholder?: string } = {}): SafeHtml {
  return html`<input id="${idOf(name)}" name="${name}" value="${f[name] ?? ''}" size="${opts.size ?? 8}"${opts.numeric === true ? html` inputmode="decimal"` : ''}${opts.label === undefined ? '' : html` aria-label="${opts.label}"`}${opts.placeholder === undefined ? '' : html` placeholder="${opts.placeholder}"`} data-live>`;
}

function labelled(f: FormSections['fields'], name: string, label: string, opts: { size?: number; numeric?: boolean; placeholder?: string } = {}): SafeHtml {
  return html`<label for="${idOf(name)}">${label}</label> ${input(f, name, opts)}`;
}

function removeButton(value: string, label: string, anchor: string): SafeHtml {
  return html`<button type="submit" name="op" value="${value}" class="secondary small" formaction="${ACTION}#${anchor}">${label}</button>`;
}

function addButton(list: string, label: string, anchor: string): SafeHtml {
  return html`<button type="submit" name="op" value="add:${list}" class="secondary small" formaction="${ACTION}#${anchor}">${label}</button>`;
}

function kindSelect(ctx: PageContext, f: FormSections['fields'], prefix: string): SafeHtml {
  const kind = f[`${prefix}.kind`] ?? '';
  const known = (MATCHER_KINDS as readonly string[]).includes(kind);
  return html`<label for="${idOf(`${prefix}.kind`)}">${ctx.t('form.kind')}</label>
    <select id="${idOf(`${prefix}.kind`)}" name="${prefix}.kind" data-submit>${known ? '' : html`<option value="${kind}" selected>${kind}</option>`}${MATCHER_KINDS.map((k) => html`<option value="${k}"${k === kind ? html` selected` : ''}>${ctx.t(`form.kind.${k}`)}</option>`)}</select>
    <input type="hidden" name="${prefix}.kind0" value="${f[`${prefix}.kind0`] ?? kind}">`;
}

/** A matcher's fields: its kind, then a row table (values or bands), the default or the boolean points. */
function matcherEditor(ctx: PageContext, f: FormSections['fields'], prefix: string, extra: number, anchor: string): SafeHtml {
  const { t } = ctx;
  const kind = f[`${prefix}.kind`] ?? '';
  const head = html`<p class="inline-fields">${kindSelect(ctx, f, prefix)}</p>`;
  if (kind === 'boolean') {
    return html`${head}<p class="inline-fields">${labelled(f, `${prefix}.ifTrue`, t('form.ifTrue'), { numeric: true, size: 5, placeholder: '1' })} ${labelled(f, `${prefix}.ifFalse`, t('form.ifFalse'), { numeric: true, size: 5, placeholder: '0' })}</p>`;
  }
  if (kind !== 'category' && kind !== 'prefix' && kind !== 'range') return head;
  const range = kind === 'range';
  const n = rowCount(f, prefix, 'p', false, extra);
  const rows = Array.from({ length: n }, (_, i) => {
    const row = i + 1;
    const cells = range
      ? html`<td>${input(f, `${prefix}.min.${i}`, { label: t('form.rowMin', { row }), numeric: true, size: 8, placeholder: '−∞' })}</td><td>${input(f, `${prefix}.max.${i}`, { label: t('form.rowMax', { row }), numeric: true, size: 8, placeholder: '∞' })}</td>`
      : html`<td>${input(f, `${prefix}.k.${i}`, { label: t(kind === 'prefix' ? 'form.rowPrefix' : 'form.rowValue', { row }), size: 24 })}</td>`;
    return html`<tr>${cells}<td>${input(f, `${prefix}.p.${i}`, { label: t('form.rowPoints', { row }), numeric: true, size: 5 })}</td><td>${removeButton(`del:${prefix}.${i}`, t('form.removeRow', { row }), anchor)}</td></tr>`;
  });
  const headers = range
    ? html`<th scope="col">${t('form.min')}</th><th scope="col">${t('form.max')}</th>`
    : html`<th scope="col">${t(kind === 'prefix' ? 'form.prefix' : 'form.value')}</th>`;
  return html`${head}
    <table class="rows"><thead><tr>${headers}<th scope="col">${t('explain.points')}</th><th scope="col"><span class="visually-hidden">${t('form.remove')}</span></th></tr></thead>
    <tbody>${rows}</tbody></table>
    <p class="inline-fields">${addButton(prefix, t(range ? 'form.addBand' : 'form.addValue'), anchor)} ${labelled(f, `${prefix}.default`, t('form.default'), { numeric: true, size: 5, placeholder: '0' })}</p>
    <p class="help">${t(range ? 'form.rangeHelp' : kind === 'prefix' ? 'form.prefixHelp' : 'form.categoryHelp')}</p>`;
}

function criteriaForms(ctx: PageContext, state: FormState, s: FormSections): SafeHtml {
  const { t } = ctx;
  const f = s.fields;
  const items = rowsOf(state.raw['criteria']).map((c) => {
    if (!isRecord(c)) return '';
    const id = textOf(c['id']);
    if (!criterionInForms(c)) return html`<p class="help"><code>${id}</code>: ${t('form.textOnly')}</p>`;
    const key = `c.${id}`;
    const anchor = `crit-${id}`;
    const open = state.touched.some((x) => x === key || x.startsWith(`${key}.`));
    return html`<details id="${anchor}" class="item"${open ? html` open` : ''}>
      <summary>${textOf(c['label']) || id} <code class="muted">${id}</code> · ${textOf(isRecord(c['match']) ? c['match']['kind'] : '')}</summary>
      <input type="hidden" name="s0.${key}" value="${s.digests[key] ?? ''}">
      <p class="inline-fields">${labelled(f, `${key}.label`, t('form.label'), { size: 18, placeholder: id })} ${labelled(f, `${key}.attribute`, t('explain.attribute'), { size: 16 })}
        ${labelled(f, `${key}.tag`, t('form.tag'), { size: 16 })} ${labelled(f, `${key}.tagAt`, t('form.tagAt'), { numeric: true, size: 4, placeholder: '1' })}</p>
      ${matcherEditor(ctx, f, `${key}.m`, state.extraRows[`${key}.m`] ?? 0, anchor)}
      <p>${removeButton(`del:${key}`, t('form.removeCriterion', { id }), 'criteria-h')}</p>
    </details>`;
  });
  return html`<h3 id="criteria-forms-h">${t('form.criteria')}</h3>
  ${items}
  <fieldset class="item" id="new-criterion"><legend>${t('form.newCriterion')}</legend>
    <p class="inline-fields">${labelled({}, 'cnew.id', 'id', { size: 14, placeholder: 'snake_case' })} ${labelled({}, 'cnew.label', t('form.label'), { size: 16 })} ${labelled({}, 'cnew.attribute', t('explain.attribute'), { size: 14 })}
      ${labelled({}, 'cnew.weight', t('explain.weight'), { numeric: true, size: 5 })}
      <label for="f-cnew-kind">${t('form.kind')}</label> <select id="f-cnew-kind" name="cnew.kind">${MATCHER_KINDS.map((k) => html`<option value="${k}">${t(`form.kind.${k}`)}</option>`)}</select>
      <button type="submit" class="secondary small" formaction="${ACTION}#criteria-forms-h">${t('form.addCriterion')}</button></p>
  </fieldset>`;
}

function exclusionForms(ctx: PageContext, state: FormState, s: FormSections): SafeHtml {
  const { t } = ctx;
  if (s.digests['x'] === undefined) return html`<h3 id="exclusions-h">${t('model.exclusions')}</h3><p class="help">${t('form.textOnly')}</p>`;
  const f: Record<string, string> = { ...s.fields };
  const existing = rowsOf(state.raw['exclusions']).length;
  const n = existing + (state.extraRows['x'] ?? 0);
  const items = Array.from({ length: n }, (_, i) => {
    if (i >= existing) f[`x.${i}.m.kind`] = f[`x.${i}.m.kind0`] = 'boolean';
    const anchor = `excl-${i}`;
    return html`<fieldset class="item" id="${anchor}"><legend>${t('form.exclusion', { row: i + 1 })} ${f[`x.${i}.id`] ? html`<code>${f[`x.${i}.id`]}</code>` : ''}</legend>
      <p class="inline-fields">${labelled(f, `x.${i}.id`, 'id', { size: 14, placeholder: 'snake_case' })} ${labelled(f, `x.${i}.label`, t('form.label'), { size: 16 })} ${labelled(f, `x.${i}.attribute`, t('explain.attribute'), { size: 14 })}
        ${labelled(f, `x.${i}.reason`, t('form.reason'), { size: 24 })}</p>
      ${matcherEditor(ctx, f, `x.${i}.m`, state.extraRows[`x.${i}.m`] ?? 0, anchor)}
      <p>${removeButton(`del:x.${i}`, t('form.removeExclusion', { row: i + 1 }), 'exclusions-h')}</p>
    </fieldset>`;
  });
  return html`<h3 id="exclusions-h">${t('model.exclusions')}</h3>
  <input type="hidden" name="s0.x" value="${s.digests['x']}">
  ${n === 0 ? html`<p>${t('model.noExclusions')}</p>` : items}
  <p>${addButton('x', t('form.addExclusion'), 'exclusions-h')}</p>
  <p class="help">${t('form.exclusionHelp')}</p>`;
}

function roleForms(ctx: PageContext, state: FormState, s: FormSections): SafeHtml {
  const { t } = ctx;
  if (s.digests['r'] === undefined) return html`<h3 id="roles-h">${t('model.roles')}</h3><p class="help">${t('form.textOnly')}</p>`;
  const f = s.fields;
  const existing = rowsOf(isRecord(state.raw['roles']) ? state.raw['roles']['list'] : undefined).length;
  const n = existing + (state.extraRows['r'] ?? 0);
  const area = (name: string, label: string) => html`<textarea id="${idOf(name)}" name="${name}" rows="3" cols="18" aria-label="${label}" data-live>${f[name] ?? ''}</textarea>`;
  const rows = Array.from({ length: n }, (_, i) => {
    const row = i + 1;
    const p = `r.${i}`;
    return html`<tr>
      <td>${input(f, `${p}.id`, { label: t('form.roleId', { row }), size: 12 })}</td>
      <td>${input(f, `${p}.label`, { label: t('form.roleLabel', { row }), size: 12 })}</td>
      <td>${input(f, `${p}.points`, { label: t('form.rolePoints', { row }), numeric: true, size: 4 })}</td>
      <td><input type="checkbox" id="${idOf(`${p}.required`)}" name="${p}.required" value="true"${f[`${p}.required`] === 'true' ? html` checked` : ''} aria-label="${t('form.roleRequired', { row })}" data-live></td>
      <td>${area(`${p}.titles`, t('form.roleTitles', { row }))}</td>
      <td>${area(`${p}.hubspot`, t('form.roleHubspot', { row }))}</td>
      <td>${area(`${p}.salesforce`, t('form.roleSalesforce', { row }))}</td>
      <td>${removeButton(`del:r.${i}`, t('form.removeRow', { row }), 'roles-h')}</td>
    </tr>`;
  });
  return html`<h3 id="roles-h">${t('model.roles')}</h3>
  <input type="hidden" name="s0.r" value="${s.digests['r']}">
  ${n === 0 ? html`<p>${t('model.noRoles')}</p>` : html`<div class="scroll" tabindex="0"><table class="rows roles">
    <thead><tr><th scope="col">id</th><th scope="col">${t('form.label')}</th><th scope="col">${t('explain.points')}</th><th scope="col">${t('model.required')}</th><th scope="col">${t('form.titles')}</th><th scope="col">HubSpot <code>hs_buying_role</code></th><th scope="col">Salesforce <code>Role</code></th><th scope="col"><span class="visually-hidden">${t('form.remove')}</span></th></tr></thead>
    <tbody>${rows}</tbody></table></div>`}
  <p>${addButton('r', t('form.addRole'), 'roles-h')}</p>
  <p class="inline-fields"><label for="${idOf('r.ignoreTitles')}">${t('form.ignoreTitles')}</label> <textarea id="${idOf('r.ignoreTitles')}" name="r.ignoreTitles" rows="2" cols="30" data-live>${f['r.ignoreTitles'] ?? ''}</textarea>
    ${labelled(f, 'r.defaultPoints', t('form.defaultPoints'), { numeric: true, size: 4, placeholder: '0' })}</p>
  <p class="help">${t('form.rolesHelp')}</p>`;
}

function priorityForms(ctx: PageContext, state: FormState, s: FormSections): SafeHtml | string {
  const { t } = ctx;
  if (s.digests['pt'] === undefined) return html`<h3 id="priority-h">${t('form.priorityTiers')}</h3><p class="help">${t('form.textOnly')}</p>`;
  const f = s.fields;
  const n = rowsOf(state.raw['priorityTiers']).length + (state.extraRows['pt'] ?? 0);
  const rows = Array.from({ length: n }, (_, i) => {
    const row = i + 1;
    return html`<tr><td>${input(f, `pt.${i}.name`, { label: t('form.tierName', { row }), size: 8 })}</td><td>${input(f, `pt.${i}.min`, { label: t('form.tierMin', { row }), numeric: true, size: 5 })}</td>
      <td>${input(f, `pt.${i}.label`, { label: t('form.tierLabel', { row }), size: 18 })}</td><td>${removeButton(`del:pt.${i}`, t('form.removeRow', { row }), 'priority-h')}</td></tr>`;
  });
  return html`<h3 id="priority-h">${t('form.priorityTiers')}</h3>
  <input type="hidden" name="s0.pt" value="${s.digests['pt']}">
  ${n === 0 ? html`<p>${t('form.priorityDefault')}</p>` : html`<table class="rows"><thead><tr><th scope="col">${t('preview.tier')}</th><th scope="col">${t('model.minScore')}</th><th scope="col">${t('form.label')}</th><th scope="col"><span class="visually-hidden">${t('form.remove')}</span></th></tr></thead><tbody>${rows}</tbody></table>`}
  <p>${addButton('pt', t('form.addTier'), 'priority-h')}</p>`;
}

/** Every structured form of the draft; the weight and tier tables stay in pages/model.ts. */
export function modelForms(ctx: PageContext, state: FormState): SafeHtml {
  const sections = formSections(state.raw);
  return html`${criteriaForms(ctx, state, sections)}<div>${exclusionForms(ctx, state, sections)}</div><div>${roleForms(ctx, state, sections)}${priorityForms(ctx, state, sections)}</div>`;
}
