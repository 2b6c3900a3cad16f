/**
 * `setup hubspot --remove`: deletes what setup created — the ICP lists (by the list registry), the output
 * properties and the `icp_sync` groups — and nothing else. A property is icp-sync's when it sits in the
 * `icp_sync` group (setup creates every property there) **and** carries one of the output names; a property
 * named in the mappings but created elsewhere (another group), and HubSpot's own `hs_ideal_customer_profile`,
 * are never deleted. A group is deleted only once no other property is left in it.
 * HubSpot moves a deleted property to its recycling bin ("Archive a property"), from which it can be restored.
 */
import { z } from 'zod';
import { CrmAuthError } from '../../errors.ts';
import type { OutputField, SetupReport } from '../port.ts';
import type { HubSpotHttpClient } from './http-client.ts';
import { removeLists, type ListContext } from './lists.ts';
import { BUILTIN_TIER_PROPERTY, OUTPUT_GROUP } from './output-fields.ts';
import type { HubSpotPaths } from './paths.ts';
import { parseVendor } from './records.ts';

const propertyListSchema = z.object({ results: z.array(z.object({ name: z.string(), groupName: z.string().optional() }).loose()) });

export interface RemoveContext extends ListContext {
  client: HubSpotHttpClient;
  paths: HubSpotPaths;
  /** Object type → every output field icp-sync may have created on it (whatever the current model). */
  outputs: ReadonlyArray<readonly [objectType: string, fields: readonly OutputField[]]>;
}

export async function runRemove(ctx: RemoveContext, dryRun: boolean): Promise<SetupReport> {
  const report: SetupReport = { changed: [], unchanged: [], problems: [] };
  await removeLists(ctx, dryRun, report);
  if (!ctx.registry.durable) report.unchanged.push('Redis does not answer: icp-sync cannot tell which lists it created, so no list is deleted');
  for (const [objectType, fields] of ctx.outputs) await removeObject(ctx, objectType, fields, dryRun, report);
  return report;
}

async function removeObject(ctx: RemoveContext, objectType: string, fields: readonly OutputField[], dryRun: boolean, report: SetupReport): Promise<void> {
  const would = dryRun ? 'would ' : '';
  const { client, paths } = ctx;
  const names = new Set(fields.map((f) => f.name).filter((n) => n !== BUILTIN_TIER_PROPERTY));
  try {
    const res = await client.request({ method: 'GET', path: paths.properties(objectType), query: { archived: false }, label: 'properties list' });
    const all = parseVendor(propertyListSchema, res.body, 'properties list').results;
    const inGroup = all.filter((p) => p.groupName === OUTPUT_GROUP.name);
    const ours = inGroup.filter((p) => names.has(p.name));
    for (const p of ours) {
      if (!dryRun) await client.request({ method: 'DELETE', path: `${paths.properties(objectType)}/${p.name}`, accept: [404], label: 'property delete' });
      report.changed.push(`${would}delete property ${p.name} on ${objectType}`);
    }
    for (const name of names) {
      const other = all.find((p) => p.name === name && p.groupName !== OUTPUT_GROUP.name);
      if (other) report.unchanged.push(`property ${name} on ${objectType} kept: it is in group ${other.groupName ?? '(none)'}, so icp-sync did not create it`);
    }
    const left = inGroup.filter((p) => !names.has(p.name));
    const group = await client.request({ method: 'GET', path: `${paths.groups(objectType)}/${OUTPUT_GROUP.name}`, accept: [404], label: 'group get' });
    if (group.status === 404) return;
    if (left.length > 0) {
      report.unchanged.push(`property group ${OUTPUT_GROUP.name} on ${objectType} kept: it holds ${left.length} propert${left.length > 1 ? 'ies' : 'y'} icp-sync did not create (${left.map((p) => p.name).join(', ')})`);
      return;
    }
    if (!dryRun) await client.request({ method: 'DELETE', path: `${paths.groups(objectType)}/${OUTPUT_GROUP.name}`, accept: [404], label: 'group delete' });
    report.changed.push(`${would}delete property group ${OUTPUT_GROUP.name} on ${objectType}`);
  } catch (err) {
    if (err instanceof CrmAuthError) {
      report.problems.push(`${objectType}: ${err.message}`);
      return;
    }
    throw err;
  }
}

/**
 * For `setup --check`: icp-sync's properties (in the `icp_sync` group, with an output name) that the current
 * model does not need — the committee properties of a model without a required role, the contact
 * properties of a model without roles. Reported, never deleted (records may still hold values).
 */
export async function unneededProperties(
  ctx: Pick<RemoveContext, 'client' | 'paths'>,
  outputs: ReadonlyArray<readonly [objectType: string, fields: readonly OutputField[], needed: (f: OutputField) => boolean]>,
): Promise<string[]> {
  const lines: string[] = [];
  for (const [objectType, fields, needed] of outputs) {
    const unneeded = new Set(fields.filter((f) => !needed(f)).map((f) => f.name));
    if (unneeded.size === 0) continue;
    const res = await ctx.client.request({ method: 'GET', path: ctx.paths.properties(objectType), query: { archived: false }, label: 'properties list' });
    for (const p of parseVendor(propertyListSchema, res.body, 'properties list').results) {
      if (p.groupName === OUTPUT_GROUP.name && unneeded.has(p.name)) {
        lines.push(`property ${p.name} on ${objectType} was created by icp-sync and the current model no longer needs it (\`setup hubspot --remove\` deletes every icp-sync property)`);
      }
    }
  }
  return lines;
}
