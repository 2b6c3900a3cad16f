/**
 * The peer of `icp-sync score --format csv` in the cli-score benchmark: DuckDB reading the same CSV
 * and writing the same CSV with one SQL query (the example model, config/icp.example.yaml, written
 * out by hand as SQL: matchers, exclusions, score, tier, completeness, tags and the sorted reasons
 * text; every row's role is `none`, as for rows without job title). On the benchmark's generated file its output is byte-identical to ours; the benchmark
 * compares the two files and says so.
 *
 *     node bench/duckdb-score.ts <input.csv> <output.csv> [threads]
 *
 * DuckDB is not a dependency of the project: `@duckdb/node-api` is taken from the project's
 * node_modules when installed there (`npm install --no-save @duckdb/node-api@1.5.6-r.1`), else from
 * the folder named by BENCH_DUCKDB_DIR (one holding node_modules/@duckdb/node-api). Exits 3 when
 * neither has it.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The little of `@duckdb/node-api` used here (typed by hand: the package is not a dependency). */
interface DuckDbConnection {
  run(sql: string): Promise<unknown>;
  closeSync(): void;
}
interface DuckDb {
  DuckDBInstance: {
    create(path: string, options: Record<string, string>): Promise<{ connect(): Promise<DuckDbConnection>; closeSync(): void }>;
  };
}

export async function loadDuckDb(): Promise<DuckDb | undefined> {
  const places = [import.meta.url, ...(process.env['BENCH_DUCKDB_DIR'] ? [join(process.env['BENCH_DUCKDB_DIR'], 'package.json')] : [])];
  for (const place of places) {
    try {
      const path = createRequire(place).resolve('@duckdb/node-api');
      return (await import(path)) as DuckDb;
    } catch {
      // Not there: try the next place.
    }
  }
  return undefined;
}

/** `x` as a string literal of SQL. */
function lit(x: string): string {
  return `'${x.replaceAll("'", "''")}'`;
}

/** The query, for the example model (weights add up to 100). */
export function scoreSql(input: string, output: string): string {
  return `
-- Like normalizeText: text already plain (printable ASCII, no capitals, single inner spaces) is left as is.
CREATE MACRO norm(s) AS CASE WHEN regexp_matches(s, '[^ -~]|[A-Z]|^ | $|  ') THEN regexp_replace(trim(lower(strip_accents(s))), '\\s+', ' ', 'g') ELSE s END;
CREATE MACRO numtext(t) AS CASE
  WHEN NOT contains(t, ',') THEN t
  WHEN contains(t, '.') THEN replace(t, ',', '')
  WHEN regexp_full_match(t, '-?\\d{1,3}(,\\d{3})+') THEN replace(t, ',', '')
  ELSE replace(t, ',', '.') END;
CREATE MACRO num(s) AS CASE WHEN regexp_full_match(numtext(regexp_replace(s, '[\\s_]', '', 'g')), '-?\\d+(\\.\\d+)?')
  THEN CAST(numtext(regexp_replace(s, '[\\s_]', '', 'g')) AS DOUBLE) END;
CREATE MACRO yes(s) AS CASE WHEN s IS NULL THEN false ELSE norm(s) IN ('true', 'yes', 'oui', '1') END;
CREATE MACRO tenths(w, p) AS CASE WHEN p IS NULL THEN 0 ELSE floor(((100 * w * p) / 100) * 10 + 0.5 + 1e-9) END;
CREATE MACRO item(label, p, t, v) AS CASE
  WHEN p IS NULL THEN '? ' || label || ': inconnu'
  WHEN p > 0 THEN '+' || CAST(CAST(floor(t / 10 + 0.5) AS BIGINT) AS VARCHAR) || ' ' || label || ': ' || v
  ELSE '0 ' || label || ': ' || v END;
COPY (
  WITH src AS (
    SELECT * FROM read_csv(${lit(input)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')
  ), v AS (
    SELECT
      trim(id) AS id, naf, industry, employees, annual_revenue,
      CASE country WHEN 'France' THEN 'FR' WHEN 'Belgique' THEN 'BE' WHEN 'DEU' THEN 'DE' ELSE nullif(trim(country), '') END AS country,
      CASE WHEN contains(tech_stack, ';') THEN list_filter(list_transform(string_split(tech_stack, ';'), i -> trim(i)), i -> i <> '')
        WHEN tech_stack IS NULL THEN NULL ELSE [tech_stack] END AS stack,
      company_category, company_age_years,
      yes(is_competitor) AS competitor, yes(is_closed) AS closed,
      upper(regexp_replace(naf, '[\\s.\\-]', '', 'g')) AS naf_code,
      num(employees) AS x_employees, num(annual_revenue) AS x_revenue, num(company_age_years) AS x_age
    FROM src
  ), p AS (
    SELECT *,
      CASE WHEN naf_code IS NULL OR naf_code = '' THEN NULL
        WHEN starts_with(naf_code, '5829') OR starts_with(naf_code, '6201') THEN 1.0
        WHEN starts_with(naf_code, '7022') THEN 0.6
        WHEN starts_with(naf_code, '631') THEN 0.8
        WHEN starts_with(naf_code, '731') OR starts_with(naf_code, '465') THEN 0.5
        WHEN starts_with(naf_code, '62') THEN 0.9
        WHEN starts_with(naf_code, '69') THEN 0.3
        ELSE 0.1 END AS p_naf,
      CASE norm(coalesce(industry, ''))
        WHEN 'computer_software' THEN 1 WHEN 'software' THEN 1 WHEN 'logiciel' THEN 1 WHEN 'edition de logiciels' THEN 1
        WHEN 'information_technology_and_services' THEN 0.9 WHEN 'it services' THEN 0.9 WHEN 'technology' THEN 0.9
        WHEN 'services informatiques' THEN 0.9 WHEN 'internet' THEN 0.8 WHEN 'marketing_and_advertising' THEN 0.6
        WHEN 'management_consulting' THEN 0.6 WHEN 'consulting' THEN 0.6 WHEN 'conseil' THEN 0.6
        WHEN 'financial_services' THEN 0.4 WHEN 'finance' THEN 0.4 WHEN '' THEN NULL ELSE 0 END AS p_industry,
      CASE WHEN x_employees IS NULL THEN NULL WHEN x_employees BETWEEN 50 AND 249 THEN 1.0 WHEN x_employees BETWEEN 250 AND 999 THEN 0.8
        WHEN x_employees BETWEEN 20 AND 49 THEN 0.6 WHEN x_employees BETWEEN 1000 AND 4999 THEN 0.4
        WHEN x_employees BETWEEN 10 AND 19 THEN 0.3 WHEN x_employees >= 5000 THEN 0.2 ELSE 0 END AS p_headcount,
      CASE WHEN x_revenue IS NULL THEN NULL WHEN x_revenue BETWEEN 2000000 AND 50000000 THEN 1.0 WHEN x_revenue BETWEEN 500000 AND 2000000 THEN 0.5
        WHEN x_revenue BETWEEN 50000000 AND 250000000 THEN 0.7 WHEN x_revenue >= 250000000 THEN 0.3 ELSE 0 END AS p_revenue,
      CASE lower(coalesce(country, '')) WHEN '' THEN NULL WHEN 'fr' THEN 1 WHEN 'be' THEN 0.8 WHEN 'lu' THEN 0.8 WHEN 'ch' THEN 0.7 WHEN 'mc' THEN 0.6
        WHEN 'ca' THEN 0.4 ELSE 0 END AS p_country,
      list_max(list_transform(stack, i -> CASE norm(i) WHEN 'hubspot' THEN 1 WHEN 'salesforce' THEN 1 WHEN 'pipedrive' THEN 0.8
        WHEN 'zoho crm' THEN 0.6 WHEN 'sellsy' THEN 0.6 WHEN 'axonaut' THEN 0.5 WHEN '' THEN NULL ELSE 0.1 END)) AS p_stack,
      CASE norm(coalesce(company_category, '')) WHEN 'pme' THEN 1 WHEN 'eti' THEN 0.7 WHEN 'ge' THEN 0.2 WHEN '' THEN NULL ELSE 0 END AS p_category,
      CASE WHEN x_age IS NULL THEN NULL WHEN x_age BETWEEN 3 AND 30 THEN 1.0 WHEN x_age BETWEEN 1 AND 3 THEN 0.5
        WHEN x_age >= 30 THEN 0.6 ELSE 0.2 END AS p_age
    FROM v
  ), s AS (
    SELECT *,
      0 + coalesce(15 * p_naf, 0) + coalesce(15 * p_industry, 0) + coalesce(20 * p_headcount, 0) + coalesce(10 * p_revenue, 0)
        + coalesce(15 * p_country, 0) + coalesce(15 * p_stack, 0) + coalesce(5 * p_category, 0) + coalesce(5 * p_age, 0) AS total,
      (CASE WHEN p_naf IS NULL THEN 0 ELSE 15 END) + (CASE WHEN p_industry IS NULL THEN 0 ELSE 15 END)
        + (CASE WHEN p_headcount IS NULL THEN 0 ELSE 20 END) + (CASE WHEN p_revenue IS NULL THEN 0 ELSE 10 END)
        + (CASE WHEN p_country IS NULL THEN 0 ELSE 15 END) + (CASE WHEN p_stack IS NULL THEN 0 ELSE 15 END)
        + (CASE WHEN p_category IS NULL THEN 0 ELSE 5 END) + (CASE WHEN p_age IS NULL THEN 0 ELSE 5 END) AS present,
      competitor OR closed AS excluded
    FROM p
  ), r AS (
    SELECT *,
      least(100, greatest(0, floor((100 * total) / 100 + 0.5 + 1e-9)))::INTEGER AS score,
      floor(present / 100 * 100 + 0.5 + 1e-9) / 100 AS completeness
    FROM s
  )
  SELECT
    id,
    CASE WHEN excluded THEN 0 ELSE score END AS score,
    CASE WHEN excluded THEN 'X' WHEN score >= 75 THEN 'A' WHEN score >= 55 THEN 'B' WHEN score >= 35 THEN 'C' ELSE 'D' END AS tier,
    excluded,
    CASE WHEN completeness = floor(completeness) THEN CAST(CAST(completeness AS BIGINT) AS VARCHAR) ELSE CAST(completeness AS VARCHAR) END AS completeness,
    CASE WHEN excluded THEN NULL ELSE nullif(concat_ws(';',
      CASE WHEN p_naf >= 0.8 THEN 'secteur-tech' END, CASE WHEN p_headcount >= 0.8 THEN 'taille-cible' END,
      CASE WHEN p_country >= 1 THEN 'francophone' END, CASE WHEN p_stack >= 1 THEN 'crm-compatible' END), '') END AS tags,
    concat_ws(' · ',
      CASE WHEN competitor THEN '✖ Concurrent direct' END, CASE WHEN closed THEN '✖ Entreprise fermée' END,
      array_to_string(list_transform(list_sort([
        {k: -tenths(15, p_naf), i: 0, s: item('Secteur (NAF)', p_naf, tenths(15, p_naf), naf)},
        {k: -tenths(15, p_industry), i: 1, s: item('Secteur', p_industry, tenths(15, p_industry), industry)},
        {k: -tenths(20, p_headcount), i: 2, s: item('Effectif', p_headcount, tenths(20, p_headcount), employees)},
        {k: -tenths(10, p_revenue), i: 3, s: item('CA annuel', p_revenue, tenths(10, p_revenue), annual_revenue)},
        {k: -tenths(15, p_country), i: 4, s: item('Pays', p_country, tenths(15, p_country), country)},
        {k: -tenths(15, p_stack), i: 5, s: item('Stack', p_stack, tenths(15, p_stack), array_to_string(stack, ', '))},
        {k: -tenths(5, p_category), i: 6, s: item('Catégorie', p_category, tenths(5, p_category), company_category)},
        {k: -tenths(5, p_age), i: 7, s: item('Ancienneté', p_age, tenths(5, p_age), company_age_years)}
      ]), x -> x.s), ' · ')) AS reasons,
    'none' AS role, 0 AS priority, CASE WHEN excluded THEN 'X' ELSE 'P4' END AS priority_tier
  FROM r
) TO ${lit(output)} (FORMAT csv, HEADER true);
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [input, output, threads = '2'] = process.argv.slice(2);
  if (input === undefined || output === undefined) {
    console.error('usage: node bench/duckdb-score.ts <input.csv> <output.csv> [threads]');
    process.exit(2);
  }
  const duckdb = await loadDuckDb();
  if (duckdb === undefined) {
    console.error('@duckdb/node-api is not installed (npm install --no-save @duckdb/node-api@1.5.6-r.1, or set BENCH_DUCKDB_DIR)');
    process.exit(3);
  }
  const instance = await duckdb.DuckDBInstance.create(':memory:', { threads });
  const connection = await instance.connect();
  await connection.run(scoreSql(input, output));
  connection.closeSync();
  instance.closeSync();
}
