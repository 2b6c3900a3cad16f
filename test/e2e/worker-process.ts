/**
 * A real `icp-sync work`-style process for the crash tests: workers only, configured by the
 * environment it is spawned with. Prints `ready` once its workers run.
 */
import { parseEnv } from '../../src/config/env.ts';
import { createLogger } from '../../src/logging.ts';
import { createRuntime } from '../../src/pipeline/runtime.ts';

const env = parseEnv(process.env);
const runtime = await createRuntime({ env, logger: createLogger({ level: env.LOG_LEVEL, destination: process.stderr }), workers: true });
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void runtime.close().then(() => process.exit(0));
});
