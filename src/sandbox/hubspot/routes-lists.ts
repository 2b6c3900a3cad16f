/**
 * Lists API routes under `/crm/v3/lists` and `/crm/lists/{YYYY-MM}`: create, get by id, get by name,
 * search, rename, update filters, delete (https://developers.hubspot.com/docs/api-reference/crm-lists-v3/guide).
 * A create with a name already in use answers 409 `CONFLICT` (a sandbox choice: HubSpot's exact answer is
 * not documented).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorBody } from './error-bodies.ts';
import type { RouteConfig } from './guard.ts';
import { filterBranchSchema, LIST_OBJECT_TYPES, listCreateSchema, listView, type ListObjectTypeId, type SandboxFilterBranch, type SandboxList } from './lists.ts';
import type { SandboxStore } from './store.ts';

const PREFIXES = ['/crm/v3/lists', '/crm/lists/:version'];

type Req = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, string | undefined> }>;

const searchSchema = z.object({
  query: z.string().optional(),
  processingTypes: z.array(z.string()).optional(),
  listIds: z.array(z.string()).optional(),
  offset: z.number().int().min(0).default(0),
  count: z.number().int().min(1).max(500).default(20),
});

function bad(reply: FastifyReply, message: string) {
  return reply.code(400).send(errorBody('VALIDATION_ERROR', message));
}

function notFound(reply: FastifyReply, what: string) {
  return reply.code(404).send(errorBody('OBJECT_NOT_FOUND', `List ${what} does not exist.`));
}

const isListType = (id: string): id is ListObjectTypeId => id in LIST_OBJECT_TYPES;

export function registerListRoutes(app: FastifyInstance, store: SandboxStore): void {
  const lists = store.lists;
  const route = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', suffix: string, name: string, access: 'read' | 'write', handler: (req: Req, reply: FastifyReply) => Promise<unknown>) => {
    const config: RouteConfig = { name, scope: `crm.lists.${access}` };
    for (const prefix of PREFIXES) app.route({ method, url: `${prefix}${suffix}`, config, handler });
  };

  /** Checks a filter branch against the object type's properties; a message when it is refused. */
  const checkFilters = (objectTypeId: ListObjectTypeId, raw: unknown): { branch: SandboxFilterBranch } | { error: string } => {
    const parsed = filterBranchSchema.safeParse(raw);
    if (!parsed.success) return { error: `Invalid filter branch: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
    const props = store.propertiesOf(LIST_OBJECT_TYPES[objectTypeId]);
    for (const branch of parsed.data.filterBranches) {
      for (const f of branch.filters) {
        const prop = props.get(f.property);
        if (!prop) return { error: `Property ${f.property} does not exist on object type ${objectTypeId}` };
        const want = f.operation.operationType === 'NUMBER' ? 'number' : 'enumeration';
        if (prop.type !== want) return { error: `Property ${f.property} is of type ${prop.type}: operation ${f.operation.operationType} does not apply` };
      }
    }
    return { branch: parsed.data };
  };

  const find = (req: Req): SandboxList | undefined => lists.byId.get(String(req.params['listId']));

  route('POST', '', 'lists.create', 'write', async (req, reply) => {
    const body = listCreateSchema.safeParse(req.body);
    if (!body.success) return bad(reply, `Invalid list: ${body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const { name, objectTypeId, processingType, filterBranch } = body.data;
    if (!isListType(objectTypeId)) return bad(reply, `Unsupported objectTypeId ${objectTypeId}`);
    if (lists.byName(name)) return reply.code(409).send(errorBody('CONFLICT', `A list named '${name}' already exists.`));
    let branch: SandboxFilterBranch | undefined;
    if (processingType !== 'MANUAL') {
      if (filterBranch === undefined) return bad(reply, `A ${processingType} list needs a filterBranch`);
      const checked = checkFilters(objectTypeId, filterBranch);
      if ('error' in checked) return bad(reply, checked.error);
      branch = checked.branch;
    }
    const list = lists.create({ name, objectTypeId, processingType, ...(branch ? { filterBranch: branch } : {}) });
    return reply.send({ list: listView(list, true) });
  });

  route('POST', '/search', 'lists.search', 'read', async (req, reply) => {
    const body = searchSchema.safeParse(req.body ?? {});
    if (!body.success) return bad(reply, 'Invalid list search');
    const q = body.data.query?.toLowerCase() ?? '';
    const found = [...lists.byId.values()].filter(
      (l) =>
        l.name.toLowerCase().includes(q) &&
        (body.data.processingTypes === undefined || body.data.processingTypes.includes(l.processingType)) &&
        (body.data.listIds === undefined || body.data.listIds.includes(l.listId)),
    );
    const page = found.slice(body.data.offset, body.data.offset + body.data.count);
    return reply.send({
      lists: page.map((l) => ({ ...listView(l, false), additionalProperties: { hs_list_size: '0' } })),
      total: found.length,
      offset: body.data.offset + page.length,
      hasMore: body.data.offset + page.length < found.length,
    });
  });

  route('GET', '/object-type-id/:objectTypeId/name/:listName', 'lists.getByName', 'read', async (req, reply) => {
    const list = lists.byName(String(req.params['listName']), String(req.params['objectTypeId']));
    return list ? reply.send({ list: listView(list, req.query['includeFilters'] === 'true') }) : notFound(reply, `named '${req.params['listName']}'`);
  });

  route('GET', '/:listId', 'lists.get', 'read', async (req, reply) => {
    const list = find(req);
    return list ? reply.send({ list: listView(list, req.query['includeFilters'] === 'true') }) : notFound(reply, String(req.params['listId']));
  });

  route('PUT', '/:listId/update-list-name', 'lists.updateName', 'write', async (req, reply) => {
    const list = find(req);
    if (!list) return notFound(reply, String(req.params['listId']));
    const name = req.query['listName']?.trim();
    if (!name) return bad(reply, 'listName is required');
    const other = lists.byName(name);
    if (other && other.listId !== list.listId) return reply.code(409).send(errorBody('CONFLICT', `A list named '${name}' already exists.`));
    return reply.send({ updatedList: listView(lists.update(list, { name }), req.query['includeFilters'] === 'true') });
  });

  route('PUT', '/:listId/update-list-filters', 'lists.updateFilters', 'write', async (req, reply) => {
    const list = find(req);
    if (!list) return notFound(reply, String(req.params['listId']));
    if (list.processingType === 'MANUAL') return bad(reply, 'A MANUAL list has no filters');
    const body = z.object({ filterBranch: z.unknown() }).safeParse(req.body);
    if (!body.success) return bad(reply, 'filterBranch is required');
    const checked = checkFilters(list.objectTypeId, body.data.filterBranch);
    if ('error' in checked) return bad(reply, checked.error);
    return reply.send({ updatedList: listView(lists.update(list, { filterBranch: checked.branch }), true) });
  });

  route('DELETE', '/:listId', 'lists.delete', 'write', async (req, reply) => {
    if (!lists.byId.delete(String(req.params['listId']))) return notFound(reply, String(req.params['listId']));
    return reply.code(204).send();
  });
}
