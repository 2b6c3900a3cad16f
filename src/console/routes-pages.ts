/**
 * The pages: Overview, Records, Operations and the audit log, and the forms they send (rescore,
 * backfill, retry). Every form is CSRF-checked; those that change something need an editor and
 * leave a line in the audit log.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Env } from '../config/env.ts';
import type { CrmName } from '../connectors/port.ts';
import { RecordNotFoundError } from '../errors.ts';
import { jsonSchemaOf } from '../http/json-schema.ts';
import type { Explanation } from '../pipeline/explain.ts';
import { isRecordIdOf, recordIdShape } from '../pipeline/record-ids.ts';
import type { AuditLog } from './audit.ts';
import { pageContext, sessionOf } from './context.ts';
import { page, type Notice, type PageContext } from './layout.ts';
import { renderAudit } from './pages/audit.ts';
import { renderOperations } from './pages/operations.ts';
import { renderOverview, type OverviewData } from './pages/overview.ts';
import { committeeFacts, healthFacts, peopleFacts } from './overview-facts.ts';
import { isRechallengeDue, modelAgeDays, rechallengeDate } from '../domain/calibration/rechallenge.ts';
import { PEOPLE_TYPES } from './routes-model.ts';
import { renderRecords, type RecordsData, type RecordsQuery } from './pages/records.ts';
import { searchRecords } from './record-search.ts';
import { ConsoleRefusal, requireEditor } from './refusal.ts';
import type { ConsoleRuntime } from './port.ts';

export interface PageRoutesOptions {
  env: Env;
  runtime: ConsoleRuntime;
  audit: AuditLog;
}

const lang = z.enum(['en', 'fr']).optional();
const target = z.string().regex(/^(hubspot|salesforce):([A-Za-z][A-Za-z0-9_]{0,63})?$/, 'must be a CRM and an object type, such as hubspot:companies');
const PlainQuery = z.object({ lang, done: z.string().max(40).optional(), n: z.coerce.number().int().min(0).optional() }).strict();
const RecordsQuerySchema = z
  .object({ lang, target: target.optional(), id: z.string().max(64).optional(), q: z.string().max(200).optional(), done: z.string().max(40).optional(), n: z.coerce.number().int().min(0).optional() })
  .strict();
const RescoreBody = z.object({ _csrf: z.string().max(200), crm: z.enum(['hubspot', 'salesforce']), objectType: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/), id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }).strict();
const BackfillBody = z.object({ _csrf: z.string().max(200), target }).strict();
const RetryBody = z
  .object({ _csrf: z.string().max(200), scope: z.enum(['selected', 'all']), ids: z.union([z.string().max(300), z.array(z.string().max(300)).max(500)]).optional() })
  .strict();

const html = (reply: FastifyReply, body: string) => reply.type('text/html; charset=utf-8').send(body);

/** `hubspot:companies` → its parts; the object type is undefined for `hubspot:`. */
function splitTarget(value: string): { crm: CrmName; objectType?: string } {
  const [crm, type] = value.split(':') as [CrmName, string];
  return type === '' ? { crm } : { crm, objectType: type };
}

export async function pageRoutes(app: FastifyInstance, options: PageRoutesOptions): Promise<void> {
  const { runtime, audit } = options;
  const targets = () => [...runtime.connectors.keys()].map((crm) => ({ crm, objectTypes: runtime.objectTypes(crm) }));
  const who = (request: Parameters<typeof sessionOf>[0]) => {
    const s = sessionOf(request);
    if (s === undefined) throw new ConsoleRefusal(401, 'sign in first');
    return { who: s.name, role: s.role };
  };
  /** A target this instance syncs, or a 400. */
  const checkTarget = (t: { crm: CrmName; objectType?: string }) => {
    const types = runtime.connectors.has(t.crm) ? runtime.objectTypes(t.crm) : [];
    if (types.length === 0 || (t.objectType !== undefined && !types.includes(t.objectType))) {
      throw new ConsoleRefusal(400, `${t.crm} ${t.objectType ?? ''} is not synced on this instance`.replace(/ +/g, ' '));
    }
  };

  app.get('/', { schema: { querystring: jsonSchemaOf(PlainQuery) } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const [status, failed, model, samples, people, committees, health] = await Promise.all([
      runtime.status(),
      runtime.failed.list({ limit: 500, offset: 0 }),
      activeModelFacts(runtime),
      sampleFacts(runtime),
      peopleFacts(runtime),
      committeeFacts(runtime),
      healthFacts(runtime),
    ]);
    const data = { status, failed, samples, people, committees, ...(model === undefined ? {} : { model }), ...(health === undefined ? {} : { health }) };
    return html(reply, page(ctx, ctx.t('overview.title'), renderOverview(ctx, data)));
  });

  app.get('/records', { schema: { querystring: jsonSchemaOf(RecordsQuerySchema) } }, async (request, reply) => {
    const q = RecordsQuerySchema.parse(request.query);
    const ctx = pageContext(request, reply);
    const query: RecordsQuery = q.target === undefined ? {} : splitTarget(q.target);
    let notice: Notice | undefined = q.done === 'rescore' ? { kind: 'ok', text: ctx.t('records.rescored', { count: q.n ?? 0 }) } : undefined;
    let explanation: Explanation | undefined;
    let matches: RecordsData['matches'];
    const text = q.q?.trim() ?? '';
    const searchCrm = query.crm ?? [...runtime.connectors.keys()][0];
    // A search text that is a record id of the CRM is an id.
    const id = q.id?.trim() ?? (text !== '' && searchCrm !== undefined && isRecordIdOf(searchCrm, text) ? text : undefined);
    if (text !== '' && id === undefined) {
      query.q = text;
      const found = await searchRecords(runtime, query, text, ctx);
      if (found.notice !== undefined) notice = found.notice;
      matches = found.matches;
    }
    if (id !== undefined && id !== '') {
      query.id = id;
      const crm = query.crm ?? [...runtime.connectors.keys()][0];
      if (crm === undefined) notice = { kind: 'error', text: ctx.t('overview.noCrm') };
      else if (!isRecordIdOf(crm, id)) notice = { kind: 'error', text: ctx.t('records.badId', { id, crm, shape: recordIdShape(crm) }) };
      else {
        checkTarget({ crm, ...(query.objectType === undefined ? {} : { objectType: query.objectType }) });
        try {
          explanation = await runtime.explain(crm, query.objectType, id);
        } catch (err) {
          if (!(err instanceof RecordNotFoundError)) throw err;
          notice = { kind: 'error', text: ctx.t('records.notFound', { crm, id }) };
        }
      }
    }
    const data: RecordsData = { targets: targets(), query, ...(explanation === undefined ? {} : { explanation }), ...(matches === undefined ? {} : { matches }) };
    return html(reply, page(ctx, ctx.t('records.title'), renderRecords(ctx, data), notice === undefined ? {} : { notice }));
  });

  app.post('/records/rescore', { preValidation: app.csrfProtection, schema: { body: jsonSchemaOf(RescoreBody) } }, async (request, reply) => {
    requireEditor(request);
    const body = RescoreBody.parse(request.body);
    checkTarget(body);
    if (!isRecordIdOf(body.crm, body.id)) throw new ConsoleRefusal(400, `${body.id} is not a ${body.crm} record id (${recordIdShape(body.crm)})`);
    const { queued } = await runtime.rescore(body.crm, body.objectType, [body.id]);
    await audit.record({ ...who(request), action: 'rescore', details: `${body.crm} ${body.objectType} ${body.id}` });
    const back = new URLSearchParams({ target: `${body.crm}:${body.objectType}`, id: body.id, done: 'rescore', n: String(queued) });
    return reply.redirect(`/console/records?${back.toString()}`, 303);
  });

  app.get('/operations', { schema: { querystring: jsonSchemaOf(PlainQuery) } }, async (request, reply) => {
    const q = PlainQuery.parse(request.query);
    const ctx = pageContext(request, reply);
    const [status, failed] = await Promise.all([runtime.status(), runtime.failed.list({ limit: 100, offset: 0 })]);
    const notice = operationsNotice(ctx, q);
    const body = renderOperations(ctx, { queues: status.queues, backfills: status.backfills, failed, targets: targets(), dashboard: options.env.ADMIN_TOKEN !== undefined });
    return html(reply, page(ctx, ctx.t('ops.title'), body, notice === undefined ? {} : { notice }));
  });

  app.post('/operations/backfill', { preValidation: app.csrfProtection, schema: { body: jsonSchemaOf(BackfillBody) } }, async (request, reply) => {
    requireEditor(request);
    const t = splitTarget(BackfillBody.parse(request.body).target);
    checkTarget(t);
    const { id } = await runtime.startBackfill(t.crm, t.objectType);
    await audit.record({ ...who(request), action: 'backfill', details: `${t.crm} ${t.objectType ?? 'all object types'} (run ${id})` });
    return reply.redirect('/console/operations?done=backfill', 303);
  });

  app.post('/operations/retry', { preValidation: app.csrfProtection, schema: { body: jsonSchemaOf(RetryBody) } }, async (request, reply) => {
    requireEditor(request);
    const body = RetryBody.parse(request.body);
    const ids = body.scope === 'all' ? 'all' : typeof body.ids === 'string' ? [body.ids] : (body.ids ?? []);
    if (ids !== 'all' && ids.length === 0) return reply.redirect('/console/operations?done=retry&n=0#failed', 303);
    const retried = await runtime.failed.retry(ids);
    const what = ids === 'all' ? 'every failed entry' : ids.slice(0, 10).join(', ') + (ids.length > 10 ? ` and ${ids.length - 10} more` : '');
    await audit.record({ ...who(request), action: 'retry', details: `${what}: ${retried} handed back` });
    return reply.redirect(`/console/operations?done=retry&n=${retried}`, 303);
  });

  app.get('/audit', { schema: { querystring: jsonSchemaOf(PlainQuery) } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    return html(reply, page(ctx, ctx.t('audit.title'), renderAudit(ctx, await audit.list(500))));
  });
}

async function activeModelFacts(runtime: ConsoleRuntime): Promise<OverviewData['model']> {
  const entry = runtime.activeModel().entry;
  if (entry === undefined) return undefined;
  const now = new Date();
  return { entry, ageDays: modelAgeDays(entry.publishedAt, now), rechallenge: rechallengeDate(entry.publishedAt), due: isRechallengeDue(entry.publishedAt, now) };
}

/** Tiers and completeness of each account type's sample under the model in use (the what-if of the model against itself). */
async function sampleFacts(runtime: ConsoleRuntime): Promise<OverviewData['samples']> {
  const active = await runtime.models.active();
  const out: Array<OverviewData['samples'][number]> = [];
  for (const crm of runtime.connectors.keys()) {
    for (const objectType of runtime.objectTypes(crm).filter((t) => !PEOPLE_TYPES.has(t))) {
      let status = await runtime.preview.samples.status(crm, objectType);
      if (status.state === 'empty') status = await runtime.preview.samples.refresh(crm, objectType);
      if (active === undefined || status.readAt === undefined) {
        out.push({ status });
        continue;
      }
      const p = await runtime.preview.preview({ crm, objectType, draft: active.yaml, top: 0 }).catch(() => undefined);
      out.push(p === undefined ? { status } : { status, tiers: p.whatIf.tiers.current, completeness: p.whatIf.averageCompleteness.current });
    }
  }
  return out;
}

function operationsNotice(ctx: PageContext, q: z.infer<typeof PlainQuery>): Notice | undefined {
  if (q.done === 'backfill') return { kind: 'ok', text: ctx.t('ops.backfill.started') };
  if (q.done === 'publish') return { kind: 'ok', text: ctx.t('model.published') };
  if (q.done === 'retry') return { kind: 'ok', text: ctx.t('ops.retried', { count: q.n ?? 0 }) };
  return undefined;
}
