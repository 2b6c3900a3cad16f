/**
 * What the console needs from the pipeline runtime: the same runtime `start`/`serve` build
 * (src/pipeline/runtime-types.ts), narrowed to the calls the pages make.
 */
import type { Runtime } from '../pipeline/runtime-types.ts';

export type ConsoleRuntime = Pick<
  Runtime,
  'connectors' | 'objectTypes' | 'fields' | 'modelHealth' | 'status' | 'startBackfill' | 'backfillStatus' | 'rescore' | 'explain' | 'failed' | 'models' | 'activeModel' | 'preview' | 'mappings' | 'activeMappings' | 'crmFields' | 'calibration'
>;
