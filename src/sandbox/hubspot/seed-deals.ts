/**
 * Deterministic deals for the sandbox portal, with a real signal: companies that fit the example
 * model (software and IT services, 50–999 employees, France and French-speaking neighbours) win more
 * often, and deals with a decision maker or a budget holder among their contacts win more too. Closed
 * deals spread over the last 18 months (won, or lost with a reason written the way reps write it);
 * some deals are still open. Each deal has its company (primary) and one to three of its contacts.
 */
import { mulberry32 } from '../../domain/prng.ts';
import { DEFAULT_PIPELINE_STAGES, dealsOf } from './deals.ts';
import type { SandboxStore } from './store.ts';

const DAY_MS = 86_400_000;

const INDUSTRY_FIT: Readonly<Record<string, number>> = {
  COMPUTER_SOFTWARE: 1,
  INFORMATION_TECHNOLOGY_AND_SERVICES: 0.9,
  INTERNET: 0.8,
  MARKETING_AND_ADVERTISING: 0.6,
  MANAGEMENT_CONSULTING: 0.6,
  FINANCIAL_SERVICES: 0.4,
};
const COUNTRY_FIT: Readonly<Record<string, number>> = { France: 1, Belgium: 0.8, Switzerland: 0.7 };

function employeesFit(n: number): number {
  if (!Number.isFinite(n)) return 0;
  if (n >= 50 && n <= 249) return 1;
  if (n >= 250 && n <= 999) return 0.8;
  if (n >= 20 && n <= 49) return 0.6;
  if (n >= 1000 && n <= 4999) return 0.4;
  if (n >= 10 && n <= 19) return 0.3;
  return n >= 5000 ? 0.2 : 0;
}

/** How well a company's own properties fit the example model's main criteria, 0..1. */
export function companyFit(p: Readonly<Record<string, string | null>>): number {
  const industry = INDUSTRY_FIT[p['industry'] ?? ''] ?? 0;
  const employees = employeesFit(Number(p['numberofemployees'] ?? NaN));
  const country = COUNTRY_FIT[p['country'] ?? ''] ?? 0;
  return 0.4 * industry + 0.35 * employees + 0.25 * country;
}

/** Loss reasons as reps type them: the same reason in several spellings, so grouping has work to do. */
const LOST_REASONS_FIT = ['Prix trop élevé', 'prix trop eleve', 'Trop cher', 'Concurrent retenu', 'Choix concurrent', 'Pas le bon moment', 'Timing', 'Pas de budget', 'Budget', 'Projet reporté'];
const LOST_REASONS_MISFIT = ['Pas de besoin', 'pas de besoin ', 'Hors cible', 'Trop petit', 'Pas de décideur', 'Pas de budget', 'No decision'];

const BUYER_TITLE = /\b(ceo|pdg|dg|directeur general|directrice generale|president|fondateur|founder|daf|cfo)\b/;
const BUYER_ROLES = new Set(['DECISION_MAKER', 'BUDGET_HOLDER', 'EXECUTIVE_SPONSOR']);

function plain(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

export interface SeedDealsOptions {
  /** PRNG seed. Default 42. */
  seed?: number;
  /** "Now" for close dates (default the current time). */
  now?: number;
}

/** Adds deals to the portal's live companies; returns the new deal ids. */
export function seedDeals(store: SandboxStore, opts: SeedDealsOptions = {}): string[] {
  const rnd = mulberry32((opts.seed ?? 42) ^ 0xdea15);
  const now = opts.now ?? Date.now();
  const deals = dealsOf(store);
  const open = DEFAULT_PIPELINE_STAGES.filter((s) => !s.closed);
  const ids: string[] = [];
  for (const company of store.list()) {
    const count = rnd() < 0.7 ? (rnd() < 0.2 ? 2 : 1) : 0;
    const fit = companyFit(company.properties);
    const people = store.contactsOfCompany(company.id).map((a) => a.contactId);
    for (let k = 0; k < count; k++) {
      const contactIds = people.filter(() => rnd() < 0.6).slice(0, 3);
      if (contactIds.length === 0 && people.length > 0 && rnd() < 0.7) contactIds.push(people[0] as string);
      const buyer = contactIds.some((id) => {
        const c = store.getOf('contacts', id);
        const roles = (c?.properties['hs_buying_role'] ?? '').split(';');
        return roles.some((r) => BUYER_ROLES.has(r)) || BUYER_TITLE.test(plain(c?.properties['jobtitle'] ?? ''));
      });
      const employees = Number(company.properties['numberofemployees'] ?? NaN);
      const size = Number.isFinite(employees) ? Math.min(employees, 2000) : 50;
      const amount = rnd() < 0.1 ? null : String(Math.round((4000 + size * 25 * (0.5 + rnd())) / 100) * 100);
      const isOpen = rnd() < 0.12;
      const closeMs = isOpen ? now + Math.floor(rnd() * 90) * DAY_MS : now - (1 + Math.floor(rnd() * 540)) * DAY_MS;
      const createMs = closeMs - (15 + Math.floor(rnd() * 135)) * DAY_MS;
      let stage: string;
      let reason: string | null = null;
      if (isOpen) stage = (open[Math.floor(rnd() * open.length)] ?? open[0])?.value ?? 'appointmentscheduled';
      else {
        const p = Math.min(0.92, 0.06 + 0.7 * fit ** 1.3 + (buyer ? 0.12 : 0));
        const won = rnd() < p;
        stage = won ? 'closedwon' : 'closedlost';
        if (!won && rnd() > 0.1) {
          const list = fit >= 0.5 ? LOST_REASONS_FIT : LOST_REASONS_MISFIT;
          reason = list[Math.floor(rnd() * list.length)] ?? null;
        }
      }
      const d = deals.create({
        properties: {
          dealname: `${company.properties['name'] ?? 'Deal'} – ${k === 0 ? 'Licence' : 'Extension'}`,
          amount,
          closedate: new Date(closeMs).toISOString(),
          dealstage: stage,
          ...(reason === null ? {} : { closed_lost_reason: reason }),
        },
        companyIds: [company.id],
        contactIds,
        createdAt: new Date(createMs).toISOString(),
      });
      ids.push(d.id);
    }
  }
  return ids;
}
