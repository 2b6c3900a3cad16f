/**
 * Company and contact object routes, under both `/crm/v3/objects/{companies|contacts}` and
 * `/crm/objects/{YYYY-MM}/{companies|contacts}`, also reachable by type id (`0-2`, `0-1`)
 * (bodies per https://developers.hubspot.com/docs/api-reference/2026-03/crm/objects/companies).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorBody } from './error-bodies.ts';
import { validateValue } from './properties.ts';
import type { RouteConfig } from './guard.ts';
import { runSearch, searchBodySchema, SearchRequestError } from './search.ts';
import { modifiedPropertyOf, type ChangeOrigin, type SandboxCompany, type SandboxObjectType, type SandboxStore } from './store.ts';

/** Default properties of each type, as the search guide lists them. */
const DEFAULT_PROPS: Record<SandboxObjectType, string[]> = {
  companies: ['name', 'domain', 'createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  contacts: ['firstname', 'lastname', 'email', 'createdate', 'lastmodifieddate', 'hs_object_id'],
};
const BATCH_MAX = 100;
const NOT_FOUND_MESSAGES: Record<SandboxObjectType, string> = {
  companies: 'Could not get some COMPANY objects, they may be deleted or not exist. Check that ids are valid.',
  contacts: 'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.',
};

/** Object types the sandbox serves, by name and by type id. */
const OBJECT_ALIASES: ReadonlyArray<readonly [SandboxObjectType, string]> = [
  ['companies', 'companies'],
  ['companies', '0-2'],
  ['contacts', 'contacts'],
  ['contacts', '0-1'],
];

export const OBJECT_PREFIXES = ['/crm/v3/objects/:objectType', '/crm/objects/:version/:objectType'];

type Params = { objectType: string; version?: string; id?: string };

function projection(company: SandboxCompany, requested: readonly string[] | undefined, type: SandboxObjectType = 'companies') {
  const always = ['createdate', modifiedPropertyOf(type), 'hs_object_id'];
  const names = requested && requested.length > 0 ? [...new Set([...requested, ...always])] : DEFAULT_PROPS[type];
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
  type Req = FastifyRequest<{ Params: Params; Querystring: Record<string, unknown> }>;
  /**
   * Registers one route per object type (stats and faults name them `companies.batchUpdate`,
   * `contacts.batchRead`…), and a parametric one that refuses other object types as HubSpot does.
   */
  const route = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    suffix: string,
    config: { name: string; access: 'read' | 'write'; search?: boolean },
    handler: (req: Req, reply: FastifyReply, type: SandboxObjectType) => Promise<unknown>,
  ) => {
    for (const [type, alias] of OBJECT_ALIASES) {
      const routeConfig: RouteConfig = {
        name: `${type}.${config.name}`,
        scope: `crm.objects.${type}.${config.access}`,
        ...(config.search ? { search: true } : {}),
      };
      for (const prefix of [`/crm/v3/objects/${alias}`, `/crm/objects/:version/${alias}`]) {
        app.route({ method, url: `${prefix}${suffix}`, config: routeConfig, handler: async (req: Req, reply) => handler(req, reply, type) });
      }
    }
    for (const prefix of OBJECT_PREFIXES) {
      app.route({
        method,
        url: `${prefix}${suffix}`,
        handler: async (req: Req, reply) => reply.code(400).send(errorBody('VALIDATION_ERROR', `Unable to infer object type from: ${req.params.objectType}`)),
      });
    }
  };

  route('GET', '', { name: 'list', access: 'read' }, async (req, reply, type) => {
    const limit = Math.min(Number(req.query.limit ?? 10) || 10, 100);
    const after = req.query.after === undefined ? 0 : Number(req.query.after);
    const all = store.listOf(type);
    const start = all.findIndex((c) => Number(c.id) > after);
    const page = start < 0 ? [] : all.slice(start, start + limit);
    const props = propsFromQuery(req.query.properties);
    const last = page.at(-1);
    const more = start >= 0 && start + limit < all.length && last !== undefined;
    return reply.send({
      results: page.map((c) => projection(c, props, type)),
      ...(more ? { paging: { next: { after: last.id, link: `?after=${last.id}` } } } : {}),
    });
  });

  route('GET', '/:id', { name: 'get', access: 'read' }, async (req, reply, type) => {
    const c = store.getOf(type, String(req.params.id));
    if (!c) return reply.code(404).send(errorBody('OBJECT_NOT_FOUND', 'resource not found'));
    return reply.send(projection(c, propsFromQuery(req.query.properties), type));
  });

  route('POST', '', { name: 'create', access: 'write' }, async (req, reply, type) => {
    const body = z.object({ properties: z.record(z.string(), z.string().nullable()) }).safeParse(req.body);
    if (!body.success) return badRequest(reply, 'Invalid input JSON on line 1');
    const c = store.createOf(type, {}, origin(req), false);
    const res = store.updateOf(type, c.id, body.data.properties, origin(req));
    if ('errors' in res) {
      store.recordsOf(type).delete(c.id);
      return badRequest(reply, `Property values were not valid: ${JSON.stringify(res.errors)}`);
    }
    store.events.emit('change', { kind: 'creation', objectType: type, objectId: c.id, occurredAt: Date.now(), ...origin(req) });
    return reply.code(201).send(projection(c, Object.keys(body.data.properties), type));
  });

  route('PATCH', '/:id', { name: 'update', access: 'write' }, async (req, reply, type) => {
    const body = z.object({ properties: z.record(z.string(), z.unknown()) }).safeParse(req.body);
    if (!body.success) return badRequest(reply, 'Invalid input JSON on line 1');
    const res = store.updateOf(type, String(req.params.id), body.data.properties, origin(req));
    if ('notFound' in res) return reply.code(404).send(errorBody('OBJECT_NOT_FOUND', 'resource not found'));
    if ('errors' in res) return badRequest(reply, `Property values were not valid: ${JSON.stringify(res.errors)}`);
    return reply.send(projection(res.company, Object.keys(body.data.properties), type));
  });

  route('DELETE', '/:id', { name: 'archive', access: 'write' }, async (req, reply, type) => {
    store.archiveOf(type, String(req.params.id), origin(req));
    return reply.code(204).send();
  });

  route('POST', '/batch/read', { name: 'batchRead', access: 'read' }, async (req, reply, type) => {
    const body = batchReadSchema.safeParse(req.body);
    if (!body.success) return badRequest(reply, 'Invalid input JSON on line 1');
    if (body.data.inputs.length > BATCH_MAX) return badRequest(reply, `Batch input has more than ${BATCH_MAX} inputs.`);
    const found: SandboxCompany[] = [];
    const missing: string[] = [];
    for (const { id } of body.data.inputs) {
      const c = store.getOf(type, id);
      if (c) found.push(c);
      else missing.push(id);
    }
    const errors = missing.length > 0 ? [errorBody('OBJECT_NOT_FOUND', NOT_FOUND_MESSAGES[type], { context: { ids: missing } })] : [];
    const status = errors.length > 0 ? 207 : 200;
    return reply.code(status).send(batchEnvelope(found.map((c) => projection(c, body.data.properties, type)), errors));
  });

  route('POST', '/batch/update', { name: 'batchUpdate', access: 'write' }, async (req, reply, type) => {
    const NOT_FOUND_MESSAGE = NOT_FOUND_MESSAGES[type];
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
        const c = store.getOf(type, input.id);
        if (!c) continue;
        for (const [name, raw] of Object.entries(input.properties)) {
          const res = validateValue(store.propertiesOf(type).get(name), name, raw, c.properties[name] ?? null);
          if ('error' in res) return badRequest(reply, `Property values were not valid: ${JSON.stringify([res.error])}`);
        }
      }
    }
    const results: unknown[] = [];
    const errors: unknown[] = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const res = store.updateOf(type, input.id, input.properties, origin(req));
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
      } else results.push(projection(res.company, Object.keys(input.properties), type));
    }
    if (missing.length > 0) errors.push(errorBody('OBJECT_NOT_FOUND', NOT_FOUND_MESSAGE, { context: { ids: missing } }));
    return reply.code(errors.length > 0 ? 207 : 200).send(batchEnvelope(results, errors));
  });

  route('POST', '/search', { name: 'search', access: 'read', search: true }, async (req, reply, type) => {
    const body = searchBodySchema.safeParse(req.body ?? {});
    if (!body.success) return badRequest(reply, `Invalid search request: ${body.error.issues[0]?.message ?? 'bad body'}`);
    if (JSON.stringify(req.body).length > 3_000) return badRequest(reply, 'Search request body is longer than 3000 characters.');
    const visibleBefore = Date.now() - store.searchLagMs;
    const live = store.listOf(type);
    const indexed = store.searchLagMs > 0 ? live.filter((c) => Date.parse(c.updatedAt) <= visibleBefore) : live;
    try {
      const res = runSearch(body.data, indexed, store.propertiesOf(type), type === 'contacts' ? ['firstname', 'lastname', 'email'] : undefined);
      const props = body.data.properties && body.data.properties.length > 0 ? body.data.properties : undefined;
      return reply.send({
        total: res.total,
        results: res.results.map((c) => projection(c, props, type)),
        ...(res.nextAfter !== undefined ? { paging: { next: { after: res.nextAfter, link: '' } } } : {}),
      });
    } catch (err) {
      if (err instanceof SearchRequestError) return badRequest(reply, err.message);
      throw err;
    }
  });

  route('POST', '/merge', { name: 'merge', access: 'write' }, async (req, reply, type) => {
    const body = z.object({ primaryObjectId: z.string(), objectIdToMerge: z.string() }).safeParse(req.body);
    if (!body.success) return badRequest(reply, 'Invalid input JSON on line 1');
    if (!store.mergeOf(type, body.data.primaryObjectId, body.data.objectIdToMerge, origin(req))) {
      return reply.code(404).send(errorBody('OBJECT_NOT_FOUND', 'resource not found'));
    }
    return reply.send(projection(store.getOf(type, body.data.primaryObjectId) as SandboxCompany, undefined, type));
  });
}
