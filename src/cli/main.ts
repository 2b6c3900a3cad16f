/**
 * The `icp-sync` command line. Each command lives in `src/cli/commands/<name>.ts` and exports
 * `register(program, ctx)`; command modules stay light and import heavy code inside their actions.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../errors.ts';
import { CliError, type CliContext } from './context.ts';

export interface CommandModule {
  register(program: Command, ctx: CliContext): void;
}

const commandsDir = fileURLToPath(new URL('./commands/', import.meta.url));

async function loadCommands(): Promise<CommandModule[]> {
  const files = readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .sort();
  return Promise.all(files.map(async (f) => (await import(new URL(`./commands/${f}`, import.meta.url).href)) as CommandModule));
}

export async function buildProgram(ctx: CliContext): Promise<Command> {
  const program = new Command('icp-sync')
    .description('Keeps an ICP fit score, tier, tags and reasons on every CRM account.')
    .showHelpAfterError()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    })
    .exitOverride();
  for (const mod of await loadCommands()) mod.register(program, ctx);
  for (const cmd of program.commands) cmd.exitOverride().showHelpAfterError();
  return program;
}

export async function main(
  argv: readonly string[],
  io: Partial<Pick<CliContext, 'stdout' | 'stderr'>> = {},
): Promise<number> {
  const ctx: CliContext = { stdout: io.stdout ?? process.stdout, stderr: io.stderr ?? process.stderr, exitCode: 0 };
  const program = await buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit with 0; usage errors were already printed by commander.
      return err.exitCode;
    }
    if (err instanceof ConfigError) {
      ctx.stderr.write(`${err.problems.join('\n')}\n`);
      return 1;
    }
    if (err instanceof CliError) {
      ctx.stderr.write(`icp-sync: ${err.message}\n`);
      return err.exitCode;
    }
    ctx.stderr.write(`icp-sync: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
