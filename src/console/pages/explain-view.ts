/**
 * The explain view in HTML: the same content as `icp-sync explain` (src/pipeline/explain-format.ts)
 * — attributes with their source, the criteria, the result, the buying role, the committee and the
 * exact write a sync would make.
 */
import type { Explanation } from '../../pipeline/explain.ts';
import { html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../layout.ts';

/** A CRM or attribute value as text ('—' for none). */
export function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) return v.map(show).join(', ');
  if (typeof v === 'string') return v === '' ? '—' : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function fit(ctx: PageContext, e: Explanation): SafeHtml | string {
  const { t } = ctx;
  const r = e.result;
  const criteria = html`<h3>${t('explain.criteria')}</h3>
  <table>
    <thead><tr><th scope="col">${t('explain.criterion')}</th><th scope="col">${t('explain.attribute')}</th><th scope="col">${t('explain.value')}</th><th scope="col" class="num">${t('explain.weight')}</th><th scope="col" class="num">${t('explain.points')}</th><th scope="col" class="num">${t('explain.contribution')}</th><th scope="col">${t('explain.status')}</th></tr></thead>
    <tbody>${e.criteria.map(
      (c) => html`<tr><th scope="row">${c.label}</th><td><code>${c.attribute}</code></td><td>${show(c.value)}</td><td class="num">${c.weight}</td><td class="num">${c.points}</td><td class="num">${c.contribution.toFixed(1)}</td><td>${c.status}</td></tr>`,
    )}</tbody>
  </table>`;
  const exclusions =
    e.exclusions.length === 0
      ? ''
      : html`<h3>${t('explain.exclusions')}</h3><ul>${e.exclusions.map((x) => html`<li><code>${x.id}</code>: ${x.reason} (${show(x.value)})</li>`)}</ul>`;
  const result =
    r === undefined
      ? ''
      : html`<p class="result"><strong>${t('explain.result', {
          score: r.score,
          tier: r.tier,
          excluded: r.excluded ? t('explain.excluded') : '',
          completeness: Math.round(r.completeness * 100),
          tags: show(r.tags),
        })}</strong></p>
        <p>${t('explain.reasons')}: ${r.reasons}</p>`;
  return html`${criteria}${exclusions}${result}`;
}

function person(ctx: PageContext, p: NonNullable<Explanation['person']>): SafeHtml {
  const { t } = ctx;
  const a = p.account;
  const account = a === null ? '—' : 'missing' in a ? `${a.id} (?)` : `${a.id} · ${a.score} · ${a.tier}${a.excluded ? t('explain.excluded') : ''}`;
  return html`<h3>${t('explain.person')}</h3>
  <dl class="facts">
    <dt>${t('explain.title')}</dt><dd>${show(p.title)}</dd>
    <dt>CRM</dt><dd>${p.crmRoles.length === 0 ? '—' : p.crmRoles.join(', ')}</dd>
    <dt>${t('explain.role')}</dt><dd>${p.role === 'none' ? t('none') : `${p.label} (${p.role})`} · ${p.points} — ${p.why}</dd>
    <dt>${t('explain.account')}</dt><dd>${account}</dd>
    <dt>${t('explain.priority')}</dt><dd>${p.priority === null ? '—' : `${p.priority} · ${show(p.priorityTier)}`}</dd>
  </dl>`;
}

export function explainView(ctx: PageContext, e: Explanation): SafeHtml {
  const { t } = ctx;
  const write = e.wouldWrite
    ? html`<h3>${t('explain.write')}</h3>
      <table>
        <thead><tr><th scope="col">${t('explain.field')}</th><th scope="col">${t('explain.now')}</th><th scope="col">${t('explain.next')}</th></tr></thead>
        <tbody>${e.diff.map((d) => html`<tr><th scope="row"><code>${d.field}</code></th><td>${show(d.current)}</td><td>${show(d.next)}</td></tr>`)}</tbody>
      </table>`
    : html`<p>${t('explain.nothing')}</p>`;
  return html`<section class="explain" aria-labelledby="explain-h">
  <h2 id="explain-h">${e.crm} ${e.objectType} ${e.id} — ${t('overview.model').toLowerCase()} ${e.modelVersion}</h2>
  <h3>${t('explain.attributes')}</h3>
  <table>
    <thead><tr><th scope="col">${t('explain.attribute')}</th><th scope="col">${t('explain.value')}</th><th scope="col">${t('explain.source')}</th></tr></thead>
    <tbody>${e.attributes.map((a) => html`<tr><th scope="row"><code>${a.name}</code></th><td>${show(a.value)}</td><td>${a.source}</td></tr>`)}</tbody>
  </table>
  ${e.result === undefined ? '' : fit(ctx, e)}
  ${e.person === undefined ? '' : person(ctx, e.person)}
  ${e.committee === undefined ? '' : html`<p>${t('explain.committee', { coverage: e.committee.coverage, missing: e.committee.missing === '' ? t('none') : e.committee.missing })}</p>`}
  ${write}
</section>`;
}
