/**
 * Turns one registry company (unité légale) into our snake_case attributes. Pure: the clock is
 * passed in. Attribute meanings are listed in docs/providers.md.
 */
import { yearsSince } from '../age.ts';
import type { MatchCandidate } from '../matching.ts';
import type { RegistryCompany } from './schema.ts';

/**
 * INSEE headcount bands (`tranche_effectif_salarie`, https://www.sirene.fr/sirene/public/variable/tefen):
 * code → readable band and a representative headcount (the band's rounded midpoint; the lower
 * bound for the open-ended top band). `NN` is a non-employer unit: 0 employees.
 */
export const HEADCOUNT_BANDS: Readonly<Record<string, { band: string; employees: number }>> = {
  NN: { band: '0', employees: 0 },
  '00': { band: '0', employees: 0 },
  '01': { band: '1-2', employees: 2 },
  '02': { band: '3-5', employees: 4 },
  '03': { band: '6-9', employees: 8 },
  '11': { band: '10-19', employees: 15 },
  '12': { band: '20-49', employees: 35 },
  '21': { band: '50-99', employees: 75 },
  '22': { band: '100-199', employees: 150 },
  '31': { band: '200-249', employees: 225 },
  '32': { band: '250-499', employees: 375 },
  '41': { band: '500-999', employees: 750 },
  '42': { band: '1000-1999', employees: 1500 },
  '51': { band: '2000-4999', employees: 3500 },
  '52': { band: '5000-9999', employees: 7500 },
  '53': { band: '10000+', employees: 10000 },
};

export { yearsSince };

/** The latest published turnover (`finances.<year>.ca`), with its year. */
export function latestRevenue(finances: RegistryCompany['finances']): { amount: number; year: number } | undefined {
  if (!finances) return undefined;
  let best: { amount: number; year: number } | undefined;
  for (const [year, row] of Object.entries(finances)) {
    const y = Number(year);
    if (!Number.isInteger(y) || typeof row?.ca !== 'number') continue;
    if (!best || y > best.year) best = { amount: row.ca, year: y };
  }
  return best;
}

const present = (v: string | null | undefined): v is string => typeof v === 'string' && v.trim() !== '';

/** Registry company → attributes. Absent registry fields produce no attribute. */
export function mapRegistryCompany(c: RegistryCompany, now: Date): Record<string, unknown> {
  const a: Record<string, unknown> = { siren: c.siren, country: 'FR' };
  if (present(c.nom_complet) || present(c.nom_raison_sociale)) a.legal_name = present(c.nom_raison_sociale) ? c.nom_raison_sociale : c.nom_complet;
  if (present(c.siege?.siret)) a.siret = c.siege.siret;
  if (present(c.activite_principale)) a.naf = c.activite_principale;
  if (present(c.activite_principale_naf25)) a.naf_2025 = c.activite_principale_naf25;
  if (present(c.section_activite_principale)) a.naf_section = c.section_activite_principale;
  const band = present(c.tranche_effectif_salarie) ? HEADCOUNT_BANDS[c.tranche_effectif_salarie] : undefined;
  if (band) {
    a.employees_band_code = c.tranche_effectif_salarie;
    a.employees_band = band.band;
    a.employees = band.employees;
    if (present(c.annee_tranche_effectif_salarie)) a.employees_year = Number(c.annee_tranche_effectif_salarie);
  }
  if (present(c.categorie_entreprise)) a.company_category = c.categorie_entreprise;
  if (present(c.date_creation)) {
    const year = Number(c.date_creation.slice(0, 4));
    if (Number.isInteger(year) && year > 1000) a.founded_year = year;
    if (/^\d{4}-\d{2}-\d{2}$/.test(c.date_creation)) a.founded_on = c.date_creation;
    const age = yearsSince(c.date_creation, now);
    if (age !== undefined) a.company_age_years = age;
  }
  if (present(c.etat_administratif)) a.is_closed = c.etat_administratif === 'C';
  if (present(c.date_fermeture)) a.closed_on = c.date_fermeture;
  if (present(c.nature_juridique)) a.legal_form_code = c.nature_juridique;
  if (typeof c.nombre_etablissements_ouverts === 'number') a.establishments = c.nombre_etablissements_ouverts;
  const revenue = latestRevenue(c.finances);
  if (revenue) {
    a.annual_revenue = revenue.amount;
    a.annual_revenue_year = revenue.year;
  }
  if (present(c.siege?.code_postal)) a.postal_code = c.siege.code_postal;
  if (present(c.siege?.libelle_commune)) a.city = c.siege.libelle_commune;
  return a;
}

/** A registry company as a name-matching candidate (head office plus matching establishments). */
export function toCandidate(c: RegistryCompany): MatchCandidate {
  const places = [c.siege, ...(c.matching_etablissements ?? [])].filter((e) => e != null);
  return {
    id: c.siren,
    names: [c.nom_raison_sociale, c.nom_complet, c.sigle].filter(present),
    postalCodes: [...new Set(places.map((e) => e.code_postal).filter(present))],
    cities: [...new Set(places.map((e) => e.libelle_commune).filter(present))],
    closed: c.etat_administratif === 'C',
  };
}
