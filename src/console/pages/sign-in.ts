/** The sign-in form: a name for the audit log and the console secret. */
import { html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../layout.ts';

export function renderSignIn(ctx: PageContext, options: { next: string; error?: string }): SafeHtml {
  const { t } = ctx;
  return html`<form method="post" action="/console/sign-in" class="signin">
  <input type="hidden" name="_csrf" value="${ctx.csrf}">
  <input type="hidden" name="next" value="${options.next}">
  ${options.error === undefined ? '' : html`<p class="notice error" role="alert" id="signin-error">${options.error}</p>`}
  <label for="name">${t('signin.name')}</label>
  <input id="name" name="name" required maxlength="60" autocomplete="name">
  <label for="secret">${t('signin.secret')}</label>
  <input id="secret" name="secret" type="password" required autocomplete="current-password"${options.error === undefined ? '' : html` aria-describedby="signin-error"`}>
  <button type="submit">${t('signin.submit')}</button>
  <p class="help">${t('signin.help')}</p>
</form>`;
}
