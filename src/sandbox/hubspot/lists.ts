/**
 * The sandbox's lists (Lists API v3): what HubSpot keeps for a list and the checks it makes on create and
 * on a filter update. Spec: HubSpot `PublicApiSpecs/CRM/Lists` (`ListCreateRequest`, `PublicObjectList`);
 * filter shapes: https://developers.hubspot.com/docs/api-reference/crm-lists-v3/list-filters.
 */
import { z } from 'zod';

/** `0-1` contacts, `0-2` companies. */
export const LIST_OBJECT_TYPES = { '0-1': 'contacts', '0-2': 'companies' } as const;
export type ListObjectTypeId = keyof typeof LIST_OBJECT_TYPES;

const propertyOperation = z.discriminatedUnion('operationType', [
  z.object({
    operationType: z.literal('ENUMERATION'),
    operator: z.enum(['IS_ANY_OF', 'IS_NONE_OF', 'IS_EXACTLY', 'IS_NOT_EXACTLY', 'CONTAINS_ALL', 'DOES_NOT_CONTAIN_ALL']),
    values: z.array(z.string()).min(1),
    includeObjectsWithNoValueSet: z.boolean(),
  }),
  z.object({
    operationType: z.literal('NUMBER'),
    operator: z.enum(['IS_EQUAL_TO', 'IS_NOT_EQUAL_TO', 'IS_LESS_THAN', 'IS_LESS_THAN_OR_EQUAL_TO', 'IS_GREATER_THAN', 'IS_GREATER_THAN_OR_EQUAL_TO']),
    value: z.number(),
    includeObjectsWithNoValueSet: z.boolean(),
  }),
]);

const propertyFilter = z.object({ filterType: z.literal('PROPERTY'), property: z.string().min(1), operation: propertyOperation });
export type SandboxPropertyFilter = z.infer<typeof propertyFilter>;

const andBranch = z.object({
  filterBranchType: z.literal('AND'),
  filterBranchOperator: z.literal('AND'),
  filterBranches: z.array(z.unknown()).max(0, 'nested branches under an AND branch are not supported by the sandbox'),
  filters: z.array(propertyFilter).min(1),
});

/** The root must be an OR branch whose children are AND branches holding the filters. */
export const filterBranchSchema = z.object({
  filterBranchType: z.literal('OR'),
  filterBranchOperator: z.literal('OR'),
  filterBranches: z.array(andBranch).min(1),
  filters: z.array(z.unknown()).max(0, 'the OR root holds branches, not filters'),
});
export type SandboxFilterBranch = z.infer<typeof filterBranchSchema>;

export const listCreateSchema = z.object({
  name: z.string().trim().min(1),
  objectTypeId: z.string(),
  processingType: z.enum(['MANUAL', 'DYNAMIC', 'SNAPSHOT']),
  filterBranch: z.unknown().optional(),
  listFolderId: z.number().int().optional(),
});

export interface SandboxList {
  listId: string;
  listVersion: number;
  name: string;
  objectTypeId: ListObjectTypeId;
  processingType: 'MANUAL' | 'DYNAMIC' | 'SNAPSHOT';
  processingStatus: 'COMPLETE';
  filterBranch?: SandboxFilterBranch;
  createdAt: string;
  updatedAt: string;
  filtersUpdatedAt?: string;
}

/** The lists of the portal, by id. Names are unique across the portal (spec: "globally unique across all public lists"). */
export class SandboxLists {
  readonly byId = new Map<string, SandboxList>();
  private nextId = 101;

  byName(name: string, objectTypeId?: string): SandboxList | undefined {
    const lower = name.toLowerCase();
    return [...this.byId.values()].find((l) => l.name.toLowerCase() === lower && (objectTypeId === undefined || l.objectTypeId === objectTypeId));
  }

  create(input: Omit<SandboxList, 'listId' | 'listVersion' | 'processingStatus' | 'createdAt' | 'updatedAt'>): SandboxList {
    const now = new Date().toISOString();
    const list: SandboxList = { ...input, listId: String(this.nextId++), listVersion: 1, processingStatus: 'COMPLETE', createdAt: now, updatedAt: now };
    if (input.filterBranch) list.filtersUpdatedAt = now;
    this.byId.set(list.listId, list);
    return list;
  }

  update(list: SandboxList, change: { name?: string; filterBranch?: SandboxFilterBranch }): SandboxList {
    const now = new Date().toISOString();
    if (change.name !== undefined) list.name = change.name;
    if (change.filterBranch !== undefined) {
      list.filterBranch = change.filterBranch;
      list.filtersUpdatedAt = now;
    }
    list.listVersion += 1;
    list.updatedAt = now;
    return list;
  }
}

/** A list as the API returns it; filters only when asked (`includeFilters=true`). */
export function listView(list: SandboxList, includeFilters: boolean): Omit<SandboxList, 'filterBranch'> & { filterBranch?: SandboxFilterBranch } {
  const { filterBranch, ...rest } = list;
  return includeFilters && filterBranch ? { ...rest, filterBranch } : rest;
}
