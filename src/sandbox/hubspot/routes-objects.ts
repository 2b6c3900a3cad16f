/**
 * Company object routes, under both `/crm/v3/objects/companies` and `/crm/objects/{YYYY-MM}/companies`
 * (bodies per https://developers.hubspot.com/docs/api-reference/2026-03/crm/objects/companies).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorBody } from './error-bodies.ts';
import { validateValue } from './properties.ts';
import type { RouteConfig } from './guard.ts';
import { runSearch, searchBodySchema, SearchRequestError } from './search.ts';
import type { ChangeOrigin, SandboxCompany, SandboxStore } from './store.ts';

const DEFAULT_PROPS = ['name', 'domain', 'createdate', 'hs_lastmodifieddate', 'hs_object_id'];
const ALWAYS = ['createdate', 'hs_lastmodifieddate', 'hs_object_id'];
const BATCH_MAX = 100;
const NOT_FOUND_MESSAGE = 'Could not get some COMPANY objects, they may be deleted or not exist. Check that ids are valid.';

export const OBJECT_PREFIXES = ['/crm/v3/objects/:objectType', '/crm/objects/:version/:objectType'];

type Params = { objectType: string; version?: string; id?: string };

function projection(company: SandboxCompany, requested: readonly string[] | undefined) {
  const names = requested && requested.length > 0 ? [...new Set([...requested, ...ALWAYS])] : DEFAULT_PROPS;
  const properties: Record<string, string | null> = {};
  for (const n of names) properties[n] = company.properties[n] ?? (n === 'hs_object_id' ? company.id : null);
  return { id: company.id, properties, createdAt: company.createdAt, updatedAt: company.updatedAt, archived: false };
}

function propsFromQuery(q: unknown): string[] | undefined {
  if (q === undefined) return undefined;
  const list = Array.isArray(q) ? q.map(String) : [String(q)];
  return list.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

function origin(request: FastifyRequest): ChangeOrigin {
  return { changeSource: 'INTEGRATION', sourceId: String(request.sandboxToken?.appId ?? '') };
}

async function badRequest(reply: FastifyReply, message: string, extra: Record<string, unknown> = {}) {
  return reply.code(400).send(errorBody('VALIDATION_ERROR', message, extra));
}

const batchReadSchema = z.object({
  properties: z.array(z.string()).default([]),
  propertiesWithHistory: z.array(z.string()).optional(),
  idProperty: z.string().optional(),
  inputs: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String) })),
});

const batchUpdateSchema = z.object({
  inputs: z.array(
    z.object({
      id: z.union([z.string(), z.number()]).transform(String),
      properties: z.record(z.string(), z.unknown()),
      idProperty: z.string().optional(),
      objectWriteTraceId: z.string().optional(),
    }),
  ),
});

function batchEnvelope(results: unknown[], errors: unknown[]) {
  const now = new Date().toISOString();
  return {
    status: 'COMPLETE',
    results,
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
    requestedAt: now,
    startedAt: now,
    completedAt: now,
  };
}

export function registerObjectRoutes(app: FastifyInstance, store: SandboxStore): void {
  const read = 'crm.objects.companies.read';
  const write = 'crm.objects.companies.write';
  const route = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    suffix: string,
    config: RouteConfig,
    handler: (req: FastifyRequest<{ Params: Params; Querystring: Record<string, unknown> }>, reply: FastifyReply) => Promise<unknown>,
  ) => {
    for (const prefix of OBJECT_PREFIXES) {
      app.route({
        method,
        url: `${prefix}${suffix}`,
        config,
        handler: async (req: FastifyRequest<{ Params: Params; Querystring: Record<string, unknown> }>, reply) => {
          if (req.params.objectType !== 'companies' && req.params.objectType !== '0-2') {
            return reply.code(400).send(errorBody('VALIDATION_ERROR', `Unable to infer object type from: ${req.params.objectType}`));
          }
          return handler(req, reply);
        },
      });
    }
  };

  route('GET', '', { name: 'companies.list', scope: read }, async (req, reply) => {
    const limit = Math.min(Number(req.query.limit ?? 10) || 10, 100);
    const after = req.query.after === undefined ? 0 : Number(req.query.after);
    const all = store.list();
    const start = all.findIndex((c) => Number(c.id) > after);
    const page = start < 0 ? [] : all.slice(start, start + limit);
    const props = propsFromQuery(req.query.properties);
    const last = page.at(-1);
    const more = start >= 0 && start + limit < all.length && last !== undefined;
    return reply.send({
      results: page.map((c) => projection(c, props)),
      ...(more ? { paging: { next: { after: last.id, link: `?after=${last.id}` } } } : {}),
    });
  });

  route('GET', '/:id', { name: 'companies.get', scope: read }, async (req, reply) => {
    const c = store.get(String(req.params.id));
    if (!c) return reply.code(404).send(errorBody('OBJECT_NOT_FOUND', 'resource not found'));
    return reply.send(projection(c, propsFromQuery(req.query.properties)));
  });

  route('POST', '', { name: 'companies.create', scope: write }, async (req, reply) => {
    const body = z.object({ properties: z.record(z.string(), z.string().nullable()) }).safeParse(req.body);
    if (!body.success) return badRequest(reply, 'Invalid input JSON on line 1');
    const c = store.create({}, origin(req), false);
    const res = store.update(c.id, body.data.properties, origin(req));
    if ('errors' in res) {
      store.companies.delete(c.id);
      return badRequest(reply, `Property values were not valid: ${JSON.stringify(res.errors)}`);
    }
    store.events.emit('change', { kind: 'creation', objectId: c.id, occurredAt: Date.now(), ...origin(req) });
    return reply.code(201).send(projection(c, Object.keys(body.data.properties)));
  });

  route('PATCH', '/:id', { name: 'companies.update', scope: write }, async (req, reply) => {
    const body = z.object({ properties: z.record(z.string(), z.unknown()) }).safeParse(req.body);
    if (!body.success) return badRequest(reply, 'Invalid input JSON on line 1');
    const res = store.update(String(req.params.id), body.data.properties, origin(req));
    if ('notFound' in res) return reply.code(404).send(errorBody('OBJECT_NOT_FOUND', 'resource not found'));
    if ('errors' in res) return badRequest(reply, `Property values were not valid: ${JSON.stringify(res.errors)}`);
    return reply.send(projection(res.company, Object.keys(body.data.properties)));
  });

  route('DELETE', '/:id', { name: 'companies.archive', scope: write }, async (req, reply) => {
    store.archive(String(req.params.id), origin(req));
    return reply.code(204).send();
  });

  route('POST', '/batch/read', { name: 'companies.batchRead', scope: read }, async (req, reply) => {
    const body = batchReadSchema.safeParse(req.body);
    if (!body.success) return badRequest(reply, 'Invalid input JSON on line 1');
    if (body.data.inputs.length > BATCH_MAX) return badRequest(reply, `Batch input has more than ${BATCH_MAX} inputs.`);
    const found: SandboxCompany[] = [];
    const missing: string[] = [];
    for (const { id } of body.data.inputs) {
      const c = store.get(id);
      if (c) found.push(c);
      else missing.push(id);
    }
    const errors = missing.length > 0 ? [errorBody('OBJECT_NOT_FOUND', NOT_FOUND_MESSAGE, { context: { ids: missing } })] : [];
    const status = errors.length > 0 ? 207 : 200;
    return reply.code(status).send(batchEnvelope(found.map((c) => projection(c, body.data.properties)), errors));
  });

  route('POST', '/batch/update', { name: 'companies.batchUpdate', scope: write }, async (req, reply) => {
    const body = batchUpdateSchema.safeParse(req.body);
    if (!body.success) return badRequest(reply, 'Invalid input JSON on line 1');
    const inputs = body.data.inputs;
    if (inputs.length > BATCH_MAX) return badRequest(reply, `Batch input has more than ${BATCH_MAX} inputs.`);
    const ids = inputs.map((i) => i.id);
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (dupes.length > 0) return badRequest(reply, `Duplicate IDs found in batch input: [${[...new Set(dupes)].join(', ')}]. IDs must be unique`);
    const traced = inputs.every((i) => i.objectWriteTraceId !== undefined);
    // Without objectWriteTraceId HubSpot validates the whole batch and refuses it on one bad value.
    if (!traced) {
      for (const input of inputs) {
        const c = store.get(input.id);
        if (!c) continue;
        for (const [name, raw] of Object.entries(input.properties)) {
          const res = validateValue(store.properties.get(name), name, raw, c.properties[name] ?? null);
          if ('error' in res) return badRequest(reply, `Property values were not valid: ${JSON.stringify([res.error])}`);
        }
      }
    }
    const results: unknown[] = [];
    const errors: unknown[] = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const res = store.update(input.id, input.properties, origin(req));
      if ('notFound' in res) {
        if (traced) {
          errors.push(errorBody('OBJECT_NOT_FOUND', NOT_FOUND_MESSAGE, { context: { ids: [input.id], objectWriteTraceId: [input.objectWriteTraceId] } }));
        } else missing.push(input.id);
      } else if ('errors' in res) {
        errors.push(
          errorBody('VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(res.errors)}`, {
            context: { objectWriteTraceId: [input.objectWriteTraceId ?? randomUUID()] },
            errors: res.errors.map((e) => ({ message: e.message, code: e.error, context: { propertyName: [e.name] } })),
          }),
        );
      } else results.push(projection(res.company, Object.keys(input.properties)));
    }
    if (missing.length > 0) errors.push(errorBody('OBJECT_NOT_FOUND', NOT_FOUND_MESSAGE, { context: { ids: missing } }));
    return reply.code(errors.length > 0 ? 207 : 200).send(batchEnvelope(results, errors));
  });

  route('POST', '/search', { name: 'companies.search', scope: read, search: true }, async (req, reply) => {
    const body = searchBodySchema.safeParse(req.body ?? {});
    if (!body.success) return badRequest(reply, `Invalid search request: ${body.error.issues[0]?.message ?? 'bad body'}`);
    if (JSON.stringify(req.body).length > 3_000) return badRequest(reply, 'Search request body is longer than 3000 characters.');
    const visibleBefore = Date.now() - store.searchLagMs;
    const indexed = store.searchLagMs > 0 ? store.list().filter((c) => Date.parse(c.updatedAt) <= visibleBefore) : store.list();
    try {
      const res = runSearch(body.data, indexed, store.properties);
      const props = body.data.properties && body.data.properties.length > 0 ? body.data.properties : undefined;
      return reply.send({
        total: res.total,
        results: res.results.map((c) => projection(c, props)),
        ...(res.nextAfter !== undefined ? { paging: { next: { after: res.nextAfter, link: '' } } } : {}),
      });
    } catch (err) {
      if (err instanceof SearchRequestError) return badRequest(reply, err.message);
      throw err;
    }
  });

  route('POST', '/merge', { name: 'companies.merge', scope: write }, async (req, reply) => {
    const body = z.object({ primaryObjectId: z.string(), objectIdToMerge: z.string() }).safeParse(req.body);
    if (!body.success) return badRequest(reply, 'Invalid input JSON on line 1');
    if (!store.merge(body.data.primaryObjectId, body.data.objectIdToMerge, origin(req))) {
      return reply.code(404).send(errorBody('OBJECT_NOT_FOUND', 'resource not found'));
    }
    return reply.send(projection(store.get(body.data.primaryObjectId) as SandboxCompany, undefined));
  });
}
