/**
 * Deal routes of the sandbox: CRM search on deals (`/crm/v3/objects/deals/search` and the dated
 * `/crm/objects/{YYYY-MM}/deals/search`, same filters, sorts, paging and 10,000-result cap as companies)
 * and associations v4 batch reads from deals to companies and to contacts (`/crm/v4/associations/deals/…`
 * and `/crm/associations/{YYYY-MM}/deals/…`): 207 with a `NO_ASSOCIATIONS_FOUND` error per deal without
 * associations, each input's associations paged with `after`. Scope `crm.objects.deals.read`.
 * https://developers.hubspot.com/docs/api-reference/latest/crm/objects/deals/search-deals
 * https://developers.hubspot.com/docs/api-reference/latest/crm/associations/associate-records/batch/get-associations
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { answerAssociationBatchRead, bad } from './association-batch-read.ts';
import { dealsOf } from './deals.ts';
import type { RouteConfig } from './guard.ts';
import { runSearch, searchBodySchema, SearchRequestError } from './search.ts';
import type { SandboxRecord, SandboxStore } from './store.ts';

const DEAL_ALIASES = ['deals', '0-3'];
const TARGETS = { companies: ['companies', '0-2'], contacts: ['contacts', '0-1'] } as const;
const SINGULAR = { companies: 'company', contacts: 'contact' } as const;
/** Properties every search result carries besides those asked for. */
const ALWAYS = ['createdate', 'hs_lastmodifieddate', 'hs_object_id'];


function projection(d: SandboxRecord, requested: readonly string[] | undefined) {
  const names = requested === undefined ? ['amount', 'closedate', 'dealname', 'dealstage', 'pipeline', ...ALWAYS] : [...new Set([...requested, ...ALWAYS])];
  const properties: Record<string, string | null> = {};
  for (const n of names) properties[n] = d.properties[n] ?? null;
  return { id: d.id, properties, createdAt: d.createdAt, updatedAt: d.updatedAt, archived: false };
}


export function registerDealRoutes(app: FastifyInstance, store: SandboxStore): void {
  const deals = dealsOf(store);
  const searchConfig: RouteConfig = { name: 'deals.search', scope: 'crm.objects.deals.read', search: true };
  for (const alias of DEAL_ALIASES) {
    for (const url of [`/crm/v3/objects/${alias}/search`, `/crm/objects/:version/${alias}/search`]) {
      app.route({
        method: 'POST',
        url,
        config: searchConfig,
        handler: async (req: FastifyRequest, reply: FastifyReply) => {
          const body = searchBodySchema.safeParse(req.body ?? {});
          if (!body.success) return bad(reply, `Invalid search request: ${body.error.issues[0]?.message ?? 'bad body'}`);
          try {
            const res = runSearch(body.data, deals.list(), deals.properties, ['dealname']);
            const props = body.data.properties && body.data.properties.length > 0 ? body.data.properties : undefined;
            return reply.send({
              total: res.total,
              results: res.results.map((d) => projection(d, props)),
              ...(res.nextAfter !== undefined ? { paging: { next: { after: res.nextAfter, link: '' } } } : {}),
            });
          } catch (err) {
            if (err instanceof SearchRequestError) return bad(reply, err.message);
            throw err;
          }
        },
      });
    }
  }

  for (const to of ['companies', 'contacts'] as const) {
    const config: RouteConfig = { name: `deals.associations.${to}.batchRead`, scope: 'crm.objects.deals.read' };
    for (const f of DEAL_ALIASES) {
      for (const t of TARGETS[to]) {
        for (const url of [`/crm/v4/associations/${f}/${t}/batch/read`, `/crm/associations/:version/${f}/${t}/batch/read`]) {
          app.route({
            method: 'POST',
            url,
            config,
            handler: async (req: FastifyRequest, reply: FastifyReply) =>
              answerAssociationBatchRead(req.body, reply, store, {
                from: 'deal',
                to: SINGULAR[to],
                linksOf: (id) => (deals.records.has(id) ? deals.links(id, to) : []),
                label: (typeId) => (typeId === 5 ? 'Primary' : null),
              }),
          });
        }
      }
    }
  }
}
