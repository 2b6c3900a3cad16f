/**
 * `icp-sync backfill <crm>`: rescores every record of a CRM. The run lives in Redis: it resumes from
 * its last page after a restart, and running the command again shows (and resumes) the same run.
 */
import type { Command } from 'commander';
import { changesInFlight } from '../../pipeline/in-flight.ts';
import type { Runtime } from '../../pipeline/runtime-types.ts';
import type { CliContext } from '../context.ts';

interface BackfillOptions {
  object?: string;
  wait?: boolean;
  work: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('backfill')
    .description('rescore every record of a CRM (resumable); shows progress, counts and ETA on a terminal')
    .argument('<crm>', 'hubspot or salesforce')
    .option('--object <type>', 'only this object type: companies or contacts (HubSpot), Account, Lead or Contact (Salesforce); contacts only with a model that has roles')
    .option('--wait', 'stay until the run is done, showing progress (default on a terminal)')
    .option('--no-wait', 'start or resume the run and return at once')
    .option('--no-work', 'do not run workers in this process (leave the work to `start`/`work` processes)')
    .action(async (crmArg: string, opts: BackfillOptions) => {
      const { openRuntime, parseCrm } = await import('../../pipeline/cli-support.ts');
      const { progressLine } = await import('../../pipeline/progress-line.ts');
      const crm = parseCrm(crmArg);
      const tty = ctx.stderr.isTTY === true;
      const wait = opts.wait ?? tty;
      const { runtime, close } = await openRuntime({ workers: wait && opts.work, crm });
      let interrupted = false;
      const onSignal = () => {
        interrupted = true;
      };
      process.once('SIGINT', onSignal);
      try {
        const { id } = await runtime.startBackfill(crm, opts.object);
        ctx.stdout.write(`backfill ${id} of ${crm}${opts.object ? ` ${opts.object}` : ''} started (or resumed)\n`);
        if (!wait) return;
        const startedAt = Date.now();
        const atStart = new Map((await runtime.backfillStatus(crm)).map((s) => [s.objectType, s.processed]));
        let lastPrinted = 0;
        for (;;) {
          const states = (await runtime.backfillStatus(crm)).filter((s) => s.run === id && (!opts.object || s.objectType === opts.object));
          const lines = states.map((s) => progressLine(s, Date.now() - startedAt, atStart.get(s.objectType) ?? 0));
          const done = states.length > 0 && states.every((s) => s.status === 'done');
          if (tty) ctx.stderr.write(`\r\x1b[K${lines.join(' | ')}`);
          else if (done || Date.now() - lastPrinted > 10_000) {
            ctx.stderr.write(`${lines.join('\n')}\n`);
            lastPrinted = Date.now();
          }
          if (done) break;
          if (interrupted) {
            ctx.stderr.write('\nstopped waiting; the run goes on in the workers and resumes with `icp-sync backfill`\n');
            return;
          }
          await new Promise((r) => setTimeout(r, 500));
        }
        if (tty) ctx.stderr.write('\n');
        if (opts.work && runtime.objectTypes(crm).some((t) => runtime.connectors.get(crm)?.objectKinds[t] === 'person')) {
          // Buying roles: people moved their accounts' committees; let those cascades finish here.
          await settle(runtime, crm, () => interrupted);
        }
        for (const s of (await runtime.backfillStatus(crm)).filter((x) => x.run === id)) {
          ctx.stdout.write(`${s.crm} ${s.objectType}: ${s.processed} processed, ${s.written} written, ${s.unchanged} unchanged, ${s.failed} failed, ${s.missing} gone\n`);
        }
      } finally {
        process.off('SIGINT', onSignal);
        await close();
      }
    });
}

/** Waits until no change is pending or queued for this CRM (two quiet polls in a row). */
async function settle(runtime: Runtime, crm: string, interrupted: () => boolean): Promise<void> {
  let quiet = 0;
  while (quiet < 2 && !interrupted()) {
    quiet = changesInFlight(await runtime.status(), crm, { delayed: false }) === 0 ? quiet + 1 : 0;
    if (quiet < 2) await new Promise((r) => setTimeout(r, 500));
  }
}
