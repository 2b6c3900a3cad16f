/**
 * One row from attributes to output: the model's preparation of file values, the score, with
 * buying roles the row's (account, role) couple, then the formatter's bytes. Shared by the reading
 * of a whole file on one thread and by the worker threads that score parts of a large one, so both
 * give the same bytes.
 */
import { parseNumber } from '../domain/normalize.ts';
import { compileRoles, personInput, type CompiledRoles } from '../domain/roles.ts';
import type { Attributes, IcpModel, ScoreResult } from '../domain/types.ts';
import { attributePrep } from './file-attributes.ts';
import type { ResultFormatter, RowPerson } from './result-formatter.ts';
import type { ScoreStats } from './score-stats.ts';

/** What scoring a file needs from the compiled model (the scoring core's `Scorer` fits). */
export interface RowScorer {
  readonly model: IcpModel;
  score(attrs: Attributes): ScoreResult;
}

/** Where a row's result goes: text, or bytes already encoded (copied before the next row). */
export interface RowOutput {
  write(text: string): void;
  writeBytes(bytes: Uint8Array): void;
}

export interface RowScoring {
  /** Attribute names the rows are read for (the model's, with roles also the people columns). */
  readonly attributes: readonly string[];
  /**
   * Scores one row, writes its result to `out` and counts it in `stats`; returns the message of a
   * row that cannot be scored (nothing written then).
   */
  row(id: string, attrs: Attributes, out: RowOutput, stats: ScoreStats): string | undefined;
}

export function createRowScoring(scorer: RowScorer, formatter: ResultFormatter): RowScoring {
  const roles = compileRoles(scorer.model);
  const rowRole = roles === null ? undefined : roleOfRow(roles);
  // People rows: with roles, the role columns are read too (job_title, buying_role, account_score, account_excluded).
  const attributes = [...[...scorer.model.criteria, ...scorer.model.exclusions].map((c) => c.attribute), ...(roles === null ? [] : PEOPLE_COLUMNS)];
  const prep = attributePrep(attributes);
  const rowBytes = formatter.rowBytes?.bind(formatter);
  return {
    attributes,
    row(id, attrs, out, stats) {
      let result: ScoreResult;
      let person: RowPerson | undefined;
      try {
        prep?.(attrs as Record<string, unknown>);
        result = scorer.score(attrs);
        if (roles !== null && rowRole !== undefined) person = rowPerson(roles, rowRole, attrs, result);
      } catch (err) {
        return `cannot be scored (${err instanceof Error ? err.message : String(err)}) — skipped`;
      }
      stats.count(result.tier);
      if (rowBytes !== undefined) out.writeBytes(rowBytes(id, result, person));
      else out.write(formatter.row(id, result, person));
      return undefined;
    },
  };
}

/** Columns of a people row (PRODUCT.md §2, buying roles), read only when the model has roles. */
export const PEOPLE_COLUMNS: readonly string[] = ['job_title', 'buying_role', 'account_score', 'account_excluded'];

const TRUE_WORDS = new Set(['true', 'yes', 'oui', '1', 'vrai', 'x']);

/** A row's role and its points. */
type RowRole = (attrs: Attributes) => { readonly role: string; readonly points: number };

/** Distinct job titles whose role is remembered; people files repeat titles a lot. */
const TITLE_MEMO_LIMIT = 4096;

/**
 * The role of a row from `job_title` and `buying_role` (values of either CRM's lists). Resolving is
 * pure, so a row without a CRM role gets its title's remembered role: a company file (no title at
 * all) resolves once instead of twice per row.
 */
function roleOfRow(roles: CompiledRoles): RowRole {
  const resolve = (attrs: Attributes): { role: string; points: number } => {
    const input = personInput(attrs);
    const byHubSpot = roles.resolve(input, 'hubspot');
    // Not a HubSpot value: a Salesforce one, else the title decides (the same for both CRMs).
    const chosen = byHubSpot.source === 'crm' ? byHubSpot : roles.resolve(input, 'salesforce');
    return { role: chosen.role, points: chosen.points };
  };
  let untitled: { role: string; points: number } | undefined;
  const byTitle = new Map<string, { role: string; points: number }>();
  return (attrs) => {
    const buyingRole = attrs['buying_role'];
    if (buyingRole !== undefined && buyingRole !== null && buyingRole !== '') return resolve(attrs);
    const title = attrs['job_title'];
    if (title === undefined || title === null) return (untitled ??= resolve(attrs));
    if (typeof title !== 'string') return resolve(attrs);
    let known = byTitle.get(title);
    if (known === undefined) {
      known = resolve(attrs);
      if (byTitle.size >= TITLE_MEMO_LIMIT) byTitle.clear();
      byTitle.set(title, known);
    }
    return known;
  };
}

/**
 * The couple of one row: its role (see `roleOfRow`), and a priority from `account_score` (0–100)
 * and `account_excluded`; without `account_score` the row's own fit stands for its account's, as
 * for a Salesforce Lead.
 */
function rowPerson(roles: CompiledRoles, roleOf: RowRole, attrs: Attributes, result: ScoreResult): RowPerson {
  const chosen = roleOf(attrs);
  const raw = attrs['account_score'];
  let score = result.score;
  let excluded = result.excluded;
  if (raw !== undefined && raw !== null && String(raw).trim() !== '') {
    const n = typeof raw === 'number' ? raw : parseNumber(raw);
    if (n === undefined || !Number.isInteger(n) || n < 0 || n > 100) throw new Error(`account_score ${JSON.stringify(raw)} is not a whole number from 0 to 100`);
    score = n;
    excluded = TRUE_WORDS.has(String(attrs['account_excluded'] ?? '').trim().toLowerCase());
  }
  const p = roles.priority(score, chosen.points, excluded);
  return { role: chosen.role, priority: p.priority, priorityTier: p.tier };
}

