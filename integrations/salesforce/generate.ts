/**
 * Regenerates this Salesforce DX project from an ICP model, so the tier, tag, role and priority-tier
 * picklists match it:
 *
 *   node integrations/salesforce/generate.ts --model config/icp.yaml \
 *     --endpoint "https://icp.example.com/webhooks/salesforce?token=…" --user integration@acme.com
 *
 * Options: --model PATH (default: ICP_MODEL_PATH or config/icp.example.yaml), --objects Account,Lead,
 * --endpoint URL, --user USERNAME, --api 65.0, --out DIR (default: this folder), --no-people (leave out the
 * Contact fields, flows and outbound message, and the person fields of Leads and Accounts). A model without
 * roles renders the people part from PRODUCT.md's example roles (see `examplePeopleSpec`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadModel } from '../../src/config/model-loader.ts';
import { examplePeopleSpec, renderDxProject } from '../../src/connectors/salesforce/dx-source.ts';
import { plannedListViews } from '../../src/connectors/salesforce/list-views.ts';
import { loadMappings } from '../../src/mappings/load.ts';
import { DEFAULT_VIEWS, topTierNames } from '../../src/mappings/views.ts';
import { objectOutputFields } from '../../src/connectors/salesforce/output-fields.ts';
import { setupSpecOf } from '../../src/connectors/setup-spec.ts';

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
    'no-people': { type: 'boolean', default: false },
  },
});

const { scorer, path } = await loadModel(values.model ?? process.env.ICP_MODEL_PATH ?? 'config/icp.example.yaml');
const base = setupSpecOf(scorer);
const { people: modelPeople, ...fit } = base;
const people = values['no-people'] ? undefined : (modelPeople ?? examplePeopleSpec(scorer.model.excludedTier));
const objectTypes = values.objects.split(',').map((s) => s.trim()).filter(Boolean);
const mappings = await loadMappings(process.env.ICP_MAPPINGS_PATH ? { path: process.env.ICP_MAPPINGS_PATH, required: true } : {});
const files = renderDxProject({
  objectTypes,
  outputFields: (objectType) => objectOutputFields(objectType),
  spec: { ...fit, ...(people ? { people } : {}) },
  apiVersion: values.api,
  endpointUrl: values.endpoint,
  integrationUsername: values.user,
  listViews: plannedListViews({
    views: mappings.views ?? DEFAULT_VIEWS,
    ...topTierNames(scorer.model),
    people: people !== undefined,
    committee: people?.committee === true,
    objectTypes,
    outputFields: (objectType) => objectOutputFields(objectType),
  }),
});
for (const [rel, text] of files) {
  const target = join(values.out, rel);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}
console.log(`wrote ${files.size} files to ${values.out} from ${path}${people ? '' : ' (no people)'}`);
