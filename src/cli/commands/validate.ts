/**
 * `icp-sync validate [--model PATH]`: loads the ICP model and prints a one-line summary, or every
 * problem found (one `file: path: what is wrong` line each) and exits 1.
 */
import { isAbsolute, relative } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_PRIORITY_TIERS } from '../../domain/roles.ts';
import type { IcpModel } from '../../domain/types.ts';
import type { CliContext } from '../context.ts';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('check the ICP model file and print a summary (exit 1 with every problem when invalid)')
    .option('--model <path>', 'ICP model file (default: $ICP_MODEL_PATH, else config/icp.yaml, else config/icp.example.yaml)')
    .action(async (opts: { model?: string }) => {
      const { loadModel } = await import('../../config/model-loader.ts');
      const { model, path } = await loadModel(opts.model);
      ctx.stdout.write(`${displayPath(path)}: valid — ${describeModel(model)}\n`);
      for (const line of describeRoles(model)) ctx.stdout.write(`${line}\n`);
      ctx.exitCode = 0;
    });
}

/** `model 2026.11 "PME SaaS France", 7 criteria (W=100), 2 exclusions, tiers A≥80 B≥60 C≥40 D≥0` */
export function describeModel(model: IcpModel): string {
  const weight = model.criteria.reduce((sum, c) => sum + c.weight, 0);
  const name = model.name === undefined ? '' : ` ${JSON.stringify(model.name)}`;
  const tiers = [...model.tiers]
    .sort((a, b) => b.min - a.min)
    .map((t) => `${t.name}≥${t.min}`)
    .join(' ');
  return [
    `model ${model.version}${name}`,
    `${plural(model.criteria.length, 'criterion', 'criteria')} (W=${Number(weight.toFixed(6))})`,
    plural(model.exclusions.length, 'exclusion', 'exclusions'),
    `tiers ${tiers} (excluded: ${model.excludedTier})`,
  ].join(', ');
}

/**
 * The buying roles, one line for the set and one per role:
 * `roles: 4 (required: Décideur, Acheteur), 5 ignored title patterns, default 0 points, priority tiers P1≥60 P2≥40 P3≥20 P4≥0`
 * `  decision_maker "Décideur": 1 point, required, 7 title patterns, HubSpot DECISION_MAKER, Salesforce "Decision Maker"`
 */
export function describeRoles(model: IcpModel): string[] {
  const set = model.roles;
  if (set === undefined) return [];
  const required = set.list.filter((r) => r.required).map((r) => r.label);
  const tiers = [...(model.priorityTiers ?? DEFAULT_PRIORITY_TIERS)]
    .sort((a, b) => b.min - a.min)
    .map((t) => `${t.name}≥${t.min}`)
    .join(' ');
  const head = [
    `roles: ${set.list.length}${required.length > 0 ? ` (required: ${required.join(', ')})` : ' (none required: no committee coverage)'}`,
    plural(set.ignoreTitles.length, 'ignored title pattern', 'ignored title patterns'),
    `default ${set.defaultPoints} points`,
    `priority tiers ${tiers} (excluded: ${model.excludedTier})`,
  ].join(', ');
  return [
    head,
    ...set.list.map((r) => {
      const parts = [`${r.points} ${r.points === 1 ? 'point' : 'points'}`];
      if (r.required) parts.push('required');
      parts.push(plural(r.titles.length, 'title pattern', 'title patterns'));
      if (r.hubspot.length > 0) parts.push(`HubSpot ${r.hubspot.join(', ')}`);
      if (r.salesforce.length > 0) parts.push(`Salesforce ${r.salesforce.map((v) => JSON.stringify(v)).join(', ')}`);
      return `  ${r.id} ${JSON.stringify(r.label)}: ${parts.join(', ')}`;
    }),
  ];
}

/** A path under the working directory is shown relative to it, as the user would type it. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
