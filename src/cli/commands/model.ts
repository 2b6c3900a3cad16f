/**
 * `icp-sync model history|show|diff|publish|rollback|export`: the model history shared by every
 * process in Redis (see docs/operations.md, "Model versions"). A publish or rollback reaches every
 * running process within seconds; `export` writes the history as files to commit to Git.
 */
import type { Command } from 'commander';
import type { Runtime } from '../../pipeline/runtime-types.ts';
import { CliError, type CliContext } from '../context.ts';

function revisionOf(s: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`revision must be a positive integer, not ${JSON.stringify(s)}`, 2);
  return n;
}

async function withRuntime<T>(fn: (runtime: Runtime) => Promise<T>): Promise<T> {
  const { openRuntime } = await import('../../pipeline/cli-support.ts');
  const { runtime, close } = await openRuntime({ workers: false });
  try {
    return await fn(runtime);
  } finally {
    await close();
  }
}

/** Store refusals as one line each, with the exit code of a usage problem (3: nothing found). */
async function storeErrors<T>(p: Promise<T>): Promise<T> {
  const { ModelRevisionNotFoundError, ModelVersionTakenError } = await import('../../model-store/errors.ts');
  try {
    return await p;
  } catch (err) {
    if (err instanceof ModelRevisionNotFoundError) throw new CliError(`${err.message} (see \`icp-sync model history\`)`, 3);
    if (err instanceof ModelVersionTakenError) throw new CliError(err.message, 1);
    throw err;
  }
}

export function register(program: Command, ctx: CliContext): void {
  const model = program.command('model').description('the model history: list, show, diff, publish, roll back, export');
  model
    .command('history')
    .description('list the model versions published, newest first (the first is active)')
    .option('--limit <n>', 'entries to show', '50')
    .option('--json', 'print JSON', false)
    .action(async (opts: { limit: string; json: boolean }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new CliError('--limit must be a positive integer', 2);
      await withRuntime(async (runtime) => {
        const rows = await runtime.models.history({ limit });
        if (opts.json) {
          ctx.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        for (const [i, r] of rows.entries()) {
          const origin = r.source === 'rollback' ? `rollback of ${r.rollbackOf ?? '?'}` : r.source === 'file' ? `file ${r.path ?? ''}` : 'console';
          ctx.stdout.write(`${i === 0 ? '*' : ' '} ${r.revision}\t${r.version}\t${r.publishedAt}\t${r.author}\t${origin}${r.note === '' ? '' : `\t${r.note.replace(/\s+/g, ' ')}`}\n`);
        }
        if (rows.length === 0) ctx.stdout.write('no model in the history yet\n');
      });
    });
  model
    .command('show')
    .description('print the text of one revision (default: the active one)')
    .argument('[revision]', 'revision number')
    .action(async (revision: string | undefined) => {
      await withRuntime(async (runtime) => {
        const entry = revision === undefined ? await runtime.models.active() : await runtime.models.get(revisionOf(revision));
        if (entry === undefined) throw new CliError(revision === undefined ? 'the model history is empty' : `no model revision ${revision} in the history`, 3);
        ctx.stdout.write(entry.yaml.endsWith('\n') ? entry.yaml : `${entry.yaml}\n`);
      });
    });
  model
    .command('diff')
    .description('what changes from one revision to another (default: the active one)')
    .argument('<from>', 'revision number')
    .argument('[to]', 'revision number')
    .action(async (from: string, to: string | undefined) => {
      await withRuntime(async (runtime) => {
        const target = to === undefined ? await runtime.models.head() : revisionOf(to);
        const d = await storeErrors(runtime.models.diff(revisionOf(from), target));
        ctx.stdout.write(`revision ${d.from.revision} (${d.from.version}) → ${d.to.revision} (${d.to.version})\n`);
        for (const c of d.changes) ctx.stdout.write(`  ${c.text}\n`);
        if (d.changes.length === 0) ctx.stdout.write('  no change in the model\n');
      });
    });
  model
    .command('publish')
    .description('publish a model file as the new active model of every process')
    .argument('<file>', 'model file (YAML or JSON)')
    .requiredOption('--author <name>', 'who publishes (kept in the history)')
    .option('--note <text>', 'why', '')
    .action(async (file: string, opts: { author: string; note: string }) => {
      const { readFile } = await import('node:fs/promises');
      let yaml: string;
      try {
        yaml = await readFile(file, 'utf8');
      } catch (err) {
        throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
      }
      await withRuntime(async (runtime) => {
        const e = await storeErrors(runtime.models.publish({ yaml, author: opts.author, note: opts.note }));
        ctx.stdout.write(`published revision ${e.revision} (version ${e.version}): every process uses it within seconds\n`);
      });
    });
  model
    .command('rollback')
    .description('make an earlier revision the active model again (a new history entry)')
    .argument('<revision>', 'revision number')
    .requiredOption('--author <name>', 'who rolls back (kept in the history)')
    .option('--note <text>', 'why', '')
    .action(async (revision: string, opts: { author: string; note: string }) => {
      await withRuntime(async (runtime) => {
        const e = await storeErrors(runtime.models.rollback(revisionOf(revision), { author: opts.author, note: opts.note }));
        ctx.stdout.write(`revision ${e.revision}: version ${e.version} (from revision ${revision}) is active again\n`);
      });
    });
  model
    .command('export')
    .description('write every revision as a YAML file into a directory (to commit to Git)')
    .argument('<dir>', 'directory (created when missing)')
    .action(async (dir: string) => {
      const { mkdir, writeFile } = await import('node:fs/promises');
      const { join } = await import('node:path');
      await withRuntime(async (runtime) => {
        const files = await runtime.models.exportHistory();
        await mkdir(dir, { recursive: true });
        for (const f of files) await writeFile(join(dir, f.fileName), f.yaml);
        ctx.stdout.write(`${files.length} model file${files.length === 1 ? '' : 's'} written to ${dir}\n`);
      });
    });
}
