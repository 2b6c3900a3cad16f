/**
 * Points the app's webhooks at PUBLIC_BASE_URL/webhooks/hubspot and subscribes to exactly the input
 * properties the field mappings read. Run from the repository root before `hs project upload`:
 *   node integrations/hubspot/configure.ts
 */
import { config as loadDotenv } from 'dotenv';
import { parseEnv } from '../../src/config/env.ts';
import { buildOutputFields } from '../../src/connectors/hubspot/output-fields.ts';
import { webhookComponent, writeWebhookComponent } from '../../src/connectors/hubspot/app-project.ts';
import { loadMappings } from '../../src/mappings/load.ts';

loadDotenv({ quiet: true });
const env = parseEnv(process.env);
if (!env.PUBLIC_BASE_URL) {
  console.error('PUBLIC_BASE_URL is not set: put the public https URL of icp-sync in .env first');
  process.exit(2);
}
const mappings = await loadMappings(env.ICP_MAPPINGS_PATH === 'config/mappings.yaml' ? {} : { path: env.ICP_MAPPINGS_PATH, required: true });
const mapping = mappings.hubspot['companies'];
if (!mapping) throw new Error('no HubSpot companies mapping');
const outputs = buildOutputFields(mapping.outputs).map((f) => f.name);
const file = new URL('./src/app/webhooks/webhooks-hsmeta.json', import.meta.url);
const changed = await writeWebhookComponent(file.pathname, webhookComponent(env.PUBLIC_BASE_URL, mapping, outputs));
console.log(changed ? `updated ${file.pathname}` : 'webhook configuration already up to date');
