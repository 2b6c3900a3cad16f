/**
 * REST resources of the sandbox: versions, query/queryAll/queryMore, sObject Collections retrieve and update,
 * describe, limits, and the single-record calls setup makes (PermissionSetAssignment). `query` never returns
 * records in the recycle bin (`IsDeleted`); `queryAll` does.
 */
import { json, restError, type Route, type SandboxRequest, type SandboxResponse } from './http-types.ts';
import { KEY_PREFIX, to18 } from './ids.ts';
import { compareRows, matches } from './soql-eval.ts';
import { SoqlError, parseSoql } from './soql.ts';
import { CONTACT_ROLE_VALUES, OPPORTUNITY_STAGES, SOBJECTS, WRITABLE_SOBJECTS, relationshipTarget, standardFieldMeta, type SObjectName } from './objects.ts';
import type { Row, SandboxStore } from './store.ts';
import { validateWrite, type SaveError } from './validate-write.ts';

export const SUPPORTED_VERSIONS = ['58.0', '59.0', '60.0', '61.0', '62.0', '63.0', '64.0', '65.0', '66.0'];
const V = '(?<version>\\d{2}\\.0)';

const isSObject = (name: string): name is SObjectName => SOBJECTS.includes(name as SObjectName);
const isWritable = (name: string): name is SObjectName => WRITABLE_SOBJECTS.includes(name as SObjectName);

/** Standard picklists the describe lists values for. */
const STANDARD_PICKLISTS: Readonly<Record<string, readonly string[]>> = {
  'OpportunityContactRole.Role': CONTACT_ROLE_VALUES,
  'Opportunity.StageName': Object.keys(OPPORTUNITY_STAGES),
};

function attributes(type: string, version: string, id: string) {
  return { type, url: `/services/data/v${version}/sobjects/${type}/${id}` };
}

export function restRoutes(store: SandboxStore): Route[] {
  const locators = store.queryLocators;

  /** Rows of any queryable table, as the user may see them. */
  const table = (userId: string, object: string, withDeleted: boolean): { rows: Row[]; fields: string[] } | undefined => {
    if (isSObject(object)) {
      const rows = [...store.records[object].values()];
      return { rows: withDeleted ? rows : rows.filter((r) => r.IsDeleted !== true), fields: store.visibleFields(userId, object) };
    }
    if (object === 'PermissionSet') {
      return {
        rows: [...store.permissionSets.values()].map((p) => ({ Id: p.id, Name: p.fullName, Label: p.label })),
        fields: ['Id', 'Name', 'Label'],
      };
    }
    if (object === 'PermissionSetAssignment') {
      return {
        rows: [...store.assignments.entries()].map(([k, id]) => {
          const [AssigneeId, PermissionSetId] = k.split(':');
          return { Id: id, AssigneeId, PermissionSetId };
        }),
        fields: ['Id', 'AssigneeId', 'PermissionSetId'],
      };
    }
    if (object === 'User') {
      return { rows: [{ Id: store.integrationUserId, Username: store.integrationUsername, IsActive: true }], fields: ['Id', 'Username', 'IsActive'] };
    }
    return undefined;
  };

  /** A page from `pos`; like Salesforce, the same nextRecordsUrl gives the same page again. */
  const page = (version: string, locator: string, pos: number): SandboxResponse => {
    const cur = locators.get(locator);
    if (!cur) return restError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    const records = cur.rows.slice(pos, pos + cur.pageSize);
    const next = pos + records.length;
    const done = next >= cur.rows.length;
    return json(200, {
      totalSize: cur.rows.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${locator}-${next}` }),
      records,
    });
  };

  const query = (req: SandboxRequest, version: string, withDeleted: boolean): SandboxResponse => {
    const q = req.query.get('q');
    if (!q) return restError(400, 'MALFORMED_QUERY', 'missing q');
    let parsed;
    try {
      parsed = parseSoql(q);
    } catch (err) {
      return restError(400, err instanceof SoqlError ? err.errorCode : 'MALFORMED_QUERY', (err as Error).message);
    }
    const t = table(req.userId, parsed.object, withDeleted);
    if (!t) return restError(400, 'INVALID_TYPE', `sObject type '${parsed.object}' is not supported.`);
    const referenced = [...parsed.fields, ...parsed.orderBy.map((o) => o.field)];
    // Parent fields (`Account.Name` on Opportunity): the lookup must exist and the field be visible on the parent.
    const parents = new Map<string, { field: string; target: SObjectName; name: string }>();
    for (const f of parsed.fields.filter((x) => x.includes('.'))) {
      const [rel = '', name = ''] = f.split('.');
      const link = isSObject(parsed.object) ? relationshipTarget(parsed.object, rel) : undefined;
      const visible = link === undefined ? undefined : store.visibleFields(req.userId, link.target).find((x) => x.toLowerCase() === name.toLowerCase());
      if (link === undefined || visible === undefined) {
        return restError(400, 'INVALID_FIELD', `Didn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`);
      }
      parents.set(f, { ...link, name: visible });
    }
    for (const f of referenced) {
      if (parents.has(f)) continue;
      if (!t.fields.some((x) => x.toLowerCase() === f.toLowerCase())) {
        return restError(400, 'INVALID_FIELD', `No such column '${f}' on entity '${parsed.object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`);
      }
    }
    let rows = t.rows.filter((r) => matches(r, parsed.where));
    if (parsed.orderBy.length > 0) rows.sort((a, b) => compareRows(a, b, parsed.orderBy));
    rows = rows.slice(parsed.offset ?? 0, parsed.limit === undefined ? undefined : (parsed.offset ?? 0) + parsed.limit);
    const projected = rows.map((r) => {
      const out: Record<string, unknown> = { attributes: attributes(parsed.object, version, r.Id) };
      for (const f of parsed.fields) {
        const parent = parents.get(f);
        if (parent !== undefined) {
          // Salesforce nests parent fields under the relationship name, null when the lookup is empty.
          const rel = f.slice(0, f.indexOf('.'));
          const parentId = r[parent.field];
          const row = typeof parentId === 'string' ? store.get(parent.target, parentId) : undefined;
          if (row === undefined) out[rel] = null;
          else {
            const nested = (out[rel] as Record<string, unknown> | null | undefined) ?? { attributes: attributes(parent.target, version, row.Id) };
            nested[parent.name] = row[parent.name] ?? null;
            out[rel] = nested;
          }
          continue;
        }
        const key = t.fields.find((x) => x.toLowerCase() === f.toLowerCase()) ?? f;
        out[key] = r[key] ?? null;
      }
      return out;
    });
    const opt = /batchSize=(\d+)/.exec(String(req.headers['sforce-query-options'] ?? ''));
    const pageSize = Math.min(2000, Math.max(200, opt ? Number(opt[1]) : 2000));
    const locator = store.nextId(KEY_PREFIX.QueryLocator);
    locators.set(locator, { rows: projected, pageSize });
    // Salesforce keeps a limited number of open cursors per user; the oldest go first.
    while (locators.size > 50) locators.delete(locators.keys().next().value as string);
    return page(version, locator, 0);
  };

  const saveErrorsFor = (userId: string, type: SObjectName, rec: Record<string, unknown>, id: string | undefined): SaveError[] | Record<string, unknown> => {
    const id18 = id === undefined ? undefined : to18(id);
    if (!id18 || !id18.startsWith(KEY_PREFIX[type])) {
      return [{ statusCode: 'MALFORMED_ID', message: `${type} ID: id value of incorrect type: ${id ?? ''}`, fields: ['Id'] }];
    }
    if (!store.get(type, id18)) {
      return [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }];
    }
    if (store.takeLockFault(id18)) {
      return [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record or 1 records: ' + id18, fields: [] }];
    }
    const checked = validateWrite(store, type, userId, rec);
    if (!checked.ok) return checked.errors;
    return { id18, ...checked.values };
  };

  return [
    {
      method: 'GET',
      pattern: /^\/services\/data\/?$/,
      name: 'versions',
      auth: false,
      counts: false,
      handle: () => json(200, SUPPORTED_VERSIONS.map((version) => ({ label: `v${version}`, url: `/services/data/v${version}`, version }))),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/services/data/v${V}/query/?$`),
      name: 'query',
      auth: true,
      counts: true,
      handle: (req, p) => query(req, p.version as string, false),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/services/data/v${V}/queryAll/?$`),
      name: 'queryAll',
      auth: true,
      counts: true,
      handle: (req, p) => query(req, p.version as string, true),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/services/data/v${V}/query/(?<locator>[A-Za-z0-9]+)-(?<pos>\\d+)$`),
      name: 'queryMore',
      auth: true,
      counts: true,
      handle: (_req, p) => page(p.version as string, p.locator as string, Number(p.pos)),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/services/data/v${V}/composite/sobjects/(?<type>\\w+)$`),
      name: 'composite.retrieve',
      auth: true,
      counts: true,
      handle: (req, p) => {
        const type = p.type as string;
        if (!isSObject(type)) return restError(400, 'INVALID_TYPE', `sObject type '${type}' is not supported.`);
        const body = JSON.parse(req.body) as { ids?: unknown; fields?: unknown };
        if (!Array.isArray(body.ids) || !Array.isArray(body.fields)) return restError(400, 'JSON_PARSER_ERROR', 'ids and fields are required');
        if (body.ids.length > 2000) return restError(400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 2000 records into this call');
        const visible = store.visibleFields(req.userId, type);
        for (const f of body.fields as string[]) {
          if (!visible.includes(f)) return restError(400, 'INVALID_FIELD', `No such column '${f}' on entity '${type}'.`);
        }
        return json(
          200,
          (body.ids as string[]).map((id) => {
            const row = store.get(type, String(id));
            if (!row) return null;
            const out: Record<string, unknown> = { attributes: attributes(type, p.version as string, row.Id) };
            for (const f of ['Id', ...(body.fields as string[])]) out[f] = row[f] ?? null;
            return out;
          }),
        );
      },
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^/services/data/v${V}/composite/sobjects$`),
      name: 'composite.update',
      auth: true,
      counts: true,
      handle: (req) => {
        const body = JSON.parse(req.body) as { allOrNone?: boolean; records?: Array<Record<string, unknown>> };
        if (!Array.isArray(body.records)) return restError(400, 'JSON_PARSER_ERROR', 'records is required');
        if (body.records.length > 200) return restError(400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call');
        const planned = body.records.map((r) => {
          const { attributes: attrs, id, Id, ...fields } = r as { attributes?: { type?: string }; id?: string; Id?: string };
          const type = attrs?.type ?? '';
          if (!isWritable(type)) return { id: id ?? Id, errors: [{ statusCode: 'INVALID_TYPE', message: `sObject type '${type}' is not supported.`, fields: [] }] };
          const res = saveErrorsFor(req.userId, type, fields, id ?? Id);
          return Array.isArray(res) ? { id: id ?? Id, errors: res } : { id: id ?? Id, type, values: res };
        });
        const anyFailed = planned.some((p) => 'errors' in p);
        return json(
          200,
          planned.map((p) => {
            if ('errors' in p) return { success: false, errors: p.errors };
            if (body.allOrNone && anyFailed) {
              return { id: p.id, success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] }] };
            }
            const { id18, ...values } = p.values as Record<string, unknown> & { id18: string };
            store.applyUpdate(p.type as SObjectName, id18, values, req.userId);
            return { id: id18, success: true, errors: [] };
          }),
        );
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/services/data/v${V}/sobjects/(?<type>\\w+)/describe$`),
      name: 'describe',
      auth: true,
      counts: true,
      handle: (req, p) => {
        const type = p.type as string;
        if (!isSObject(type)) return restError(404, 'NOT_FOUND', `The requested resource does not exist`);
        return json(200, {
          name: type,
          updateable: true,
          queryable: true,
          fields: store.visibleFields(req.userId, type).map((f) => {
            const meta = store.customFields.get(`${type}.${f}`);
            return {
              name: f,
              label: meta?.label ?? standardFieldMeta(type, f).label,
              type: meta ? meta.type.toLowerCase() : standardFieldMeta(type, f).type,
              custom: meta !== undefined,
              updateable: store.access(req.userId, type, f).edit,
              picklistValues: meta
                ? (meta.valueSet?.values ?? []).map((v) => ({ value: v.fullName, label: v.label, active: v.isActive !== false, defaultValue: false }))
                : (STANDARD_PICKLISTS[`${type}.${f}`] ?? []).map((v) => ({ value: v, label: v, active: true, defaultValue: false })),
            };
          }),
        });
      },
    },
    {
      // getDeleted: ids deleted between start and end (at most 15 days back), from the delete log.
      method: 'GET',
      pattern: new RegExp(`^/services/data/v${V}/sobjects/(?<type>\\w+)/deleted/?$`),
      name: 'getDeleted',
      auth: true,
      counts: true,
      handle: (req, p) => {
        const type = p.type as string;
        if (!isSObject(type)) return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
        const start = Date.parse(req.query.get('start') ?? '');
        const end = Date.parse(req.query.get('end') ?? '');
        if (Number.isNaN(start) || Number.isNaN(end)) return restError(400, 'MALFORMED_QUERY', 'start and end are required date-times');
        if (end <= start) return restError(400, 'INVALID_REPLICATION_DATE', 'end date must be after start date');
        if (start < Date.now() - 15 * 86_400_000) return restError(400, 'INVALID_REPLICATION_DATE', 'startDate before org replication enabled date or more than 15 days ago');
        // Like Salesforce, whole minutes: seconds are ignored.
        const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;
        const from = minute(start);
        const to = minute(end);
        const deletedRecords = (store.deleteLog.get(type) ?? [])
          .filter((d) => d.at >= from && d.at < to)
          .map((d) => ({ id: d.id, deletedDate: new Date(d.at).toISOString().replace('Z', '+0000') }));
        return json(200, {
          deletedRecords,
          earliestDateAvailable: new Date(Date.now() - 15 * 86_400_000).toISOString().replace('Z', '+0000'),
          latestDateCovered: new Date(to).toISOString().replace('Z', '+0000'),
        });
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/services/data/v${V}/limits/?$`),
      name: 'limits',
      auth: true,
      counts: true,
      handle: () => json(200, { DailyApiRequests: { Max: store.apiLimit, Remaining: Math.max(0, store.apiLimit - store.apiUsed) } }),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/services/data/v${V}/sobjects/PermissionSetAssignment/?$`),
      name: 'insert.PermissionSetAssignment',
      auth: true,
      counts: true,
      handle: (req) => {
        const body = JSON.parse(req.body) as { AssigneeId?: string; PermissionSetId?: string };
        const ps = [...store.permissionSets.values()].find((x) => x.id === body.PermissionSetId);
        const user = body.AssigneeId === undefined ? undefined : to18(body.AssigneeId);
        if (!ps || !user) return restError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
        const key = `${user}:${ps.id}`;
        if (store.assignments.has(key)) return restError(400, 'DUPLICATE_VALUE', 'Duplicate PermissionSetAssignment. Assignee: ' + user);
        const id = store.nextId(KEY_PREFIX.PermissionSetAssignment);
        store.assignments.set(key, id);
        return json(201, { id, success: true, errors: [] });
      },
    },
    {
      // Unassigning a permission set (setup --remove does it before deleting the permission set).
      method: 'DELETE',
      pattern: new RegExp(`^/services/data/v${V}/sobjects/PermissionSetAssignment/(?<id>[A-Za-z0-9]{15,18})$`),
      name: 'delete.PermissionSetAssignment',
      auth: true,
      counts: true,
      handle: (_req, p) => {
        const key = [...store.assignments].find(([, id]) => id === p.id)?.[0];
        if (key === undefined) return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
        store.assignments.delete(key);
        return { status: 204, headers: {}, body: '' };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/services/data/v${V}/sobjects/(?<type>Account|Lead|Contact|Opportunity|OpportunityContactRole)/(?<id>[A-Za-z0-9]{15,18})$`),
      name: 'sobject.retrieve',
      auth: true,
      counts: true,
      handle: (req, p) => {
        const type = p.type as SObjectName;
        const row = store.get(type, p.id as string);
        if (!row) return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
        const fields = req.query.get('fields')?.split(',') ?? store.visibleFields(req.userId, type);
        const out: Record<string, unknown> = { attributes: attributes(type, p.version as string, row.Id) };
        for (const f of fields) out[f] = row[f] ?? null;
        return json(200, out);
      },
    },
  ];
}

