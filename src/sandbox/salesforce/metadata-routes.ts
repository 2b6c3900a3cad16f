/**
 * Metadata API (SOAP) calls setup makes: readMetadata, createMetadata, updateMetadata, upsertMetadata,
 * deleteMetadata and listMetadata for CustomField, PermissionSet and ListView, with Salesforce's validation of
 * the field definitions.
 * https://developer.salesforce.com/docs/platform/api-metadata/references/crud-based-calls/meta-deletemetadata.html
 * https://developer.salesforce.com/docs/platform/api-metadata/references/crud-based-calls/meta-upsertmetadata.html
 */
import type { Route, SandboxResponse } from './http-types.ts';
import { KEY_PREFIX } from './ids.ts';
import { listViewRecord, parseListView } from './list-views.ts';
import { SOBJECTS, type CustomFieldMeta, type FieldPermission, type ObjectPermission, type PermissionSetMeta, type SandboxStore, type SObjectName } from './store.ts';
import { soapEnvelope, soapFault, soapParser, toXml } from './xml.ts';

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (str(v) === undefined ? undefined : Number(v));
const bool = (v: unknown): boolean => v === 'true' || v === true;

interface ItemResult {
  fullName: string;
  success: boolean;
  created?: boolean;
  errors?: Array<{ statusCode: string; message: string }>;
}

const FIELD_TYPES = new Set(['Number', 'Percent', 'Text', 'LongTextArea', 'Picklist', 'MultiselectPicklist', 'DateTime']);

function parseCustomField(m: Obj): CustomFieldMeta | string {
  const fullName = str(m.fullName) ?? '';
  if (!/^(Account|Lead|Contact)\.[A-Za-z][A-Za-z0-9_]*__c$/.test(fullName)) return `invalid fullName "${fullName}": expected Object.Name__c`;
  const type = str(m.type) ?? '';
  if (!FIELD_TYPES.has(type)) return `${fullName}: field type "${type}" is not supported`;
  const label = str(m.label);
  if (!label) return `${fullName}: label is required`;
  const f: CustomFieldMeta = { fullName, label, type };
  const desc = str(m.description);
  if (desc) f.description = desc;
  const help = str(m.inlineHelpText);
  if (help) f.inlineHelpText = help;
  if (type === 'Number' || type === 'Percent') {
    const precision = num(m.precision);
    const scale = num(m.scale);
    if (precision === undefined || scale === undefined) return `${fullName}: Precision and scale are required for ${type} fields`;
    if (precision < 1 || precision > 18 || scale < 0 || scale > precision) return `${fullName}: invalid precision/scale`;
    f.precision = precision;
    f.scale = scale;
  }
  if (type === 'Text' || type === 'LongTextArea') {
    const length = num(m.length);
    if (length === undefined) return `${fullName}: Length is required`;
    if (type === 'Text' && (length < 1 || length > 255)) return `${fullName}: Text length must be 1 to 255`;
    if (type === 'LongTextArea' && (length < 256 || length > 131_072)) return `${fullName}: Long text length must be 256 to 131072`;
    f.length = length;
  }
  if (type === 'LongTextArea' || type === 'MultiselectPicklist') {
    const lines = num(m.visibleLines);
    if (lines === undefined) return `${fullName}: visibleLines is required`;
    f.visibleLines = lines;
  }
  if (type === 'Picklist' || type === 'MultiselectPicklist') {
    const vs = asObj(m.valueSet);
    const values = asArr(asObj(vs.valueSetDefinition).value).map((v) => {
      const o = asObj(v);
      return { fullName: str(o.fullName) ?? '', label: str(o.label) ?? str(o.fullName) ?? '', default: bool(o.default), ...(o.isActive === 'false' || o.isActive === false ? { isActive: false } : {}) };
    });
    if (values.length === 0 || values.some((v) => v.fullName === '')) return `${fullName}: a picklist needs at least one value, each with a fullName`;
    if (new Set(values.map((v) => v.fullName)).size !== values.length) return `${fullName}: duplicate picklist value`;
    f.valueSet = { restricted: bool(vs.restricted), values };
  }
  return f;
}

function fieldXml(f: CustomFieldMeta): Obj {
  return {
    '@type': 'CustomField',
    fullName: f.fullName,
    ...(f.description ? { description: f.description } : {}),
    ...(f.inlineHelpText ? { inlineHelpText: f.inlineHelpText } : {}),
    label: f.label,
    ...(f.length !== undefined ? { length: f.length } : {}),
    ...(f.precision !== undefined ? { precision: f.precision, scale: f.scale } : {}),
    type: f.type,
    ...(f.valueSet
      ? { valueSet: { restricted: f.valueSet.restricted, valueSetDefinition: { sorted: false, value: f.valueSet.values.map((v) => ({ fullName: v.fullName, default: v.default, ...(v.isActive === false ? { isActive: false } : {}), label: v.label })) } } }
      : {}),
    ...(f.visibleLines !== undefined ? { visibleLines: f.visibleLines } : {}),
  };
}

function permissionSetXml(p: PermissionSetMeta): Obj {
  return {
    '@type': 'PermissionSet',
    fullName: p.fullName,
    ...(p.description ? { description: p.description } : {}),
    fieldPermissions: p.fieldPermissions.map((fp) => ({ editable: fp.editable, field: fp.field, readable: fp.readable })),
    label: p.label,
    ...(p.objectPermissions.length > 0
      ? {
          objectPermissions: p.objectPermissions.map((o) => ({
            allowCreate: o.allowCreate,
            allowDelete: o.allowDelete,
            allowEdit: o.allowEdit,
            allowRead: o.allowRead,
            modifyAllRecords: o.modifyAllRecords,
            object: o.object,
            viewAllRecords: o.viewAllRecords,
          })),
        }
      : {}),
  };
}

export function metadataRoutes(store: SandboxStore): Route[] {
  const saveField = (m: Obj, mode: 'create' | 'update' | 'upsert'): ItemResult => {
    const parsed = parseCustomField(m);
    const fullName = str(m.fullName) ?? '';
    if (typeof parsed === 'string') return { fullName, success: false, errors: [{ statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: parsed }] };
    const exists = store.customFields.has(parsed.fullName);
    if (mode === 'create' && exists) return { fullName, success: false, errors: [{ statusCode: 'DUPLICATE_DEVELOPER_NAME', message: `There is already a field named ${parsed.fullName}` }] };
    if (mode === 'update' && !exists) return { fullName, success: false, errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: `In field: fullName - no CustomField named ${parsed.fullName} found` }] };
    store.customFields.set(parsed.fullName, parsed);
    return { fullName, success: true, created: !exists };
  };

  const savePermissionSet = (m: Obj, mode: 'create' | 'update' | 'upsert'): ItemResult => {
    const fullName = str(m.fullName) ?? '';
    const label = str(m.label);
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(fullName) || !label) {
      return { fullName, success: false, errors: [{ statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: 'fullName and label are required' }] };
    }
    const perms: FieldPermission[] = asArr(m.fieldPermissions).map((x) => {
      const o = asObj(x);
      return { field: str(o.field) ?? '', readable: bool(o.readable), editable: bool(o.editable) };
    });
    // Custom fields must exist; standard fields of the sandbox's objects may be named too (read on Contact.Title…).
    const known = (field: string) => {
      const [object, name] = field.split('.');
      return store.customFields.has(field) || (SOBJECTS.includes(object as SObjectName) && name !== undefined && store.fieldExists(object as SObjectName, name));
    };
    const missing = perms.find((p) => !known(p.field));
    if (missing) return { fullName, success: false, errors: [{ statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: `In field: field - no CustomField named ${missing.field} found` }] };
    const objects: ObjectPermission[] = asArr(m.objectPermissions).map((x) => {
      const o = asObj(x);
      return {
        object: str(o.object) ?? '',
        allowRead: bool(o.allowRead),
        allowEdit: bool(o.allowEdit),
        allowCreate: bool(o.allowCreate),
        allowDelete: bool(o.allowDelete),
        viewAllRecords: bool(o.viewAllRecords),
        modifyAllRecords: bool(o.modifyAllRecords),
      };
    });
    // OpportunityContactRole has no object permission of its own: its access follows the Opportunity.
    const badObject = objects.find((o) => !SOBJECTS.includes(o.object as SObjectName) || o.object === 'OpportunityContactRole');
    if (badObject) return { fullName, success: false, errors: [{ statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: `In field: object - no object named ${badObject.object} found` }] };
    const editWithoutRead = objects.find((o) => o.allowEdit && !o.allowRead);
    if (editWithoutRead) return { fullName, success: false, errors: [{ statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: `Permission Edit ${editWithoutRead.object} depends on permission(s): Read ${editWithoutRead.object}` }] };
    const bad = perms.find((p) => p.editable && !p.readable);
    if (bad) return { fullName, success: false, errors: [{ statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: `Permission Edit ${bad.field} depends on permission(s): Read ${bad.field}` }] };
    const existing = store.permissionSets.get(fullName);
    if (mode === 'create' && existing) return { fullName, success: false, errors: [{ statusCode: 'DUPLICATE_DEVELOPER_NAME', message: `duplicate value found: ${fullName}` }] };
    if (mode === 'update' && !existing) return { fullName, success: false, errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: `no PermissionSet named ${fullName} found` }] };
    // Field permissions named in the call replace the stored ones for those fields; others stay.
    const merged = new Map((existing?.fieldPermissions ?? []).map((p) => [p.field, p]));
    for (const p of perms) merged.set(p.field, p);
    const mergedObjects = new Map((existing?.objectPermissions ?? []).map((o) => [o.object, o]));
    for (const o of objects) mergedObjects.set(o.object, o);
    const desc = str(m.description);
    store.permissionSets.set(fullName, {
      id: existing?.id ?? store.nextId(KEY_PREFIX.PermissionSet),
      fullName,
      label,
      ...(desc ? { description: desc } : {}),
      fieldPermissions: [...merged.values()],
      objectPermissions: [...mergedObjects.values()],
    });
    return { fullName, success: true, created: !existing };
  };

  /** Salesforce checks the WSDL sequence: fullName, then the type's fields in alphabetical order. */
  const outOfOrder = (o: Obj): string | undefined => {
    const keys = Object.keys(o).filter((k) => !k.startsWith('@_'));
    for (let i = 1; i < keys.length; i += 1) {
      const prev = keys[i - 1] as string;
      const cur = keys[i] as string;
      if (cur === 'fullName' || (prev !== 'fullName' && prev > cur)) return cur;
    }
    for (const v of Object.values(o)) {
      for (const item of asArr(v)) {
        if (item !== null && typeof item === 'object') {
          const bad = outOfOrder(item as Obj);
          if (bad) return bad;
        }
      }
    }
    return undefined;
  };

  const saveListView = (m: Obj, mode: 'create' | 'update' | 'upsert'): ItemResult => {
    const fullName = str(m.fullName) ?? '';
    const parsed = parseListView(m, (f) => store.customFields.has(f));
    if (typeof parsed === 'string') return { fullName, success: false, errors: [{ statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: parsed }] };
    const exists = store.listViews.has(fullName);
    if (mode === 'create' && exists) return { fullName, success: false, errors: [{ statusCode: 'DUPLICATE_DEVELOPER_NAME', message: `There is already a list view named ${fullName}` }] };
    if (mode === 'update' && !exists) return { fullName, success: false, errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: `no ListView named ${fullName} found` }] };
    store.listViews.set(fullName, parsed);
    return { fullName, success: true, created: !exists };
  };

  /**
   * deleteMetadata of one component. Deleting a field drops its values from records and its field
   * permissions; an assigned permission set is refused (FAKE CHOICE: the wording of Salesforce's refusal is
   * not documented); a component that does not exist answers INVALID_CROSS_REFERENCE_KEY (FAKE CHOICE).
   */
  const deleteOne = (type: string | undefined, fullName: string): ItemResult => {
    const missing = (): ItemResult => ({ fullName, success: false, errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: `no ${type ?? '?'} named ${fullName} found` }] });
    if (type === 'CustomField') {
      if (!store.customFields.delete(fullName)) return missing();
      const [object, field] = fullName.split('.') as [SObjectName, string];
      for (const row of store.records[object]?.values() ?? []) delete row[field];
      for (const ps of store.permissionSets.values()) ps.fieldPermissions = ps.fieldPermissions.filter((p) => p.field !== fullName);
      return { fullName, success: true };
    }
    if (type === 'ListView') return store.listViews.delete(fullName) ? { fullName, success: true } : missing();
    if (type === 'PermissionSet') {
      const ps = store.permissionSets.get(fullName);
      if (!ps) return missing();
      const holders = [...store.assignments.keys()].filter((k) => k.endsWith(`:${ps.id}`)).length;
      if (holders > 0) return { fullName, success: false, errors: [{ statusCode: 'DELETE_FAILED', message: `This permission set is assigned to ${holders} user(s): remove the assignments first` }] };
      store.permissionSets.delete(fullName);
      return { fullName, success: true };
    }
    return { fullName, success: false, errors: [{ statusCode: 'INVALID_TYPE', message: `type ${type ?? '?'} not supported` }] };
  };

  const save = (items: unknown[], mode: 'create' | 'update' | 'upsert'): ItemResult[] => {
    const types = new Set(items.map((i) => str(asObj(i)['@_type'])?.replace(/^.*:/, '')));
    if (items.length > 10) throw Object.assign(new Error('EXCEEDED_MAX_TYPES_LIMIT: too many components, max 10'), { code: 'LIMIT_EXCEEDED' });
    if (types.size > 1) throw Object.assign(new Error('all components in one call must be of the same type'), { code: 'INVALID_TYPE' });
    for (const i of items) {
      const bad = outOfOrder(asObj(i));
      if (bad) throw Object.assign(new Error(`Element {http://soap.sforce.com/2006/04/metadata}${bad} invalid at this location`), { code: 'INVALID_CONTENT' });
    }
    return items.map((i) => {
      const o = asObj(i);
      const type = str(o['@_type'])?.replace(/^.*:/, '');
      if (type === 'CustomField') return saveField(o, mode);
      if (type === 'PermissionSet') return savePermissionSet(o, mode);
      if (type === 'ListView') return saveListView(o, mode);
      return { fullName: str(o.fullName) ?? '', success: false, errors: [{ statusCode: 'INVALID_TYPE', message: `type ${type ?? '?'} not supported` }] };
    });
  };

  const resultXml = (method: string, results: ItemResult[], upsert: boolean) =>
    toXml(
      `${method}Response`,
      {
        result: results.map((r) => ({
          ...(upsert ? { created: r.created ?? false } : {}),
          ...(r.errors ? { errors: r.errors.map((e) => ({ message: e.message, statusCode: e.statusCode })) } : {}),
          fullName: r.fullName,
          success: r.success,
        })),
      },
    );

  const handle = (body: string): SandboxResponse => {
    const ok = (xml: string): SandboxResponse => ({ status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: soapEnvelope(xml) });
    const fault = (code: string, msg: string): SandboxResponse => ({ status: 500, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: soapFault(code, msg) });
    const env = asObj(asObj(soapParser.parse(body)).Envelope);
    const sessionId = str(asObj(asObj(env.Header).SessionHeader).sessionId) ?? '';
    const session = store.sessions.get(sessionId);
    if (!session || session.expiresAt < Date.now()) return fault('INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session');
    if (!store.metadataAccess) return fault('INSUFFICIENT_ACCESS', 'insufficient access rights on cross-reference id');
    const bodyObj = asObj(env.Body);
    const method = Object.keys(bodyObj).find((k) => !k.startsWith('@_')) ?? '';
    const args = asObj(bodyObj[method]);
    store.count(`metadata.${method}`);
    try {
      switch (method) {
        case 'readMetadata': {
          const type = str(args.type);
          const names = asArr(args.fullNames).map(String);
          const records = names.map((n) => {
            if (type === 'CustomField') {
              const f = store.customFields.get(n);
              return f ? fieldXml(f) : null;
            }
            if (type === 'PermissionSet') {
              const p = store.permissionSets.get(n);
              return p ? permissionSetXml(p) : null;
            }
            if (type === 'ListView') {
              const v = store.listViews.get(n);
              return v ? listViewRecord(v) : null;
            }
            return null;
          });
          return ok(toXml('readMetadataResponse', { result: { records } }));
        }
        case 'createMetadata':
          return ok(resultXml(method, save(asArr(args.metadata), 'create'), false));
        case 'updateMetadata':
          return ok(resultXml(method, save(asArr(args.metadata), 'update'), false));
        case 'upsertMetadata':
          return ok(resultXml(method, save(asArr(args.metadata), 'upsert'), true));
        case 'deleteMetadata': {
          const names = asArr(args.fullNames).map(String);
          if (names.length > 10) throw Object.assign(new Error('EXCEEDED_MAX_TYPES_LIMIT: too many components, max 10'), { code: 'LIMIT_EXCEEDED' });
          const type = str(args.type);
          return ok(resultXml(method, names.map((n) => deleteOne(type, n)), false));
        }
        case 'listMetadata': {
          const types = asArr(args.queries).map((q) => str(asObj(q).type));
          const props = [
            ...(types.includes('CustomField') ? [...store.customFields.keys()].map((n) => ({ fullName: n, type: 'CustomField' })) : []),
            ...(types.includes('PermissionSet') ? [...store.permissionSets.keys()].map((n) => ({ fullName: n, type: 'PermissionSet' })) : []),
            ...(types.includes('ListView') ? [...store.listViews.keys()].map((n) => ({ fullName: n, type: 'ListView' })) : []),
          ];
          return ok(toXml('listMetadataResponse', { result: props }));
        }
        default:
          return fault('INVALID_OPERATION', `operation ${method} is not supported by the sandbox`);
      }
    } catch (err) {
      return fault(String((err as { code?: string }).code ?? 'UNKNOWN_EXCEPTION'), (err as Error).message);
    }
  };

  return [
    {
      method: 'POST',
      pattern: /^\/services\/Soap\/m\/\d{2}\.0$/,
      name: 'metadata',
      auth: false,
      counts: true,
      handle: (req) => handle(req.body),
    },
  ];
}
