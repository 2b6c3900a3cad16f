/**
 * What the demo needs from a CRM sandbox, so one script drives HubSpot or Salesforce: the records
 * as the CRM holds them, a way to edit one as a sales rep would, and webhook deliveries.
 */
import type { CrmName } from '../errors.ts';
import type { RegistryFacts } from '../sandbox/registry/directory.ts';

export interface DemoRecord {
  id: string;
  /** Field name → value as the CRM holds it. */
  fields: Readonly<Record<string, unknown>>;
}

export interface DemoCrm {
  readonly crm: CrmName;
  /** The object type the demo scores (`companies`, `Account`). */
  readonly objectType: string;
  /** One line saying what was started, e.g. `HubSpot sandbox with 300 companies at http://…`. */
  readonly description: string;
  /** The people object type scored when the model has roles (`contacts`, `Contact`). */
  readonly personType: string;
  /** Input field names of a person shown by the demo; the title is the one its live edits change. */
  readonly personFields: { firstName: string; lastName: string; title: string };
  /** Input field names the live edits touch, and the industry value the example model rates as software. */
  readonly fields: { name: string; employees: string; industry: string; country: string; countryCode?: string; city: string };
  readonly softwareIndustry: string;
  /** What the French company registry knows of the seeded French companies (the demo's registry stand-in). */
  readonly registry: readonly RegistryFacts[];
  /** Environment pointing the service at the sandbox: base URLs, credentials, webhook secrets. */
  serviceEnv(publicBase: string): Record<string, string>;
  records(): DemoRecord[];
  record(id: string): DemoRecord | undefined;
  /** A change made by a sales rep (not by icp-sync), which the CRM then reports to the webhook. */
  edit(id: string, values: Readonly<Record<string, string | number>>): void;
  /** Every person, as the CRM holds it. */
  people(): DemoRecord[];
  person(id: string): DemoRecord | undefined;
  /** The one account a person counts for (HubSpot: its primary company; Salesforce: its Account), or null. */
  accountOf(personId: string): string | null;
  /** A change to a person made by a sales rep, reported to the webhook like {@link edit}. */
  editPerson(id: string, values: Readonly<Record<string, string | number>>): void;
  /** Starts webhook deliveries to the service. */
  connectWebhooks(publicBase: string): void;
  /** Waits for deliveries in flight, then says how many went and how many were accepted. */
  webhookSummary(): Promise<{ text: string; allAccepted: boolean }>;
  /** Lines printed with `--keep-running`: where the sandbox is and how to call it. */
  urls(): string[];
  close(): Promise<void>;
}

/** A field value as text for the terminal (`null` when empty). */
export function text(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  return typeof value === 'string' ? value : String(value);
}
