/**
 * The Mappings pages: the current mapping of each synced object type with its coverage on the
 * sample and the CRM's fields, the edit with the loader's messages and a preview of its effect,
 * save, history and rollback, over the runtime's mapping store and preview (src/mapping-store/,
 * src/preview/). Saving and rolling back need an editor and are written to the audit log.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CrmName } from '../connectors/port.ts';
import { ConfigError } from '../errors.ts';
import { jsonSchemaOf } from '../http/json-schema.ts';
import { MappingRevisionNotFoundError, MappingsUnchangedError } from '../mapping-store/errors.ts';
import { DEFAULT_MAPPINGS } from '../mappings/defaults.ts';
import { SampleNotReadyError } from '../preview/model-preview.ts';
import type { AuditLog } from './audit.ts';
import { pageContext, sessionOf } from './context.ts';
import { page, type Notice, type PageContext } from './layout.ts';
import { mappingPreviewSection, renderMappingHistory, renderMappings, type MappingsPageData } from './pages/mappings.ts';
import type { ConsoleRuntime } from './port.ts';
import { ConsoleRefusal, requireEditor } from './refusal.ts';
import { PEOPLE_TYPES } from './routes-model.ts';

export interface MappingRoutesOptions {
  runtime: ConsoleRuntime;
  audit: AuditLog;
}

const lang = z.enum(['en', 'fr']).optional();
const target = z.string().regex(/^(hubspot|salesforce):[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be a CRM and an object type, such as hubspot:companies');
const PageQuery = z.object({ lang, target: target.optional(), done: z.enum(['save', 'rollback']).optional(), rev: z.coerce.number().int().min(1).optional() }).strict();
const DraftBody = z.object({ _csrf: z.string().max(200), yaml: z.string().max(500_000), target, note: z.string().max(500).optional() }).strict();
const SampleBody = z
  .object({ _csrf: z.string().max(200), target, fields: z.string().max(4000).regex(/^[A-Za-z0-9_.,]*$/, 'must be CRM field names separated by commas').optional() })
  .strict();
const RollbackBody = z.object({ _csrf: z.string().max(200), revision: z.coerce.number().int().min(1), note: z.string().max(500).optional() }).strict();
const HistoryQuery = z.object({ lang }).strict();

/** The text an editor starts from when no version was saved: the built-in defaults hold. */
const EMPTY_DOCUMENT = '# icp-sync field mappings: each section is merged over the built-in defaults.\nversion: 1\n';

const send = (reply: FastifyReply, body: string, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(body);

function split(value: string): { crm: CrmName; objectType: string } {
  const [crm, objectType = ''] = value.split(':') as [CrmName, string];
  return { crm, objectType };
}

export async function mappingRoutes(app: FastifyInstance, options: MappingRoutesOptions): Promise<void> {
  const { runtime, audit } = options;
  const targets = () => [...runtime.connectors.keys()].flatMap((crm) => runtime.objectTypes(crm).map((t) => `${crm}:${t}`));
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
  const store = () => {
    if (runtime.mappings === undefined) throw new ConsoleRefusal(404, 'mapping versions are not available on this instance');
    return runtime.mappings;
  };

  async function activeText(): Promise<string> {
    return (await runtime.mappings?.active())?.yaml ?? EMPTY_DOCUMENT;
  }

  /** Everything the page shows for one object type; the preview of `draft` when given. */
  async function pageData(ctx: PageContext, tgt: string, yaml: string, draft: boolean, note?: string): Promise<MappingsPageData & { status: number }> {
    const mappings = runtime.activeMappings?.().mappings ?? DEFAULT_MAPPINGS;
    const active = runtime.activeMappings?.().entry;
    const data: MappingsPageData & { status: number } = {
      targets: targets(),
      target: tgt,
      yaml,
      versioned: runtime.mappings !== undefined,
      people: PEOPLE_TYPES.has(split(tgt).objectType),
      status: 200,
      ...(active === undefined ? {} : { active }),
      ...(note === undefined ? {} : { note }),
    };
    if (tgt === '') return data;
    const { crm, objectType } = split(tgt);
    const mapping = mappings[crm][objectType];
    if (mapping !== undefined) data.mapping = mapping;
    const [sample, fields] = await Promise.all([
      (async () => {
        const s = await runtime.preview.samples.status(crm, objectType);
        return s.state === 'empty' ? runtime.preview.samples.refresh(crm, objectType) : s;
      })(),
      runtime.crmFields === undefined
        ? Promise.resolve({ fields: [] })
        : runtime.crmFields(crm, objectType).then(
            (f) => ({ fields: f }),
            (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
          ),
    ]);
    data.sample = sample;
    if ('fields' in fields) data.fields = fields.fields;
    else data.fieldsError = fields.error;
    if (runtime.preview.coverage !== undefined && sample.readAt !== undefined) {
      try {
        data.coverage = (await runtime.preview.coverage(crm, objectType)).attributes;
      } catch (err) {
        if (!(err instanceof SampleNotReadyError)) throw err;
      }
    }
    if (draft) {
      const checked = store().validate(yaml);
      if (!checked.ok) {
        data.problems = checked.problems;
        data.status = 400;
      } else if (runtime.preview.previewMappings === undefined) {
        data.previewNote = ctx.t('mappings.unavailable');
      } else {
        try {
          data.preview = await runtime.preview.previewMappings({ crm, objectType, mappings: yaml });
        } catch (err) {
          if (err instanceof SampleNotReadyError) data.previewNote = ctx.t('sample.notReady');
          else if (err instanceof ConfigError) {
            data.problems = err.problems;
            data.status = 400;
          } else throw err;
        }
      }
    }
    return data;
  }

  app.get('/mappings', { schema: { querystring: jsonSchemaOf(PageQuery) } }, async (request, reply) => {
    const q = PageQuery.parse(request.query);
    const ctx = pageContext(request, reply);
    const data = await pageData(ctx, pickTarget(q.target), await activeText(), false);
    const notice: Notice | undefined =
      q.done === 'save' ? { kind: 'ok', text: ctx.t('mappings.saved', { revision: q.rev ?? '?' }) } : q.done === 'rollback' ? { kind: 'ok', text: ctx.t('mappings.rolledBack', { revision: q.rev ?? '?' }) } : undefined;
    return send(reply, page(ctx, ctx.t('mappings.title'), renderMappings(ctx, data), notice === undefined ? {} : { notice }));
  });

  app.post('/mappings/preview', { preValidation: app.csrfProtection, schema: { body: jsonSchemaOf(DraftBody) } }, async (request, reply) => {
    const body = DraftBody.parse(request.body);
    const ctx = pageContext(request, reply);
    const data = await pageData(ctx, pickTarget(body.target), body.yaml, true, body.note);
    if (request.headers['x-console-fragment'] === 'preview') return send(reply, mappingPreviewSection(ctx, data).text, data.status);
    return send(reply, page(ctx, ctx.t('mappings.title'), renderMappings(ctx, data)), data.status);
  });

  app.post('/mappings/save', { preValidation: app.csrfProtection, schema: { body: jsonSchemaOf(DraftBody) } }, async (request, reply) => {
    requireEditor(request);
    const body = DraftBody.parse(request.body);
    const tgt = pickTarget(body.target);
    const ctx = pageContext(request, reply);
    const who = author(request);
    const note = body.note?.trim() ?? '';
    try {
      const entry = await store().save({ yaml: body.yaml, author: who.name, note });
      const changes = entry.changes.length === 0 ? 'no change in effect' : entry.changes.join('; ');
      await audit.record({ who: who.name, role: who.role, action: 'mappings', details: `mappings revision ${entry.revision}: ${changes}${note === '' ? '' : ` (note: ${note})`}`.slice(0, 2000) });
      return reply.redirect(`/console/mappings?target=${encodeURIComponent(tgt)}&done=save&rev=${entry.revision}`, 303);
    } catch (err) {
      let notice: Notice;
      let status: number;
      if (err instanceof ConfigError) {
        notice = { kind: 'error', text: ctx.t('mappings.invalid') };
        status = 400;
      } else if (err instanceof MappingsUnchangedError) {
        notice = { kind: 'error', text: ctx.t('mappings.unchanged') };
        status = 409;
      } else throw err;
      const data = await pageData(ctx, tgt, body.yaml, err instanceof ConfigError, note);
      return send(reply, page(ctx, ctx.t('mappings.title'), renderMappings(ctx, data), { notice }), status);
    }
  });

  app.post('/mappings/sample', { preValidation: app.csrfProtection, schema: { body: jsonSchemaOf(SampleBody) } }, async (request, reply) => {
    const body = SampleBody.parse(request.body);
    const tgt = pickTarget(body.target);
    const { crm, objectType } = split(tgt);
    const fields = (body.fields ?? '').split(',').filter((f) => f !== '');
    await runtime.preview.samples.refresh(crm, objectType, fields.length === 0 ? {} : { fields });
    return reply.redirect(`/console/mappings?target=${encodeURIComponent(tgt)}`, 303);
  });

  app.get('/mappings/history', { schema: { querystring: jsonSchemaOf(HistoryQuery) } }, async (request, reply) => {
    HistoryQuery.parse(request.query);
    const ctx = pageContext(request, reply);
    return send(reply, page(ctx, ctx.t('mappings.history'), renderMappingHistory(ctx, await store().history({ limit: 200 }))));
  });

  app.post('/mappings/rollback', { preValidation: app.csrfProtection, schema: { body: jsonSchemaOf(RollbackBody) } }, async (request, reply) => {
    requireEditor(request);
    const body = RollbackBody.parse(request.body);
    const who = author(request);
    try {
      const entry = await store().rollback(body.revision, { author: who.name, note: body.note ?? '' });
      await audit.record({ who: who.name, role: who.role, action: 'mappings', details: `mappings back to revision ${body.revision} (now revision ${entry.revision})` });
      return reply.redirect(`/console/mappings?done=rollback&rev=${entry.revision}`, 303);
    } catch (err) {
      if (err instanceof MappingRevisionNotFoundError) throw new ConsoleRefusal(404, err.message);
      throw err;
    }
  });
}
