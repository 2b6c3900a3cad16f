/**
 * The Calibration page and its forms (issue 12): run a calibration from a CRM's closed deals as
 * background work (editors, CSRF, audited), follow it, read the last result, frame the ICP sheet,
 * and load the suggested model into the Model editor ("use as draft"). Also the button of the
 * what-if preview that reads the closed deals again.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CrmName } from '../connectors/port.ts';
import { jsonSchemaOf } from '../http/json-schema.ts';
import type { AuditLog } from './audit.ts';
import { pageContext, sessionOf } from './context.ts';
import { page } from './layout.ts';
import { renderCalibration, statusLine } from './pages/calibration.ts';
import type { ConsoleRuntime } from './port.ts';
import { ConsoleRefusal, requireEditor } from './refusal.ts';

export interface CalibrationRoutesOptions {
  runtime: ConsoleRuntime;
  audit: AuditLog;
}

/**
 * The ICP sheet is self-contained HTML with inline CSS and SVG: it gets its own policy (no script,
 * no request, opaque origin) and may be framed by the console's own pages only.
 */
export const SHEET_CSP = ["default-src 'none'", "style-src 'unsafe-inline'", 'img-src data:', "frame-ancestors 'self'", "base-uri 'none'", "form-action 'none'", 'sandbox'].join('; ');

const lang = z.enum(['en', 'fr']).optional();
const crm = z.enum(['hubspot', 'salesforce']);
const PageQuery = z.object({ lang, crm: crm.optional(), done: z.enum(['run', 'running']).optional() }).strict();
const CrmQuery = z.object({ lang, crm }).strict();
const CrmBody = z.object({ _csrf: z.string().max(200), crm }).strict();
const DealsBody = z.object({ _csrf: z.string().max(200), target: z.string().regex(/^(hubspot|salesforce):[A-Za-z][A-Za-z0-9_]{0,63}$/) }).strict();

/** `draft=calibration:<crm>` on the Model page: the suggested model of that CRM's last calibration. */
export const CALIBRATION_DRAFT = /^calibration:(hubspot|salesforce)$/;

/**
 * The Model page's hook: the suggested model text of the last calibration named by `draft`
 * (`calibration:hubspot`), with a publish note saying where it comes from; undefined when none.
 */
export async function calibrationDraft(runtime: ConsoleRuntime, draft: string): Promise<{ yaml: string; note: string; crm: CrmName } | undefined> {
  const m = CALIBRATION_DRAFT.exec(draft);
  if (m === null || runtime.calibration === undefined) return undefined;
  const which = m[1] as CrmName;
  const result = await runtime.calibration.result(which);
  if (result?.suggestedYaml === undefined) return undefined;
  return { yaml: result.suggestedYaml, note: `calibrated on ${result.summary.source} (${result.finishedAt.slice(0, 10)})`, crm: which };
}

const send = (reply: FastifyReply, body: string, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(body);

export async function calibrationRoutes(app: FastifyInstance, options: CalibrationRoutesOptions): Promise<void> {
  const { runtime, audit } = options;
  const runs = () => {
    if (runtime.calibration === undefined) throw new ConsoleRefusal(404, 'calibration is not available on this instance');
    return runtime.calibration;
  };
  const configured = (c: CrmName | undefined): CrmName => {
    const all = [...runtime.connectors.keys()];
    if (c !== undefined && !all.includes(c)) throw new ConsoleRefusal(400, `${c} is not configured on this instance`);
    const first = c ?? all[0];
    if (first === undefined) throw new ConsoleRefusal(404, 'no CRM is configured on this instance');
    return first;
  };
  const who = (request: FastifyRequest) => {
    const s = sessionOf(request);
    if (s === undefined) throw new ConsoleRefusal(401, 'sign in first');
    return s;
  };

  app.get('/calibration', { schema: { querystring: jsonSchemaOf(PageQuery) } }, async (request, reply) => {
    const q = PageQuery.parse(request.query);
    const ctx = pageContext(request, reply);
    const which = configured(q.crm);
    const [status, result] = await Promise.all([runs().status(which), runs().result(which)]);
    const notice =
      q.done === 'run' ? { kind: 'ok' as const, text: ctx.t('calibration.started') } : q.done === 'running' ? { kind: 'error' as const, text: ctx.t('calibration.alreadyRunning') } : undefined;
    const body = renderCalibration(ctx, { crms: [...runtime.connectors.keys()], crm: which, status, ...(result === undefined ? {} : { result }) });
    return send(reply, page(ctx, ctx.t('calibration.title'), body, notice === undefined ? {} : { notice }));
  });

  /** The status line alone, for the page's script while a run is under way. */
  app.get('/calibration/status', { schema: { querystring: jsonSchemaOf(CrmQuery) } }, async (request, reply) => {
    const q = CrmQuery.parse(request.query);
    const ctx = pageContext(request, reply);
    return send(reply, statusLine(ctx, await runs().status(configured(q.crm))).text);
  });

  app.get('/calibration/sheet', { schema: { querystring: jsonSchemaOf(CrmQuery) } }, async (request, reply) => {
    const q = CrmQuery.parse(request.query);
    const result = await runs().result(configured(q.crm));
    if (result === undefined) throw new ConsoleRefusal(404, `no calibration of ${q.crm} yet`);
    return reply.code(200).type('text/html; charset=utf-8').header('content-security-policy', SHEET_CSP).send(result.sheetHtml);
  });

  app.post('/calibration/run', { preValidation: app.csrfProtection, schema: { body: jsonSchemaOf(CrmBody) } }, async (request, reply) => {
    requireEditor(request);
    const body = CrmBody.parse(request.body);
    const which = configured(body.crm);
    const s = who(request);
    const ctx = pageContext(request, reply);
    const { started } = await runs().start(which, { by: s.name, lang: ctx.lang });
    if (started) await audit.record({ who: s.name, role: s.role, action: 'calibration', details: `calibration of ${which} from its closed deals started` });
    return reply.redirect(`/console/calibration?crm=${which}&done=${started ? 'run' : 'running'}`, 303);
  });

  app.post('/calibration/draft', { preValidation: app.csrfProtection, schema: { body: jsonSchemaOf(CrmBody) } }, async (request, reply) => {
    requireEditor(request);
    const body = CrmBody.parse(request.body);
    const which = configured(body.crm);
    const draft = await calibrationDraft(runtime, `calibration:${which}`);
    if (draft === undefined) throw new ConsoleRefusal(409, `the last calibration of ${which} suggested no model`);
    const target = runtime.objectTypes(which)[0];
    return reply.redirect(`/console/model?draft=calibration:${which}${target === undefined ? '' : `&target=${encodeURIComponent(`${which}:${target}`)}`}#preview`, 303);
  });

  app.post('/model/deals', { preValidation: app.csrfProtection, schema: { body: jsonSchemaOf(DealsBody) } }, async (request, reply) => {
    const body = DealsBody.parse(request.body);
    const [c] = body.target.split(':') as [CrmName];
    const which = configured(c);
    if (runtime.preview.deals === undefined) throw new ConsoleRefusal(404, 'closed deals are not available on this instance');
    await runtime.preview.deals.refresh(which);
    return reply.redirect(`/console/model?target=${encodeURIComponent(body.target)}#preview`, 303);
  });
}
