/**
 * `icp-sync validate [--model PATH]`: loads the ICP model and prints a one-line summary, or every
 * problem found (one `file: path: what is wrong` line each) and exits 1.
 */
import { isAbsolute, relative } from 'node:path';
import type { Command } from 'commander';
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

/** A path under the working directory is shown relative to it, as the user would type it. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
