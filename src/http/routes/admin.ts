/**
 * The admin API (PRODUCT.md §5), registered only when `ADMIN_TOKEN` is set, inside a scope whose
 * `onRequest` hook checks the bearer token. Each route hands its work to the pipeline runtime.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CrmName } from '../../connectors/port.ts';
import { isRecordIdOf, recordIdShape } from '../../pipeline/record-ids.ts';
import { adminAuthHook } from '../admin-auth.ts';
import { HttpError, errorBodySchema } from '../error-handler.ts';
import { jsonObjectSchema, jsonSchemaOf } from '../json-schema.ts';
import type { ConnectorInfo, HttpRuntime } from '../runtime-port.ts';

export interface AdminRoutesOptions {
  runtime: HttpRuntime;
  /** The value of `ADMIN_TOKEN` (at least 16 characters, checked by the env schema). */
  token: string;
}

const crm = z.enum(['hubspot', 'salesforce']);
const objectType = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be an object type such as companies, Account or Lead');
const recordId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a CRM record id');

const BackfillBody = z.object({ crm, objectType: objectType.optional() }).strict();
const BackfillQuery = z.object({ crm: crm.optional() }).strict();
const RescoreBody = z.object({ crm, objectType: objectType.optional(), ids: z.array(recordId).min(1).max(1000) }).strict();
const ExplainParams = z.object({ crm, id: recordId }).strict();
const ExplainQuery = z.object({ objectType: objectType.optional() }).strict();
const FailedQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0) })
  .strict();
const RetryBody = z.union([
  z.object({ ids: z.array(z.string().min(1).max(200)).min(1).max(1000) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);

const ModelQuery = z.object({ check: z.enum(['true', 'false', '1', '0']).optional() }).strict();

const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema } as const;

/** A 400 naming the ids that `crm` cannot have (HubSpot: digits; Salesforce: 15/18 letters and digits). */
function checkRecordIds(name: CrmName, ids: readonly string[]): void {
  const bad = ids.filter((id) => !isRecordIdOf(name, id));
  if (bad.length > 0) {
    throw new HttpError(400, 'invalid_record_id', `not ${name} record ids (${recordIdShape(name)}): ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ` and ${bad.length - 5} more` : ''}`);
  }
}

/** The connector and object type a request names, or a 400 saying what is not configured. */
function resolveTarget(runtime: HttpRuntime, name: CrmName, wanted: string | undefined): { connector: ConnectorInfo; objectType: string } {
  const connector = runtime.connector(name);
  if (!connector) throw new HttpError(400, 'crm_not_configured', `${name} is not configured on this instance`);
  const type = wanted ?? connector.objectTypes[0];
  if (type === undefined || !connector.objectTypes.includes(type)) {
    throw new HttpError(400, 'unknown_object_type', `${name} syncs ${connector.objectTypes.join(', ')}; not ${wanted ?? '(none)'}`);
  }
  return { connector, objectType: type };
}

export async function adminRoutes(app: FastifyInstance, options: AdminRoutesOptions): Promise<void> {
  const { runtime } = options;
  app.addHook('onRequest', adminAuthHook({ token: options.token }));

  app.get('/status', { schema: { response: { 200: jsonObjectSchema, ...errors } } }, async () => runtime.status());

  app.post(
    '/backfill',
    { schema: { body: jsonSchemaOf(BackfillBody), response: { 202: jsonObjectSchema, ...errors } } },
    async (request, reply) => {
      const body = BackfillBody.parse(request.body);
      // Without objectType every object type of the CRM is backfilled.
      const resolved = resolveTarget(runtime, body.crm, body.objectType);
      const target = body.objectType === undefined ? undefined : resolved.objectType;
      request.log.info({ crm: body.crm, objectType: target ?? 'all' }, 'backfill requested');
      return reply.code(202).send(await runtime.startBackfill(body.crm, target));
    },
  );

  app.get(
    '/backfill',
    { schema: { querystring: jsonSchemaOf(BackfillQuery), response: { 200: jsonObjectSchema, ...errors } } },
    async (request) => runtime.backfillStatus(BackfillQuery.parse(request.query).crm),
  );

  app.post(
    '/rescore',
    { schema: { body: jsonSchemaOf(RescoreBody), response: { 202: jsonObjectSchema, ...errors } } },
    async (request, reply) => {
      const body = RescoreBody.parse(request.body);
      const { objectType: type } = resolveTarget(runtime, body.crm, body.objectType);
      const ids = [...new Set(body.ids)];
      checkRecordIds(body.crm, ids);
      request.log.info({ crm: body.crm, objectType: type, count: ids.length }, 'rescore requested');
      return reply.code(202).send(await runtime.rescore(body.crm, type, ids));
    },
  );

  app.get(
    '/explain/:crm/:id',
    {
      schema: {
        params: jsonSchemaOf(ExplainParams),
        querystring: jsonSchemaOf(ExplainQuery),
        response: { 200: jsonObjectSchema, ...errors },
      },
    },
    async (request) => {
      const params = ExplainParams.parse(request.params);
      const wanted = ExplainQuery.parse(request.query).objectType;
      const { objectType: type } = resolveTarget(runtime, params.crm, wanted);
      checkRecordIds(params.crm, [params.id]);
      // Without objectType the runtime finds the record's type (Salesforce id prefix, else each synced type).
      return runtime.explain(params.crm, wanted === undefined ? undefined : type, params.id);
    },
  );

  // The model's health: age, re-challenge date, the last checks per CRM (AUC, win rate per tier, lift of
  // the top tier, n) and current warnings. `?check=true` first scores the deals closed since publication.
  app.get(
    '/model',
    { schema: { querystring: jsonSchemaOf(ModelQuery), response: { 200: jsonObjectSchema, ...errors, 503: errorBodySchema } } },
    async (request) => {
      const check = ['true', '1'].includes(ModelQuery.parse(request.query).check ?? 'false');
      if (runtime.modelHealth === undefined) throw new HttpError(503, 'model_health_unavailable', 'this instance does not monitor its model');
      if (check) request.log.info('model health check requested');
      return runtime.modelHealth({ check });
    },
  );

  app.get(
    '/failed',
    { schema: { querystring: jsonSchemaOf(FailedQuery), response: { 200: jsonObjectSchema, ...errors } } },
    async (request) => runtime.failed.list(FailedQuery.parse(request.query)),
  );

  app.post(
    '/failed/retry',
    { schema: { body: jsonSchemaOf(RetryBody), response: { 202: jsonObjectSchema, ...errors } } },
    async (request, reply) => {
      const body = RetryBody.parse(request.body);
      const ids = 'all' in body ? 'all' : body.ids;
      request.log.info({ count: ids === 'all' ? 'all' : ids.length }, 'failed jobs retry requested');
      return reply.code(202).send(await runtime.failed.retry(ids));
    },
  );
}
