/**
 * Regenerates this Salesforce DX project from an ICP model, so the tier and tag picklists match it:
 *
 *   node integrations/salesforce/generate.ts --model config/icp.yaml \
 *     --endpoint "https://icp.example.com/webhooks/salesforce?token=…" --user integration@acme.com
 *
 * Options: --model PATH (default: ICP_MODEL_PATH or config/icp.example.yaml), --objects Account,Lead,
 * --endpoint URL, --user USERNAME, --api 65.0, --out DIR (default: this folder).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadModel } from '../../src/config/model-loader.ts';
import { renderDxProject } from '../../src/connectors/salesforce/dx-source.ts';
import { buildOutputFields } from '../../src/connectors/salesforce/output-fields.ts';

export const PLACEHOLDER_ENDPOINT = 'https://icp-sync.example.com/webhooks/salesforce?token=CHANGE_ME';
export const PLACEHOLDER_USER = 'integration-user@example.com';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    objects: { type: 'string', default: 'Account,Lead' },
    endpoint: { type: 'string', default: PLACEHOLDER_ENDPOINT },
    user: { type: 'string', default: PLACEHOLDER_USER },
    api: { type: 'string', default: '65.0' },
    out: { type: 'string', default: dirname(fileURLToPath(import.meta.url)) },
  },
});

const { scorer, path } = await loadModel(values.model ?? process.env.ICP_MODEL_PATH ?? 'config/icp.example.yaml');
const files = renderDxProject({
  objectTypes: values.objects.split(',').map((s) => s.trim()).filter(Boolean),
  outputFields: buildOutputFields(),
  spec: { tiers: scorer.tierNames, tags: scorer.tags },
  apiVersion: values.api,
  endpointUrl: values.endpoint,
  integrationUsername: values.user,
});
for (const [rel, text] of files) {
  const target = join(values.out, rel);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}
console.log(`wrote ${files.size} files to ${values.out} from ${path}`);
