/**
 * The parts of a People Data Labs bulk company enrichment answer that enrichment reads.
 * `POST /v5/company/enrich/bulk` answers a JSON array, one item per request in order; each item
 * carries `status` (200 match, 404 no match…), the company fields at the top level (not under
 * `data`), `likelihood` (1..10) and the request's `metadata`
 * (https://docs.peopledatalabs.com/docs/bulk-company-enrichment-api,
 * https://docs.peopledatalabs.com/docs/output-response-company-enrichment-api).
 */
import { z } from 'zod';

const str = z.string().nullish();

export const pdlCompanySchema = z.object({
  status: z.number(),
  likelihood: z.number().nullish(),
  metadata: z.unknown().optional(),
  name: str,
  website: str,
  industry: str,
  size: str,
  employee_count: z.number().nullish(),
  inferred_revenue: str,
  founded: z.number().nullish(),
  tags: z.array(z.string()).nullish(),
  naics: z.array(z.object({ naics_code: str }).passthrough()).nullish(),
  sic: z.array(z.object({ sic_code: str }).passthrough()).nullish(),
  type: str,
});

export const pdlBulkResponseSchema = z.array(pdlCompanySchema);

export type PdlCompany = z.infer<typeof pdlCompanySchema>;
