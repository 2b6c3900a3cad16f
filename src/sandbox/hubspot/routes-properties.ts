/**
 * Property and property-group routes under `/crm/v3/properties/{companies|contacts}` and
 * `/crm/properties/{YYYY-MM}/{companies|contacts}` (groups are per object type), plus token introspection
 * (https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorBody } from './error-bodies.ts';
import type { RouteConfig } from './guard.ts';
import type { SandboxProperty } from './properties.ts';
import type { SandboxObjectType, SandboxStore } from './store.ts';

const PROPERTY_ALIASES: ReadonlyArray<readonly [SandboxObjectType, string]> = [
  ['companies', 'companies'],
  ['companies', '0-2'],
  ['contacts', 'contacts'],
  ['contacts', '0-1'],
];

const PROPERTY_PREFIXES = ['/crm/v3/properties/:objectType', '/crm/properties/:version/:objectType'];

/** Valid `type` → `fieldType` pairs from HubSpot's properties guide. */
const FIELD_TYPES: Record<string, readonly string[]> = {
  bool: ['booleancheckbox', 'calculation_equation'],
  enumeration: ['booleancheckbox', 'checkbox', 'radio', 'select', 'calculation_equation'],
  date: ['date'],
  datetime: ['date'],
  string: ['file', 'text', 'textarea', 'calculation_equation', 'html', 'phonenumber'],
  number: ['number', 'calculation_equation'],
};

const optionSchema = z.object({
  label: z.string().min(1),
  value: z.string().min(1),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().default(false),
  description: z.string().optional(),
});

const createSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  label: z.string().min(1),
  type: z.string(),
  fieldType: z.string(),
  groupName: z.string().min(1),
  description: z.string().default(''),
  options: z.array(optionSchema).default([]),
  displayOrder: z.number().int().default(-1),
  hidden: z.boolean().default(false),
  formField: z.boolean().default(false),
  hasUniqueValue: z.boolean().default(false),
});

const updateSchema = createSchema.omit({ name: true, hasUniqueValue: true }).partial();

const groupSchema = z.object({ name: z.string().regex(/^[a-z][a-z0-9_]*$/), label: z.string().min(1), displayOrder: z.number().int().default(-1) });

type Req = FastifyRequest<{ Params: { objectType: string; name?: string } }>;

function bad(reply: FastifyReply, message: string) {
  return reply.code(400).send(errorBody('VALIDATION_ERROR', message));
}

function checkOptions(type: string, fieldType: string, options: z.infer<typeof optionSchema>[]): string | undefined {
  if (!(FIELD_TYPES[type] ?? []).includes(fieldType)) return `fieldType ${fieldType} is not valid for type ${type}`;
  const values = options.map((o) => o.value);
  if (new Set(values).size !== values.length) return 'Enumeration options must have unique values';
  if (type === 'enumeration' && fieldType !== 'booleancheckbox' && options.length === 0) return 'Enumeration properties need options';
  return undefined;
}

export function registerPropertyRoutes(app: FastifyInstance, store: SandboxStore): void {
  /** One route per object type: company routes keep their names (`properties.list`), contact ones are `contacts.properties.list`. */
  const route = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    suffix: string,
    config: { name: string; access: 'read' | 'write' },
    handler: (req: Req, reply: FastifyReply, type: SandboxObjectType) => Promise<unknown>,
  ) => {
    for (const [type, alias] of PROPERTY_ALIASES) {
      const routeConfig: RouteConfig = { name: type === 'companies' ? config.name : `${type}.${config.name}`, scope: `crm.schemas.${type}.${config.access}` };
      for (const prefix of [`/crm/v3/properties/${alias}`, `/crm/properties/:version/${alias}`]) {
        app.route({ method, url: `${prefix}${suffix}`, config: routeConfig, handler: async (req: Req, reply) => handler(req, reply, type) });
      }
    }
    for (const prefix of PROPERTY_PREFIXES) {
      app.route({ method, url: `${prefix}${suffix}`, handler: async (req: Req, reply) => bad(reply, `Unable to infer object type from: ${req.params.objectType}`) });
    }
  };

  route('GET', '', { name: 'properties.list', access: 'read' }, async (_req, reply, type) => reply.send({ results: [...store.propertiesOf(type).values()] }));

  route('GET', '/:name', { name: 'properties.get', access: 'read' }, async (req, reply, type) => {
    const p = store.propertiesOf(type).get(String(req.params.name));
    return p ? reply.send(p) : reply.code(404).send(errorBody('OBJECT_NOT_FOUND', `Unable to find property ${req.params.name}`));
  });

  route('POST', '', { name: 'properties.create', access: 'write' }, async (req, reply, type) => {
    const properties = store.propertiesOf(type);
    const groups = store.groupsOf(type);
    const body = createSchema.safeParse(req.body);
    if (!body.success) return bad(reply, `Invalid property: ${body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const d = body.data;
    if (properties.has(d.name)) {
      return reply.code(409).send(errorBody('OBJECT_ALREADY_EXISTS', `A property named '${d.name}' already exists.`));
    }
    if (!groups.has(d.groupName)) return bad(reply, `Property group ${d.groupName} does not exist.`);
    const problem = checkOptions(d.type, d.fieldType, d.options);
    if (problem) return bad(reply, problem);
    const now = new Date().toISOString();
    const prop: SandboxProperty = {
      ...d,
      options: d.options.map((o, i) => ({ ...o, displayOrder: o.displayOrder ?? i })),
      calculated: false,
      externalOptions: false,
      createdAt: now,
      updatedAt: now,
      modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
    };
    properties.set(d.name, prop);
    return reply.code(201).send(prop);
  });

  route('PATCH', '/:name', { name: 'properties.update', access: 'write' }, async (req, reply, type) => {
    const properties = store.propertiesOf(type);
    const prop = properties.get(String(req.params.name));
    if (!prop) return reply.code(404).send(errorBody('OBJECT_NOT_FOUND', `Unable to find property ${req.params.name}`));
    if (prop.modificationMetadata.readOnlyDefinition) return bad(reply, `Property ${prop.name} is read-only and cannot be updated.`);
    const body = updateSchema.safeParse(req.body);
    if (!body.success) return bad(reply, `Invalid property update: ${body.error.issues[0]?.message ?? ''}`);
    const next = { ...prop, ...body.data, updatedAt: new Date().toISOString() } as SandboxProperty;
    if (body.data.options) next.options = body.data.options.map((o, i) => ({ ...o, displayOrder: o.displayOrder ?? i }));
    const problem = checkOptions(next.type, next.fieldType, next.options);
    if (problem) return bad(reply, problem);
    properties.set(prop.name, next);
    return reply.send(next);
  });

  route('DELETE', '/:name', { name: 'properties.archive', access: 'write' }, async (req, reply, type) => {
    store.propertiesOf(type).delete(String(req.params.name));
    return reply.code(204).send();
  });

  route('GET', '/groups', { name: 'groups.list', access: 'read' }, async (_req, reply, type) => reply.send({ results: [...store.groupsOf(type).values()] }));

  route('GET', '/groups/:name', { name: 'groups.get', access: 'read' }, async (req, reply, type) => {
    const g = store.groupsOf(type).get(String(req.params.name));
    return g ? reply.send(g) : reply.code(404).send(errorBody('OBJECT_NOT_FOUND', `Unable to find group ${req.params.name}`));
  });

  route('POST', '/groups', { name: 'groups.create', access: 'write' }, async (req, reply, type) => {
    const groups = store.groupsOf(type);
    const body = groupSchema.safeParse(req.body);
    if (!body.success) return bad(reply, 'Invalid property group');
    if (groups.has(body.data.name)) {
      return reply.code(409).send(errorBody('OBJECT_ALREADY_EXISTS', `A property group named '${body.data.name}' already exists.`));
    }
    const g = { ...body.data, archived: false };
    groups.set(g.name, g);
    return reply.code(201).send(g);
  });

  route('DELETE', '/groups/:name', { name: 'groups.archive', access: 'write' }, async (req, reply, type) => {
    if (!store.groupsOf(type).delete(String(req.params.name))) {
      return reply.code(404).send(errorBody('OBJECT_NOT_FOUND', `Unable to find group ${req.params.name}`));
    }
    return reply.code(204).send();
  });

  // Token introspection: private-app tokens and OAuth tokens each have their own endpoint.
  app.post('/oauth/v2/private-apps/get/access-token-info', { config: { name: 'oauth.tokenInfo', public: true } }, async (req, reply) => {
    const body = z.object({ tokenKey: z.string() }).safeParse(req.body);
    const info = body.success ? store.tokens.get(body.data.tokenKey) : undefined;
    if (!info) return reply.code(404).send(errorBody('OBJECT_NOT_FOUND', 'Token not found'));
    return reply.send({ userId: 1, hubId: info.hubId, appId: info.appId, scopes: info.scopes });
  });
  app.get('/oauth/v1/access-tokens/:token', { config: { name: 'oauth.accessToken', public: true } }, async (req, reply) => {
    const token = (req.params as { token: string }).token;
    const info = store.tokens.get(token);
    if (!info) return reply.code(404).send(errorBody('OBJECT_NOT_FOUND', 'Token not found'));
    return reply.send({ token, app_id: info.appId, hub_id: info.hubId, scopes: info.scopes, token_type: 'access', expires_in: 1800 });
  });
}
