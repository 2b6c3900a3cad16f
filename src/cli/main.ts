/**
 * The `icp-sync` command line. Each command lives in `src/cli/commands/<name>.ts` and exports
 * `register(program, ctx)`; command modules stay light and import heavy code inside their actions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../errors.ts';
import { terminalSafe } from '../io/terminal-text.ts';
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

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/** `icp-sync failed retry` for the `retry` command under `failed`. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * A usage error is one line and a pointer to the help, as the best CLIs do (the whole help
 * would bury the line that matters): `icp-sync: unknown option '--bogus' (see `icp-sync score --help`)`.
 */
function configure(cmd: Command, ctx: CliContext): void {
  cmd
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      outputError: (message, write) => {
        const line = message.replace(/^error: /i, '').trimEnd();
        write(`icp-sync: ${terminalSafe(line).replace(/␊/g, ' ')} (see \`${commandPath(cmd)} --help\`)\n`);
      },
    });
  for (const sub of cmd.commands) configure(sub, ctx);
}

export async function buildProgram(ctx: CliContext): Promise<Command> {
  const program = new Command('icp-sync')
    .description('Keeps an ICP fit score, tier, tags and reasons on every CRM account.')
    .version(packageVersion(), '-V, --version', 'print the version');
  for (const mod of await loadCommands()) mod.register(program, ctx);
  configure(program, ctx);
  return program;
}

/** A port already taken, said as the user can act on it. */
function listenProblem(err: unknown): string | undefined {
  const e = err as (NodeJS.ErrnoException & { port?: unknown; address?: unknown }) | undefined;
  if (e?.code === 'EADDRINUSE') {
    const where = typeof e.port === 'number' ? `port ${e.port}${typeof e.address === 'string' ? ` on ${e.address}` : ''}` : 'the port';
    return `${where} is already in use: stop what listens there, or choose another port (PORT, or --port for the demo)`;
  }
  if (e?.code === 'EACCES' && typeof e.port === 'number') return `port ${e.port} needs privileges: choose a port above 1023 (PORT)`;
  if (e?.code === 'EADDRNOTAVAIL') return `${typeof e.address === 'string' ? e.address : 'that address'} is not an address of this machine (HOST)`;
  return undefined;
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
      ctx.stderr.write(`${err.problems.map((p) => terminalSafe(p)).join('\n')}\n`);
      return 1;
    }
    if (err instanceof CliError) {
      ctx.stderr.write(`icp-sync: ${terminalSafe(err.message)}\n`);
      return err.exitCode;
    }
    const problem = listenProblem(err) ?? listenProblem((err as { cause?: unknown } | undefined)?.cause);
    ctx.stderr.write(`icp-sync: ${terminalSafe(problem ?? (err instanceof Error ? err.message : String(err)))}\n`);
    return 1;
  }
}
