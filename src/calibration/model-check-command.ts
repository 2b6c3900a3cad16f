/**
 * `icp-sync calibrate --crm NAME --check`: the model-health check of the running service, on demand.
 * The active model (the deployment's model history, as the service uses it) is scored on the deals the
 * CRM closed since it was published; the verdict is stored with the service's own checks (so
 * `/admin/model` and `/metrics` show it) and printed. Exit 0 when nothing needs attention (too few
 * deals included), 4 when a warning is raised.
 */
import type { CliContext } from '../cli/context.ts';
import { CliError } from '../cli/context.ts';
import { openRuntime } from '../pipeline/cli-support.ts';
import { healthLine, type ModelHealthReport } from '../pipeline/model-health.ts';
import type { CalibrationCrm } from './crm-deal-reader.ts';

/** Exit code of a check that raised a warning. */
export const EXIT_MODEL_WARNING = 4;

const pct = (x: number | null): string => (x === null ? '–' : `${Math.round(x * 100)} %`);

export function formatHealthReport(r: ModelHealthReport): string {
  const lines = [healthLine(r)];
  if (r.n > 0) {
    lines.push('', 'tier  deals  won  win rate');
    for (const t of r.tiers) lines.push(`${t.tier.padEnd(4)}  ${String(t.n).padStart(5)}  ${String(t.won).padStart(3)}  ${pct(t.winRate).padStart(8)}`);
    if (r.topTier?.lift != null) lines.push(`lift of tier ${r.topTier.tier}: ${r.topTier.lift.toFixed(2)} (its win rate over all deals')`);
  }
  for (const w of r.warnings) lines.push(`warning: ${w.message}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
}

export async function runModelCheckCommand(crm: CalibrationCrm, format: 'text' | 'json', ctx: CliContext): Promise<number> {
  const opened = await openRuntime({ workers: false, crm });
  try {
    const monitor = opened.runtime.modelHealth;
    if (monitor === undefined) throw new CliError('this runtime has no model-health monitor', 1);
    const { ran, reports } = await monitor.check({ crms: [crm] });
    let report = reports.find((r) => r.crm === crm);
    if (!ran) {
      ctx.stderr.write('note: a check is running in another process: showing the last stored one\n');
      report = (await monitor.snapshot()).crms.find((c) => c.crm === crm)?.latest ?? undefined;
    }
    if (report === undefined) throw new CliError(`no model-health check of ${crm} could be made (see the log above)`, 1);
    ctx.stdout.write(format === 'json' ? `${JSON.stringify(report)}\n` : formatHealthReport(report));
    return report.warnings.length > 0 ? EXIT_MODEL_WARNING : 0;
  } finally {
    await opened.close();
  }
}
