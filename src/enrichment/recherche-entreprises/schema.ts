/**
 * The parts of an API Recherche d'entreprises `/search` answer that enrichment reads, checked
 * with zod. Field names and shapes follow the API's OpenAPI document
 * (https://recherche-entreprises.api.gouv.fr/docs/, `components.schemas.payload`). Unknown
 * fields are ignored; fields the registry leaves out or sets to null are optional.
 */
import { z } from 'zod';

const str = z.string().nullish();

export const establishmentSchema = z.object({
  siret: str,
  code_postal: str,
  departement: str,
  libelle_commune: str,
  etat_administratif: str,
});

export const financesSchema = z.record(
  z.string(),
  z.object({ ca: z.number().nullish(), resultat_net: z.number().nullish() }).nullish(),
);

export const companySchema = z.object({
  siren: z.string().regex(/^\d{9}$/),
  nom_complet: str,
  nom_raison_sociale: str,
  sigle: str,
  activite_principale: str,
  activite_principale_naf25: str,
  section_activite_principale: str,
  categorie_entreprise: str,
  annee_categorie_entreprise: str,
  tranche_effectif_salarie: str,
  annee_tranche_effectif_salarie: str,
  date_creation: str,
  date_fermeture: str,
  etat_administratif: str,
  nature_juridique: str,
  nombre_etablissements_ouverts: z.number().nullish(),
  siege: establishmentSchema.nullish(),
  matching_etablissements: z.array(establishmentSchema).nullish(),
  finances: financesSchema.nullish(),
});

/** Results are checked one by one (`companySchema`): one odd entry does not spoil the others. */
export const searchPayloadSchema = z.object({
  results: z.array(z.unknown()),
  total_results: z.number().optional(),
  page: z.number().optional(),
  per_page: z.number().optional(),
  total_pages: z.number().optional(),
});

export type RegistryCompany = z.infer<typeof companySchema>;
export type RegistryEstablishment = z.infer<typeof establishmentSchema>;
