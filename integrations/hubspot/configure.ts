/**
 * Generates the app's webhook component (`src/app/webhooks/webhooks-hsmeta.json`, git-ignored): webhooks to
 * PUBLIC_BASE_URL/webhooks/hubspot, subscribed to exactly the input properties the field mappings read,
 * and, when the ICP model has roles, to the contact events (creation, deletion, merge, association
 * changes, and changes of the contacts mapping's inputs).
 * Run from the repository root before `hs project upload`:
 *   node integrations/hubspot/configure.ts
 * It refuses a PUBLIC_BASE_URL that HubSpot cannot call or that is still a placeholder (not https,
 * localhost, private addresses, example.com and other reserved names).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { parseEnv } from '../../src/config/env.ts';
import { loadModel } from '../../src/config/model-loader.ts';
import { buildContactOutputFields, buildOutputFields } from '../../src/connectors/hubspot/output-fields.ts';
import { WEBHOOK_COMPONENT_PATH, webhookComponent, writeWebhookComponent, type ContactSubscriptions } from '../../src/connectors/hubspot/app-project.ts';
import { loadMappings } from '../../src/mappings/load.ts';

loadDotenv({ quiet: true });
const env = parseEnv(process.env);
const mappings = await loadMappings(env.ICP_MAPPINGS_PATH === 'config/mappings.yaml' ? {} : { path: env.ICP_MAPPINGS_PATH, required: true });
const mapping = mappings.hubspot['companies'];
if (!mapping) throw new Error('no HubSpot companies mapping');
const outputs = buildOutputFields(mapping.outputs).map((f) => f.name);
// Contact events only matter when the model scores people (it has `roles`).
const model = existsSync(env.ICP_MODEL_PATH) ? (await loadModel(env.ICP_MODEL_PATH)).model : undefined;
if (!model) console.error(`no ICP model at ${env.ICP_MODEL_PATH}: contact events are not subscribed (run again once the model exists)`);
const contactMapping = mappings.hubspot['contacts'];
const contacts: ContactSubscriptions | undefined =
  model?.roles && contactMapping ? { mapping: contactMapping, outputNames: buildContactOutputFields(contactMapping.outputs).map((f) => f.name) } : undefined;
let component;
try {
  component = webhookComponent(env.PUBLIC_BASE_URL, mapping, outputs, contacts);
} catch (err) {
  if (!(err instanceof RangeError)) throw err;
  console.error(`${err.message}\nNothing was written: the app project has no webhook component until this succeeds.`);
  process.exit(2);
}
const file = new URL(`./${WEBHOOK_COMPONENT_PATH}`, import.meta.url).pathname;
await mkdir(dirname(file), { recursive: true });
const changed = await writeWebhookComponent(file, component);
const scope = contacts ? 'companies and contacts' : 'companies';
console.log(changed ? `wrote ${file} (webhooks to ${component.config.settings.targetUrl}, ${scope})` : 'webhook configuration already up to date');
