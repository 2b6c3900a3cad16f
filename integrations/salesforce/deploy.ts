/**
 * Deploys this Salesforce DX project to an org, refusing one that still carries placeholder values:
 *
 *   node integrations/salesforce/deploy.ts --target-org acme [--dry-run]
 *
 * Runs `sf project deploy start --source-dir force-app --test-level RunSpecifiedTests --tests
 * ICP_Sync_Flows_Test --target-org <org>`: the Apex test launches every ICP Sync flow, which is what a
 * production org with "Deploy processes and flows as active" needs to keep the flows active (without that
 * setting, production receives them inactive). `--dry-run` validates without saving (sf's own `--dry-run`).
 * Exits 2 before calling Salesforce when an endpoint or integration user is a placeholder (regenerate with
 * generate.ts first), else with sf's exit code.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deployProblems } from '../../src/connectors/salesforce/dx-deploy-check.ts';
import { FLOW_TEST_CLASS } from '../../src/connectors/salesforce/dx-flows.ts';

const { values } = parseArgs({
  options: {
    'target-org': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    dir: { type: 'string', default: dirname(fileURLToPath(import.meta.url)) },
  },
});

function readTree(root: string, dir = root, out = new Map<string, string>()): Map<string, string> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) readTree(root, path, out);
    else out.set(relative(root, path), readFileSync(path, 'utf8'));
  }
  return out;
}

const problems = deployProblems(readTree(values.dir, join(values.dir, 'force-app')));
if (problems.length > 0) {
  process.stderr.write(
    `deploy.ts: this project is not deployable as it is:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
      'Regenerate it with your endpoint and integration user:\n' +
      '  node integrations/salesforce/generate.ts --model config/icp.yaml --endpoint "https://<PUBLIC_BASE_URL>/webhooks/salesforce?token=<SALESFORCE_WEBHOOK_TOKEN>" --user <integration username>\n',
  );
  process.exit(2);
}
if (!values['target-org']) {
  process.stderr.write('deploy.ts: --target-org <alias or username> is required\n');
  process.exit(2);
}
const args = ['project', 'deploy', 'start', '--source-dir', 'force-app', '--test-level', 'RunSpecifiedTests', '--tests', FLOW_TEST_CLASS, '--target-org', values['target-org'], ...(values['dry-run'] ? ['--dry-run'] : [])];
console.log(`sf ${args.join(' ')}`);
const run = spawnSync('sf', args, { cwd: values.dir, stdio: 'inherit' });
if (run.error) {
  process.stderr.write(`deploy.ts: could not run the Salesforce CLI (sf): ${run.error.message}\n`);
  process.exit(1);
}
process.exit(run.status ?? 1);
