/**
 * The page frame: skip link, header with the navigation, the language switch and the sign-out
 * form, then the page's own content in `<main>`.
 */
import { html, type SafeHtml } from './html.ts';
import type { Lang, LabelKey, Translate } from './i18n.ts';
import type { Session } from './session.ts';

export const BASE = '/console';

/** What every page knows about the request it answers. */
export interface PageContext {
  lang: Lang;
  t: Translate;
  /** Undefined on the sign-in page. */
  session?: Session;
  /** The token forms send back as `_csrf`. */
  csrf: string;
  /** The path of this page, for the active link and the language switch. */
  path: string;
  /** Sections this instance serves (the model pages only once their backend is there). */
  nav: ReadonlyArray<{ href: string; label: LabelKey }>;
}

/** A notice at the top of a page, after a form was sent. */
export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

export function csrfField(ctx: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
}

function navigation(ctx: PageContext): SafeHtml {
  const items = ctx.nav.map((item) => {
    const current = ctx.path === item.href || (item.href !== BASE && ctx.path.startsWith(`${item.href}/`));
    return html`<li><a href="${item.href}"${current ? html` aria-current="page"` : ''}>${ctx.t(item.label)}</a></li>`;
  });
  return html`<nav aria-label="${ctx.t('nav.main')}"><ul>${items}</ul></nav>`;
}

function account(ctx: PageContext): SafeHtml {
  const other: Lang = ctx.lang === 'fr' ? 'en' : 'fr';
  const lang = html`<a class="lang" href="${ctx.path}?lang=${other}" hreflang="${other}" lang="${other}">${ctx.t('lang.switch')}</a>`;
  if (ctx.session === undefined) return html`<div class="account">${lang}</div>`;
  const role = ctx.t(ctx.session.role === 'editor' ? 'role.editor' : 'role.viewer');
  return html`<div class="account">
    <span>${ctx.t('signed.as', { name: ctx.session.name, role })}</span>
    ${lang}
    <form method="post" action="${BASE}/sign-out">${csrfField(ctx)}<button type="submit" class="link">${ctx.t('signout')}</button></form>
  </div>`;
}

function notice(n: Notice | undefined): SafeHtml | string {
  if (n === undefined) return '';
  return html`<p class="notice ${n.kind}" role="${n.kind === 'error' ? 'alert' : 'status'}">${n.text}</p>`;
}

export function page(ctx: PageContext, title: string, body: SafeHtml, options: { notice?: Notice; scripts?: boolean } = {}): string {
  const doc = html`<!doctype html>
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${ctx.t('app.title')}</title>
<link rel="stylesheet" href="${BASE}/assets/console.css">
${options.scripts === false ? '' : html`<script src="${BASE}/assets/console.js" defer></script>`}
</head>
<body>
<a class="skip" href="#content">${ctx.t('nav.skip')}</a>
<header>
  <a class="brand" href="${BASE}">${ctx.t('app.title')}</a>
  ${ctx.session === undefined ? '' : navigation(ctx)}
  ${account(ctx)}
</header>
<main id="content" tabindex="-1">
<h1>${title}</h1>
${notice(options.notice)}
${body}
</main>
</body>
</html>
`;
  return doc.text;
}
