/**
 * Deterministic closed Opportunities for the sandbox org, with a real signal: Accounts that fit the
 * example model (Technology and Consulting, 50–999 employees, France and French-speaking countries) win
 * more often, and Opportunities whose contact roles include a Decision Maker or an Economic Buyer win
 * more too. Closed over the last 18 months (`Closed Won` / `Closed Lost`, `IsClosed` and `IsWon` from
 * the stage), with amounts, contact roles from the Account's Contacts, and on lost ones a reason in
 * the org's custom `Loss_Reason__c` picklist (Salesforce has no standard loss-reason field; the field
 * is readable by the integration user through the org's own "Sales Operations" permission set).
 */
import { mulberry32 } from '../../domain/prng.ts';
import { KEY_PREFIX } from './ids.ts';
import { OPPORTUNITY_STAGES } from './objects.ts';
import { sfDateTime, type SandboxStore } from './store.ts';

const DAY_MS = 86_400_000;

/** The custom field the seeded org keeps loss reasons in. */
export const LOSS_REASON_FIELD = 'Loss_Reason__c';
const LOSS_REASONS = ['Price', 'Competitor', 'No Budget', 'No Decision', 'Timing', 'No Need', 'Not a Fit'];
const FIT_REASONS = ['Price', 'Price', 'Competitor', 'Competitor', 'Timing', 'No Budget', 'No Decision'];
const MISFIT_REASONS = ['No Need', 'No Need', 'Not a Fit', 'Not a Fit', 'No Budget', 'No Decision'];

const INDUSTRY_FIT: Readonly<Record<string, number>> = { Technology: 0.9, Consulting: 0.6, Finance: 0.4 };
const COUNTRY_FIT: Readonly<Record<string, number>> = { FR: 1, BE: 0.8, CH: 0.7, CA: 0.4 };
const BUYER_ROLES = new Set(['Decision Maker', 'Economic Buyer', 'Economic Decision Maker', 'Executive Sponsor']);
const ROLES = ['Decision Maker', 'Economic Buyer', 'Technical Buyer', 'Evaluator', 'Influencer', 'Business User', null] as const;

function employeesFit(n: number): number {
  if (!Number.isFinite(n)) return 0;
  if (n >= 50 && n <= 249) return 1;
  if (n >= 250 && n <= 999) return 0.8;
  if (n >= 20 && n <= 49) return 0.6;
  if (n >= 1000 && n <= 4999) return 0.4;
  if (n >= 10 && n <= 19) return 0.3;
  return n >= 5000 ? 0.2 : 0;
}

/** How well an Account's own fields fit the example model's main criteria, 0..1. */
export function accountFit(a: Readonly<Record<string, unknown>>): number {
  const industry = INDUSTRY_FIT[String(a['Industry'] ?? '')] ?? 0;
  const employees = employeesFit(Number(a['NumberOfEmployees'] ?? NaN));
  const country = COUNTRY_FIT[String(a['BillingCountryCode'] ?? '')] ?? 0;
  return 0.4 * industry + 0.35 * employees + 0.25 * country;
}

/** Adds the org's `Loss_Reason__c` picklist and the permission set that lets the integration user read it. */
function addLossReasonField(store: SandboxStore): void {
  const fullName = `Opportunity.${LOSS_REASON_FIELD}`;
  if (store.customFields.has(fullName)) return;
  store.customFields.set(fullName, {
    fullName,
    label: 'Loss Reason',
    type: 'Picklist',
    valueSet: { restricted: true, values: LOSS_REASONS.map((v) => ({ fullName: v, label: v, default: false })) },
  });
  const id = store.nextId(KEY_PREFIX.PermissionSet);
  store.permissionSets.set('Sales_Operations', {
    id,
    fullName: 'Sales_Operations',
    label: 'Sales Operations',
    description: 'Read access to the sales team’s own Opportunity fields',
    fieldPermissions: [{ field: fullName, readable: true, editable: false }],
    objectPermissions: [],
  });
  store.assignments.set(`${store.integrationUserId}:${id}`, store.nextId(KEY_PREFIX.PermissionSetAssignment));
}

export interface SeedOpportunitiesOptions {
  seed?: number;
  /** "Now" for close dates (default the current time). */
  now?: number;
}

/** Closed Opportunities (and their contact roles) on about 70% of the org's Accounts; returns their ids. */
export function seedClosedOpportunities(store: SandboxStore, opts: SeedOpportunitiesOptions = {}): { opportunities: string[]; contactRoles: string[] } {
  const rnd = mulberry32((opts.seed ?? 1) ^ 0x0a770);
  const now = opts.now ?? Date.now();
  addLossReasonField(store);
  const contactsOf = new Map<string, string[]>();
  for (const c of store.records.Contact.values()) {
    if (c.IsDeleted === true || typeof c.AccountId !== 'string') continue;
    contactsOf.set(c.AccountId, [...(contactsOf.get(c.AccountId) ?? []), c.Id]);
  }
  const opportunities: string[] = [];
  const contactRoles: string[] = [];
  for (const account of [...store.records.Account.values()]) {
    if (rnd() >= 0.7) continue;
    const count = rnd() < 0.2 ? 2 : 1;
    const fit = accountFit(account);
    const people = contactsOf.get(account.Id) ?? [];
    for (let k = 0; k < count; k++) {
      const cast = people.filter(() => rnd() < 0.6).slice(0, 3).map((contact) => ({ contact, role: ROLES[Math.floor(rnd() * ROLES.length)] ?? null }));
      const buyer = cast.some((c) => c.role !== null && BUYER_ROLES.has(c.role));
      const p = Math.min(0.92, 0.02 + 1.1 * fit ** 1.5 + (buyer ? 0.1 : 0));
      const won = rnd() < p;
      const stage = won ? 'Closed Won' : 'Closed Lost';
      const closeMs = now - (1 + Math.floor(rnd() * 540)) * DAY_MS;
      const createMs = closeMs - (15 + Math.floor(rnd() * 135)) * DAY_MS;
      const size = Math.min(Number(account.NumberOfEmployees ?? 50) || 50, 2000);
      const reasons = fit >= 0.5 ? FIT_REASONS : MISFIT_REASONS;
      const created = sfDateTime(createMs);
      const Id = store.nextId(KEY_PREFIX.Opportunity);
      const flags = OPPORTUNITY_STAGES[stage] ?? { closed: true, won };
      store.records.Opportunity.set(Id, {
        Name: `${String(account.Name ?? 'Account')} – ${k === 0 ? 'Licence' : 'Extension'}`,
        StageName: stage,
        CloseDate: new Date(closeMs).toISOString().slice(0, 10),
        Amount: rnd() < 0.1 ? null : Math.round((4000 + size * 25 * (0.5 + rnd())) / 100) * 100,
        AccountId: account.Id,
        IsClosed: flags.closed,
        IsWon: flags.won,
        [LOSS_REASON_FIELD]: won || rnd() < 0.1 ? null : (reasons[Math.floor(rnd() * reasons.length)] ?? null),
        OwnerId: store.repUserId,
        CreatedDate: created,
        LastModifiedDate: sfDateTime(closeMs),
        LastModifiedById: store.repUserId,
        SystemModstamp: sfDateTime(closeMs),
        IsDeleted: false,
        Id,
      });
      opportunities.push(Id);
      cast.forEach((c, i) => {
        const roleId = store.nextId(KEY_PREFIX.OpportunityContactRole);
        store.records.OpportunityContactRole.set(roleId, {
          ContactId: c.contact,
          OpportunityId: Id,
          Role: c.role,
          IsPrimary: i === 0,
          CreatedDate: created,
          LastModifiedDate: created,
          LastModifiedById: store.repUserId,
          SystemModstamp: created,
          IsDeleted: false,
          Id: roleId,
        });
        contactRoles.push(roleId);
      });
    }
  }
  return { opportunities, contactRoles };
}
