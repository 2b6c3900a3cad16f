/**
 * Records: find a company, account, lead or person by its CRM id and see the explain view, with
 * "rescore now" for editors.
 */
import type { CrmName } from '../../connectors/port.ts';
import type { Explanation } from '../../pipeline/explain.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type PageContext } from '../layout.ts';
import { explainView } from './explain-view.ts';

export interface RecordsQuery {
  crm?: CrmName;
  objectType?: string;
  id?: string;
}

export interface RecordsData {
  /** CRM → synced object types. */
  targets: ReadonlyArray<{ crm: CrmName; objectTypes: readonly string[] }>;
  query: RecordsQuery;
  explanation?: Explanation;
}

function targetOptions(ctx: PageContext, data: RecordsData): SafeHtml {
  const q = data.query;
  return html`${data.targets.map(
    (target) => html`<optgroup label="${target.crm}">
      <option value="${target.crm}:"${q.crm === target.crm && q.objectType === undefined ? html` selected` : ''}>${target.crm} — ${ctx.t('records.anyType')}</option>
      ${target.objectTypes.map((type) => html`<option value="${target.crm}:${type}"${q.crm === target.crm && q.objectType === type ? html` selected` : ''}>${target.crm} — ${type}</option>`)}
    </optgroup>`,
  )}`;
}

export function renderRecords(ctx: PageContext, data: RecordsData): SafeHtml {
  const { t } = ctx;
  const e = data.explanation;
  const rescore =
    e !== undefined && ctx.session?.role === 'editor'
      ? html`<form method="post" action="/console/records/rescore" class="inline">
          ${csrfField(ctx)}
          <input type="hidden" name="crm" value="${e.crm}"><input type="hidden" name="objectType" value="${e.objectType}"><input type="hidden" name="id" value="${e.id}">
          <button type="submit">${t('records.rescore')}</button>
        </form>`
      : '';
  return html`<form method="get" action="/console/records" class="search" role="search">
  <label for="target">CRM</label>
  <select id="target" name="target">${targetOptions(ctx, data)}</select>
  <label for="id">${t('records.search')}</label>
  <input id="id" name="id" value="${data.query.id ?? ''}" required pattern="[A-Za-z0-9_\\-]{1,64}" aria-describedby="id-help" autocomplete="off" spellcheck="false">
  <button type="submit">${t('records.find')}</button>
  <p id="id-help" class="help">${t('records.search.help')}</p>
</form>
${rescore}
${e === undefined ? '' : explainView(ctx, e)}`;
}
