/**
 * Regenerates this Salesforce DX project from an ICP model, so the tier, tag, role and priority-tier
 * picklists match it, with your endpoint and integration user:
 *
 *   node integrations/salesforce/generate.ts --model config/icp.yaml \
 *     --endpoint "https://icp.acme.com/webhooks/salesforce?token=$SALESFORCE_WEBHOOK_TOKEN" --user integration@acme.com
 *
 * Options: --model PATH (default: ICP_MODEL_PATH or config/icp.example.yaml), --objects Account,Lead,
 * --endpoint URL (default: PUBLIC_BASE_URL/webhooks/salesforce?token=SALESFORCE_WEBHOOK_TOKEN from the
 * environment or .env), --user USERNAME (default: SALESFORCE_USERNAME), --api 65.0, --out DIR (default: this
 * folder), --no-people (leave out the Contact fields, flows and outbound message, and the person fields of
 * Leads and Accounts), --placeholders (write the committed copy's placeholder endpoint and user, which
 * deploy.ts refuses). Without an endpoint and a user, or with placeholder ones, it writes nothing and exits 2.
 * A model without roles renders the people part from PRODUCT.md's example roles (see `examplePeopleSpec`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { config as loadDotenv } from 'dotenv';
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
import { PLACEHOLDER_ENDPOINT, PLACEHOLDER_USER, endpointProblems, userProblems } from '../../src/connectors/salesforce/dx-deploy-check.ts';

loadDotenv({ quiet: true });
const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    objects: { type: 'string', default: 'Account,Lead' },
    endpoint: { type: 'string' },
    user: { type: 'string' },
    api: { type: 'string', default: '65.0' },
    out: { type: 'string', default: dirname(fileURLToPath(import.meta.url)) },
    'no-people': { type: 'boolean', default: false },
    placeholders: { type: 'boolean', default: false },
  },
});

const fromEnv = process.env.PUBLIC_BASE_URL && process.env.SALESFORCE_WEBHOOK_TOKEN
  ? `${process.env.PUBLIC_BASE_URL.replace(/\/+$/, '')}/webhooks/salesforce?token=${encodeURIComponent(process.env.SALESFORCE_WEBHOOK_TOKEN)}`
  : undefined;
const endpoint = values.placeholders ? PLACEHOLDER_ENDPOINT : (values.endpoint ?? fromEnv);
const user = values.placeholders ? PLACEHOLDER_USER : (values.user ?? process.env.SALESFORCE_USERNAME);
if (!values.placeholders) {
  const problems = [
    ...(endpoint === undefined ? ['no endpoint: pass --endpoint URL, or set PUBLIC_BASE_URL and SALESFORCE_WEBHOOK_TOKEN'] : endpointProblems(endpoint)),
    ...(user === undefined ? ['no integration user: pass --user USERNAME, or set SALESFORCE_USERNAME'] : userProblems(user)),
  ];
  if (problems.length > 0) {
    process.stderr.write(`generate.ts: nothing written:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(2);
  }
}

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
  endpointUrl: endpoint ?? PLACEHOLDER_ENDPOINT,
  integrationUsername: user ?? PLACEHOLDER_USER,
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
console.log(`wrote ${files.size} files to ${values.out} from ${path}${people ? '' : ' (no people)'}${values.placeholders ? ' with placeholder endpoint and user (not deployable)' : ''}`);
