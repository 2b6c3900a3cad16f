/**
 * `icp-sync demo`: the first thing to run. Needs only Node.js and a Redis (`REDIS_URL`, default
 * local); touches no real CRM and only its own private Redis keys.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { CliError, type CliContext } from '../context.ts';

interface DemoFlags {
  crm: string;
  companies: number;
  port?: number;
  host?: string;
  model?: string;
  keepRunning: boolean;
  logLevel: string;
}

function intIn(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return n;
  };
}

const CRMS = ['hubspot', 'salesforce'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function register(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('run icp-sync against a local CRM sandbox: setup, backfill, live webhook edits (needs only Redis)')
    .option('--crm <crm>', `sandbox CRM (${CRMS.join(', ')})`, 'hubspot')
    .option('--companies <n>', 'companies (HubSpot) or Accounts (Salesforce) seeded in the sandbox', intIn(10, 20_000), 300)
    .option('--port <port>', 'HTTP port of the service, 0 for any free port (default: $PORT or 3000)', intIn(0, 65_535))
    .option('--host <host>', 'interface to listen on (default: $HOST or 127.0.0.1)')
    .option('--model <path>', 'ICP model file (default: the example model)')
    .option('--keep-running', 'leave the sandbox and the service running, with their URLs, until Ctrl-C', false)
    .option('--log-level <level>', `service log level on stderr (${LOG_LEVELS.join(', ')})`, 'error')
    .action(async (flags: DemoFlags) => {
      const crm = CRMS.find((c) => c === flags.crm);
      if (!crm) throw new CliError(`--crm ${flags.crm}: the demo has sandboxes for ${CRMS.join(' and ')} only (see \`icp-sync demo --help\`)`, 2);
      const logLevel = LOG_LEVELS.find((l) => l === flags.logLevel);
      if (!logLevel) throw new CliError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`, 2);
      const { config } = await import('dotenv');
      // Only REDIS_URL, HOST/PORT and CONSOLE_EDITOR_SECRET are taken from the environment or .env:
      // the demo never reads CRM credentials, so it cannot touch a real CRM.
      const fileEnv: Record<string, string> = {};
      config({ quiet: true, processEnv: fileEnv });
      const pick = (key: string): string | undefined => process.env[key] ?? fileEnv[key];
      const envPort = pick('PORT');
      const consoleSecret = pick('CONSOLE_EDITOR_SECRET');
      const { runDemo } = await import('../../demo/run-demo.ts');
      const { DemoError } = await import('../../demo/demo-error.ts');
      try {
        ctx.exitCode = await runDemo(
          {
            crm,
            companies: flags.companies,
            port: flags.port ?? (envPort ? intIn(0, 65_535)(envPort) : 3000),
            host: flags.host ?? pick('HOST') ?? '127.0.0.1',
            redisUrl: pick('REDIS_URL') ?? 'redis://127.0.0.1:6379',
            keepRunning: flags.keepRunning,
            logLevel,
            ...(flags.model === undefined ? {} : { model: flags.model }),
            // The console's editor secret, when the user has one; else the demo makes one for the run.
            ...(consoleSecret === undefined ? {} : { consoleSecret }),
          },
          ctx.stdout,
        );
      } catch (err) {
        if (err instanceof DemoError) throw new CliError(err.message, 1);
        throw err;
      } finally {
        // Everything the demo opened is closed by now; a worker still inside a long job must not
        // keep the process alive (this timer does not hold it open by itself).
        setTimeout(() => process.exit(), 1000).unref();
      }
    });
}
