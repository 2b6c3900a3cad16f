/**
 * The Model pages: the editor with its what-if preview, publish, history, diff, rollback and
 * export, over the model store and the preview the runtime provides (src/model-store/,
 * src/preview/). Publishing and rolling back need an editor and are written to the audit log.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CrmName } from '../connectors/port.ts';
import { ConfigError } from '../errors.ts';
import { jsonSchemaOf } from '../http/json-schema.ts';
import { ModelRevisionNotFoundError, ModelVersionTakenError } from '../model-store/errors.ts';
import { SampleNotReadyError } from '../preview/model-preview.ts';
import type { AuditLog } from './audit.ts';
import { pageContext, sessionOf } from './context.ts';
import { page, type Notice, type PageContext } from './layout.ts';
import { applyDraftForm, rawModel, type Draft } from './model-draft.ts';
import { renderDiff, renderExport, renderHistory } from './pages/model-history.ts';
import { previewSection, renderModel, type ModelPageData } from './pages/model.ts';
import type { ConsoleRuntime } from './port.ts';
import { ConsoleRefusal, requireEditor } from './refusal.ts';
import { CALIBRATION_DRAFT, calibrationDraft } from './routes-calibration.ts';

export interface ModelRoutesOptions {
  runtime: ConsoleRuntime;
  audit: AuditLog;
}

/** People have no fit of their own: the what-if runs on accounts and leads. */
export const PEOPLE_TYPES: ReadonlySet<string> = new Set(['contacts', 'Contact']);

const lang = z.enum(['en', 'fr']).optional();
const target = z.string().regex(/^(hubspot|salesforce):[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be a CRM and an object type, such as hubspot:companies');
const ModelQuery = z.object({ lang, target: target.optional(), draft: z.string().regex(CALIBRATION_DRAFT).optional() }).strict();
/**
 * The editor form: fixed fields plus `weight.<id>`, `weight0.<id>`, `tier.<name>`, `tier0.<name>`
 * and the structured sections of src/console/model-form-fields.ts (role title lists can be long).
 */
const DraftBody = z
  .object({ _csrf: z.string().max(200), yaml: z.string().max(500_000), target: target.optional(), note: z.string().max(500).optional(), op: z.string().max(200).optional() })
  .catchall(z.string().max(20_000));
const SampleBody = z.object({ _csrf: z.string().max(200), target }).strict();
const RollbackBody = z.object({ _csrf: z.string().max(200), revision: z.coerce.number().int().min(1), note: z.string().max(500).optional() }).strict();
const DiffQuery = z.object({ lang, from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }).strict();
const HistoryQuery = z.object({ lang, done: z.string().max(40).optional() }).strict();
const ExportParams = z.object({ file: z.string().regex(/^[A-Za-z0-9._-]{1,120}\.yaml$/) }).strict();

const send = (reply: FastifyReply, body: string, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(body);

function split(value: string): { crm: CrmName; objectType: string } {
  const [crm, objectType = ''] = value.split(':') as [CrmName, string];
  return { crm, objectType };
}

export async function modelRoutes(app: FastifyInstance, options: ModelRoutesOptions): Promise<void> {
  const { runtime, audit } = options;
  const targets = () => [...runtime.connectors.keys()].flatMap((crm) => runtime.objectTypes(crm).filter((t) => !PEOPLE_TYPES.has(t)).map((t) => `${crm}:${t}`));
  const ctxOf = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply);
  const pickTarget = (wanted: string | undefined) => {
    const all = targets();
    if (wanted !== undefined && !all.includes(wanted)) throw new ConsoleRefusal(400, `${wanted} is not synced on this instance`);
    return wanted ?? all[0] ?? '';
  };
  const author = (request: FastifyRequest) => {
    const s = sessionOf(request);
    if (s === undefined) throw new ConsoleRefusal(401, 'sign in first');
    return s;
  };

  /** The page for a draft text: parsed fields, sample status, and the preview when asked. */
  async function modelPage(ctx: PageContext, yaml: string, tgt: string, opts: { preview: boolean; note?: string; versionHint?: string; draft?: Draft }): Promise<ModelPageData & { status: number }> {
    const checked = runtime.models.validate(yaml);
    const raw = rawModel(yaml);
    const active = (await runtime.models.active()) ?? undefined;
    const model = checked.ok ? checked.model : undefined;
    const suggestedVersion = opts.versionHint ?? (model === undefined ? '' : await runtime.models.suggestVersion(model.version));
    const data: ModelPageData & { status: number } = { yaml, targets: targets(), target: tgt, suggestedVersion, status: checked.ok ? 200 : 400, ...(model === undefined ? {} : { model }), ...(active === undefined ? {} : { active }) };
    if (!checked.ok) data.problems = checked.problems;
    if (raw !== undefined) data.raw = raw;
    if (opts.draft !== undefined) {
      data.extraRows = opts.draft.extraRows;
      data.touched = opts.draft.touched;
    }
    if (opts.note !== undefined) data.note = opts.note;
    if (tgt !== '') {
      const { crm, objectType } = split(tgt);
      let sample = await runtime.preview.samples.status(crm, objectType);
      if (sample.state === 'empty') sample = await runtime.preview.samples.refresh(crm, objectType);
      data.sample = sample;
      if (opts.preview && checked.ok) {
        try {
          data.preview = await runtime.preview.preview({ crm, objectType, draft: yaml });
        } catch (err) {
          if (err instanceof SampleNotReadyError) data.previewNote = ctx.t('sample.notReady');
          else if (err instanceof ConfigError) data.problems = err.problems;
          else throw err;
        }
      }
    }
    return data;
  }

  app.get('/model', { schema: { querystring: jsonSchemaOf(ModelQuery) } }, async (request, reply) => {
    const q = ModelQuery.parse(request.query);
    const ctx = ctxOf(request, reply);
    const active = await runtime.models.active();
    // "Use as draft" on the Calibration page: the suggested model, previewed at once.
    const calibrated = q.draft === undefined ? undefined : await calibrationDraft(runtime, q.draft);
    const yaml = calibrated?.yaml ?? active?.yaml ?? '';
    const data = await modelPage(ctx, yaml, pickTarget(q.target), calibrated === undefined ? { preview: false } : { preview: true, note: calibrated.note });
    return send(reply, page(ctx, ctx.t('model.title'), renderModel(ctx, data), calibrated === undefined ? {} : { notice: { kind: 'ok', text: ctx.t('calibration.draftLoaded') } }));
  });

  app.post('/model/preview', { preValidation: app.csrfProtection, schema: { body: jsonSchemaOf(DraftBody) } }, async (request, reply) => {
    const body = DraftBody.parse(request.body);
    const ctx = ctxOf(request, reply);
    const draft = applyDraftForm({ yaml: body.yaml, fields: body as Record<string, string> });
    const data = await modelPage(ctx, draft.yaml, pickTarget(body.target), { preview: true, draft, ...(body.note === undefined ? {} : { note: body.note }) });
    // The page's script asks for the preview section alone when a field changes.
    if (request.headers['x-console-fragment'] === 'preview') {
      const problems = data.problems ?? [];
      return send(reply, previewSection(ctx, problems.length > 0 ? { previewNote: problems.join(' · ') } : data).text);
    }
    return send(reply, page(ctx, ctx.t('model.title'), renderModel(ctx, data)), data.status);
  });

  app.post('/model/publish', { preValidation: app.csrfProtection, schema: { body: jsonSchemaOf(DraftBody) } }, async (request, reply) => {
    requireEditor(request);
    const body = DraftBody.parse(request.body);
    const ctx = ctxOf(request, reply);
    const who = author(request);
    const draft = applyDraftForm({ yaml: body.yaml, fields: body as Record<string, string> });
    const note = body.note?.trim() ?? '';
    try {
      const entry = await runtime.models.publish({ yaml: draft.yaml, author: who.name, note });
      await audit.record({ who: who.name, role: who.role, action: 'publish', details: `model ${entry.version} (revision ${entry.revision})${note === '' ? '' : `: ${note}`}` });
      return reply.redirect('/console/operations?done=publish', 303);
    } catch (err) {
      let notice: Notice;
      let versionHint: string | undefined;
      if (err instanceof ConfigError) notice = { kind: 'error', text: ctx.t('model.invalid') };
      else if (err instanceof ModelVersionTakenError) {
        notice = { kind: 'error', text: ctx.t('model.versionTaken', { version: err.version, revision: err.revision, suggestion: err.suggestion }) };
        versionHint = err.suggestion;
      } else throw err;
      const data = await modelPage(ctx, draft.yaml, pickTarget(body.target), { preview: false, note, draft, ...(versionHint === undefined ? {} : { versionHint }) });
      if (err instanceof ConfigError) data.problems = err.problems;
      return send(reply, page(ctx, ctx.t('model.title'), renderModel(ctx, data), { notice }), err instanceof ConfigError ? 400 : 409);
    }
  });

  app.post('/model/sample', { preValidation: app.csrfProtection, schema: { body: jsonSchemaOf(SampleBody) } }, async (request, reply) => {
    const tgt = pickTarget(SampleBody.parse(request.body).target);
    const { crm, objectType } = split(tgt);
    await runtime.preview.samples.refresh(crm, objectType);
    return reply.redirect(`/console/model?target=${encodeURIComponent(tgt)}#preview`, 303);
  });

  app.get('/model/history', { schema: { querystring: jsonSchemaOf(HistoryQuery) } }, async (request, reply) => {
    const q = HistoryQuery.parse(request.query);
    const ctx = ctxOf(request, reply);
    const notice: Notice | undefined = q.done === 'rollback' ? { kind: 'ok', text: ctx.t('model.rolledBack') } : undefined;
    return send(reply, page(ctx, ctx.t('model.history'), renderHistory(ctx, await runtime.models.history({ limit: 200 })), notice === undefined ? {} : { notice }));
  });

  app.get('/model/diff', { schema: { querystring: jsonSchemaOf(DiffQuery) } }, async (request, reply) => {
    const q = DiffQuery.parse(request.query);
    const ctx = ctxOf(request, reply);
    try {
      return send(reply, page(ctx, ctx.t('model.diff'), renderDiff(ctx, await runtime.models.diff(q.from, q.to))));
    } catch (err) {
      if (err instanceof ModelRevisionNotFoundError) throw new ConsoleRefusal(404, err.message);
      throw err;
    }
  });

  app.post('/model/rollback', { preValidation: app.csrfProtection, schema: { body: jsonSchemaOf(RollbackBody) } }, async (request, reply) => {
    requireEditor(request);
    const body = RollbackBody.parse(request.body);
    const who = author(request);
    try {
      const entry = await runtime.models.rollback(body.revision, { author: who.name, note: body.note ?? '' });
      await audit.record({ who: who.name, role: who.role, action: 'rollback', details: `to revision ${body.revision}: model ${entry.version} active again (revision ${entry.revision})` });
    } catch (err) {
      if (err instanceof ModelRevisionNotFoundError) throw new ConsoleRefusal(404, err.message);
      throw err;
    }
    return reply.redirect('/console/model/history?done=rollback', 303);
  });

  app.get('/model/export', { schema: { querystring: jsonSchemaOf(z.object({ lang }).strict()) } }, async (request, reply) => {
    const ctx = ctxOf(request, reply);
    return send(reply, page(ctx, ctx.t('model.export'), renderExport(ctx, await runtime.models.exportHistory())));
  });

  app.get('/model/export/:file', { schema: { params: jsonSchemaOf(ExportParams) } }, async (request, reply) => {
    const { file } = ExportParams.parse(request.params);
    const found = (await runtime.models.exportHistory()).find((f) => f.fileName === file);
    if (found === undefined) throw new ConsoleRefusal(404, `${file} is not in the history`);
    return reply.type('application/yaml; charset=utf-8').header('content-disposition', `attachment; filename="${file}"`).send(found.yaml);
  });
}

