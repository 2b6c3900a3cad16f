/**
 * Per-request console state: the language, the signed-in session and a CSRF token for the forms,
 * gathered into the {@link PageContext} every page renders with.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LANG_COOKIE, pickLang, translator, type Lang, type LabelKey } from './i18n.ts';
import type { PageContext } from './layout.ts';
import { decodeSession, SESSION_COOKIE, type Session } from './session.ts';

/** The session a request carries, if its cookie is validly signed and not expired. */
export function sessionOf(request: FastifyRequest): Session | undefined {
  const raw = request.cookies[SESSION_COOKIE];
  if (raw === undefined) return undefined;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value !== null ? decodeSession(unsigned.value) : undefined;
}

export function langOf(request: FastifyRequest): Lang {
  const query = (request.query as Record<string, unknown> | undefined)?.['lang'];
  return pickLang(query, request.cookies[LANG_COOKIE], request.headers['accept-language']);
}

/** The sections shown in the navigation, in order. */
export type NavItems = PageContext['nav'];

export const BASE_NAV: ReadonlyArray<{ href: string; label: LabelKey }> = [
  { href: '/console', label: 'nav.overview' },
  { href: '/console/records', label: 'nav.records' },
  { href: '/console/operations', label: 'nav.operations' },
  { href: '/console/model', label: 'nav.model' },
  { href: '/console/mappings', label: 'nav.mappings' },
  { href: '/console/calibration', label: 'nav.calibration' },
  { href: '/console/audit', label: 'nav.audit' },
];

export function pageContext(request: FastifyRequest, reply: FastifyReply, nav: NavItems = BASE_NAV): PageContext {
  const lang = langOf(request);
  const session = sessionOf(request);
  const path = (request.url.split('?')[0] ?? '/console').replace(/\/$/, '') || '/console';
  return { lang, t: translator(lang), ...(session === undefined ? {} : { session }), csrf: reply.generateCsrf(), path, nav };
}
