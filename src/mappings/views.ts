/**
 * Segmented views (`views` in `config/mappings.yaml`): the ready-made CRM views `icp-sync setup <crm>`
 * creates and keeps in line with the model — HubSpot active lists, Salesforce list views.
 * Names are templates: `{tier}` is the model's top tier, `{priorityTier}` its top priority tier, so a
 * renamed tier renames the view.
 */
import { z } from 'zod';
import { DEFAULT_PRIORITY_TIERS } from '../domain/roles.ts';
import type { IcpModel, Tier } from '../domain/types.ts';

/** The views icp-sync knows how to build. */
export const VIEW_IDS = ['topTierCompanies', 'topPriorityContacts', 'incompleteCommittee'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

export interface ViewConfig {
  /** False: the view is neither created nor kept (an existing one made by icp-sync is left until `setup --remove`). */
  enabled: boolean;
  /** Name template; `{tier}` and `{priorityTier}` are replaced with the model's top tier names. */
  name: string;
}

/**
 * Who sees the Salesforce list views (Metadata API `sharedTo`; list views cannot be shared through a
 * permission set): every internal user, or one public group or role (developer names).
 */
export type SalesforceSharedTo = 'allInternalUsers' | { group: string } | { role: string } | { roleAndSubordinates: string };

export type ViewsConfig = Readonly<Record<ViewId, ViewConfig>> & { readonly salesforceSharedTo: SalesforceSharedTo };

export const DEFAULT_VIEWS: ViewsConfig = {
  topTierCompanies: { enabled: true, name: 'ICP · Tier {tier} companies' },
  topPriorityContacts: { enabled: true, name: 'ICP · {priorityTier} contacts' },
  incompleteCommittee: { enabled: true, name: 'ICP · Tier {tier} with an incomplete buying committee' },
  salesforceSharedTo: 'allInternalUsers',
};

const developerName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a developer name (letters, digits, "_")');
const sharedToSchema = z.union(
  [
    z.literal('allInternalUsers'),
    z.strictObject({ group: developerName }),
    z.strictObject({ role: developerName }),
    z.strictObject({ roleAndSubordinates: developerName }),
  ],
  { error: 'must be allInternalUsers, {group: DeveloperName}, {role: DeveloperName} or {roleAndSubordinates: DeveloperName}' },
);

const PLACEHOLDERS = ['tier', 'priorityTier'] as const;

const nameTemplate = z
  .string({ error: 'must be a text' })
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters (with the tier names filled in, lists and list views need short names)')
  .refine((s) => [...s.matchAll(/\{([^}]*)\}/g)].every((m) => (PLACEHOLDERS as readonly string[]).includes(m[1] ?? '')), {
    message: `may only use the placeholders ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
  });

const viewObject = z.strictObject({ enabled: z.boolean({ error: 'must be true or false' }).optional(), name: nameTemplate.optional() });
type ViewEntry = boolean | z.infer<typeof viewObject>;

/** Checks the one shape the value has, so a mistake gets that shape's precise message, not a union's. */
const viewSchema: z.ZodType<ViewEntry> = z.unknown().transform((v, ctx): ViewEntry => {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    ctx.addIssue({ code: 'custom', message: 'must be true, false or {enabled, name}' });
    return z.NEVER;
  }
  const r = viewObject.safeParse(v);
  if (r.success) return r.data;
  for (const issue of r.error.issues) {
    const message = issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
    ctx.addIssue({ code: 'custom', message, path: issue.path });
  }
  return z.NEVER;
}) as unknown as z.ZodType<ViewEntry>;

/** `views:` — each view `true`/`false` or `{enabled, name}`; unset views keep their defaults. */
export const viewsSchema = z.strictObject({
  ...(Object.fromEntries(VIEW_IDS.map((id) => [id, viewSchema.optional()])) as Record<ViewId, z.ZodOptional<z.ZodType<ViewEntry>>>),
  salesforceSharedTo: sharedToSchema.optional(),
});

export type ViewsFile = z.infer<typeof viewsSchema>;

export function mergeViews(base: ViewsConfig, over: ViewsFile | undefined): ViewsConfig {
  const out = { ...base, salesforceSharedTo: over?.salesforceSharedTo ?? base.salesforceSharedTo } as Record<ViewId, ViewConfig> & { salesforceSharedTo: SalesforceSharedTo };
  for (const id of VIEW_IDS) {
    const v = over?.[id];
    if (v === undefined) continue;
    out[id] = typeof v === 'boolean' ? { ...base[id], enabled: v } : { enabled: v.enabled ?? base[id].enabled, name: v.name ?? base[id].name };
  }
  return out;
}

/** Fills a name template: `renderViewName('ICP · Tier {tier} companies', {tier: 'A'})` → `ICP · Tier A companies`. */
export function renderViewName(template: string, values: Partial<Record<(typeof PLACEHOLDERS)[number], string>>): string {
  return template.replace(/\{(tier|priorityTier)\}/g, (_m, key: (typeof PLACEHOLDERS)[number]) => values[key] ?? '');
}

const topOf = (tiers: readonly Tier[]): string => [...tiers].sort((a, b) => b.min - a.min)[0]?.name ?? '';

/** The names the placeholders stand for: the tier and the priority tier with the highest `min`. */
export function topTierNames(model: IcpModel): { tier: string; priorityTier: string } {
  return { tier: topOf(model.tiers), priorityTier: topOf(model.priorityTiers ?? DEFAULT_PRIORITY_TIERS) };
}
