/**
 * Associations v4 between contacts and companies, under `/crm/v4/associations/{from}/{to}/…` and the
 * dated `/crm/associations/{YYYY-MM}/{from}/{to}/…`, plus the per-record `/crm/v4/objects/{type}/{id}/associations/…`
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/associations/associate-records/batch/get-associations):
 * - batch read answers 207 with a `crm.associations.NO_ASSOCIATIONS_FOUND` error per input without
 *   associations, pages each input's associations (`paging.next.after`, sent back beside its `id`),
 *   and refuses more than `assocBatchReadMax` inputs;
 * - a contact's primary company carries type 1 ("Primary") next to the unlabelled 279; from the company
 *   side 2 and 280. A contact has one primary: labelling another company primary moves it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { answerAssociationBatchRead, bad, idText } from './association-batch-read.ts';
import { errorBody } from './error-bodies.ts';
import type { RouteConfig } from './guard.ts';
import { ASSOCIATION_TYPE, type ChangeOrigin, type SandboxObjectType, type SandboxStore } from './store.ts';

const ALIASES: Record<SandboxObjectType, readonly string[]> = { contacts: ['contacts', '0-1'], companies: ['companies', '0-2'] };
const PAIRS: ReadonlyArray<readonly [SandboxObjectType, SandboxObjectType]> = [
  ['contacts', 'companies'],
  ['companies', 'contacts'],
];
const SINGULAR: Record<SandboxObjectType, string> = { contacts: 'contact', companies: 'company' };

const typeSpec = z.object({ associationCategory: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']), associationTypeId: z.number().int() });

const batchCreateSchema = z.object({ inputs: z.array(z.object({ from: z.object({ id: idText }), to: z.object({ id: idText }), types: z.array(typeSpec).min(1) })) });
const batchDefaultSchema = z.object({ inputs: z.array(z.object({ from: z.object({ id: idText }), to: z.object({ id: idText }) })) });
const batchArchiveSchema = z.object({ inputs: z.array(z.object({ from: z.object({ id: idText }), to: z.array(z.object({ id: idText })) })) });
const batchLabelsArchiveSchema = batchCreateSchema;

function origin(request: FastifyRequest): ChangeOrigin {
  return { changeSource: 'INTEGRATION', sourceId: String(request.sandboxToken?.appId ?? '') };
}

/** The contact and company of a pair, whichever side the request starts from. */
function orient(from: SandboxObjectType, fromId: string, toId: string): { contactId: string; companyId: string } {
  return from === 'contacts' ? { contactId: fromId, companyId: toId } : { contactId: toId, companyId: fromId };
}

/** Whether the type ids make the primary (1 from a contact, 2 from a company); `undefined` when a type id is not a contact↔company one. */
function primaryOf(from: SandboxObjectType, typeIds: readonly number[]): boolean | undefined {
  const [primary, plain] =
    from === 'contacts'
      ? [ASSOCIATION_TYPE.primaryContactToCompany, ASSOCIATION_TYPE.contactToCompany]
      : [ASSOCIATION_TYPE.primaryCompanyToContact, ASSOCIATION_TYPE.companyToContact];
  if (typeIds.some((t) => t !== primary && t !== plain)) return undefined;
  return typeIds.includes(primary);
}

/** Type ids as the other side sees them (1 ↔ 2, 279 ↔ 280). */
function storeTypeIds(from: SandboxObjectType, typeIds: readonly number[]): number[] {
  if (from === 'contacts') return [...typeIds];
  return typeIds.map((t) => (t === ASSOCIATION_TYPE.primaryCompanyToContact ? ASSOCIATION_TYPE.primaryContactToCompany : ASSOCIATION_TYPE.contactToCompany));
}

function links(store: SandboxStore, from: SandboxObjectType, id: string): Array<{ id: string; typeIds: number[] }> {
  if (from === 'contacts') return store.companiesOfContact(id).map((a) => ({ id: a.companyId, typeIds: a.typeIds }));
  return store.contactsOfCompany(id).map((a) => ({ id: a.contactId, typeIds: a.typeIds }));
}

const LABELS: Record<number, string | null> = { 1: 'Primary', 2: 'Primary', 279: null, 280: null };

export function registerAssociationRoutes(app: FastifyInstance, store: SandboxStore): void {
  type Req = FastifyRequest<{ Params: Record<string, string> }>;
  const batch = (
    suffix: string,
    name: string,
    access: 'read' | 'write',
    handler: (req: Req, reply: FastifyReply, from: SandboxObjectType, to: SandboxObjectType) => Promise<unknown>,
  ) => {
    for (const [from, to] of PAIRS) {
      const config: RouteConfig = { name: `associations.${name}`, scope: `crm.objects.${from}.${access}` };
      for (const f of ALIASES[from]) {
        for (const t of ALIASES[to]) {
          for (const prefix of [`/crm/v4/associations/${f}/${t}`, `/crm/associations/:version/${f}/${t}`]) {
            app.route({ method: 'POST', url: `${prefix}${suffix}`, config, handler: async (req: Req, reply) => handler(req, reply, from, to) });
          }
        }
      }
    }
  };

  batch('/batch/read', 'batchRead', 'read', async (req, reply, from, to) =>
    answerAssociationBatchRead(req.body, reply, store, {
      from: SINGULAR[from],
      to: SINGULAR[to],
      linksOf: (id) => (store.getOf(from, id) ? links(store, from, id) : []),
      label: (typeId) => LABELS[typeId] ?? null,
    }),
  );

  const link = (req: Req, from: SandboxObjectType, fromId: string, toId: string, typeIds: readonly number[]): string | undefined => {
    const primary = primaryOf(from, typeIds);
    if (primary === undefined) return `association type ids ${typeIds.join(', ')} are not ${SINGULAR[from]}-to-${from === 'contacts' ? 'company' : 'contact'} types`;
    const { contactId, companyId } = orient(from, fromId, toId);
    if (!store.associate(contactId, companyId, { primary, origin: origin(req) })) return `${SINGULAR[from]} ${fromId} or its target ${toId} does not exist`;
    return undefined;
  };

  batch('/batch/create', 'batchCreate', 'write', async (req, reply, from) => {
    const body = batchCreateSchema.safeParse(req.body);
    if (!body.success) return bad(reply, 'Invalid input JSON on line 1');
    for (const i of body.data.inputs) {
      const problem = link(req, from, i.from.id, i.to.id, i.types.map((t) => t.associationTypeId));
      if (problem) return bad(reply, problem);
    }
    return reply.code(201).send({ status: 'COMPLETE', results: body.data.inputs.map((i) => ({ fromObjectId: i.from.id, toObjectId: i.to.id, labels: [] })) });
  });

  batch('/batch/associate/default', 'batchDefault', 'write', async (req, reply, from) => {
    const body = batchDefaultSchema.safeParse(req.body);
    if (!body.success) return bad(reply, 'Invalid input JSON on line 1');
    const plain = from === 'contacts' ? ASSOCIATION_TYPE.contactToCompany : ASSOCIATION_TYPE.companyToContact;
    for (const i of body.data.inputs) {
      const problem = link(req, from, i.from.id, i.to.id, [plain]);
      if (problem) return bad(reply, problem);
    }
    return reply.code(200).send({ status: 'COMPLETE', results: [] });
  });

  batch('/batch/archive', 'batchArchive', 'write', async (req, reply, from) => {
    const body = batchArchiveSchema.safeParse(req.body);
    if (!body.success) return bad(reply, 'Invalid input JSON on line 1');
    for (const i of body.data.inputs) {
      for (const t of i.to) {
        const { contactId, companyId } = orient(from, i.from.id, t.id);
        store.dissociate(contactId, companyId, { origin: origin(req) });
      }
    }
    return reply.code(204).send();
  });

  batch('/batch/labels/archive', 'batchLabelsArchive', 'write', async (req, reply, from) => {
    const body = batchLabelsArchiveSchema.safeParse(req.body);
    if (!body.success) return bad(reply, 'Invalid input JSON on line 1');
    for (const i of body.data.inputs) {
      const typeIds = i.types.map((t) => t.associationTypeId);
      if (primaryOf(from, typeIds) === undefined) return bad(reply, `association type ids ${typeIds.join(', ')} are not contact-company types`);
      const { contactId, companyId } = orient(from, i.from.id, i.to.id);
      store.dissociate(contactId, companyId, { typeIds: storeTypeIds(from, typeIds), origin: origin(req) });
    }
    return reply.code(204).send();
  });

  // One record: PUT (labelled), PUT default, DELETE.
  const single = (method: 'PUT' | 'DELETE', suffix: string, name: string, handler: (req: Req, reply: FastifyReply, from: SandboxObjectType) => Promise<unknown>) => {
    for (const [from, to] of PAIRS) {
      const config: RouteConfig = { name: `associations.${name}`, scope: `crm.objects.${from}.write` };
      for (const f of ALIASES[from]) {
        for (const t of ALIASES[to]) {
          for (const prefix of [`/crm/v4/objects/${f}/:id/associations`, `/crm/objects/:version/${f}/:id/associations`]) {
            app.route({ method, url: `${prefix}${suffix.replace('{to}', t)}`, config, handler: async (req: Req, reply) => handler(req, reply, from) });
          }
        }
      }
    }
  };

  single('PUT', '/default/{to}/:toId', 'createDefault', async (req, reply, from) => {
    const plain = from === 'contacts' ? ASSOCIATION_TYPE.contactToCompany : ASSOCIATION_TYPE.companyToContact;
    const problem = link(req, from, String(req.params.id), String(req.params.toId), [plain]);
    if (problem) return reply.code(404).send(errorBody('OBJECT_NOT_FOUND', problem));
    return reply.send({ status: 'COMPLETE', results: [{ from: { id: req.params.id }, to: { id: req.params.toId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: plain } }] });
  });

  single('PUT', '/{to}/:toId', 'create', async (req, reply, from) => {
    const body = z.array(typeSpec).min(1).safeParse(req.body);
    if (!body.success) return bad(reply, 'Invalid input JSON on line 1');
    const typeIds = body.data.map((t) => t.associationTypeId);
    const problem = link(req, from, String(req.params.id), String(req.params.toId), typeIds);
    if (problem) return bad(reply, problem);
    return reply.code(201).send({ fromObjectId: Number(req.params.id), toObjectId: Number(req.params.toId), labels: typeIds.map((t) => LABELS[t]).filter((l) => l) });
  });

  single('DELETE', '/{to}/:toId', 'archive', async (req, reply, from) => {
    const { contactId, companyId } = orient(from, String(req.params.id), String(req.params.toId));
    store.dissociate(contactId, companyId, { origin: origin(req) });
    return reply.code(204).send();
  });
}
