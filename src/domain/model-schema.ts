/**
 * The ICP model file format (PRODUCT.md §2): a zod schema for its shape, cross-value checks, and
 * the defaults. Both entry points return every problem at once, each as
 * `file: path.in.document: what is wrong`. Pure: the caller reads the file.
 */
import { isNode, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import { z } from 'zod';
import { checkModelSemantics } from './model-checks.ts';
import { formatIssues, modelErrorMap } from './model-problems.ts';
import type { Criterion, Exclusion, IcpModel, Matcher, RoleDef, RoleSet, Tier } from './types.ts';

const SNAKE_CASE = /^[a-z][a-z0-9_]*$/;
const SNAKE_CASE_MESSAGE = 'must be snake_case: a lower-case letter, then lower-case letters, digits or _';

const points = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');
const text = z.string().refine((s) => s.trim() !== '', 'must not be empty');
const snakeCase = z.string().regex(SNAKE_CASE, SNAKE_CASE_MESSAGE);
const pointsByKey = z
  .record(z.string(), points)
  .refine((v) => Object.keys(v).length > 0, 'must list at least one value');

const matcher = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('category'), values: pointsByKey, default: points.optional() }),
  z.strictObject({ kind: z.literal('prefix'), values: pointsByKey, default: points.optional() }),
  z.strictObject({
    kind: z.literal('range'),
    bands: z
      .array(z.strictObject({ min: z.number().optional(), max: z.number().optional(), points }))
      .min(1, 'must list at least one band'),
    default: points.optional(),
  }),
  z.strictObject({ kind: z.literal('boolean'), ifTrue: points.optional(), ifFalse: points.optional() }),
]);

const tierName = text.max(64, 'must be at most 64 characters');

const tierList = z
  .array(
    z.strictObject({
      name: tierName,
      min: z.number().int('must be a whole number').min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100'),
      label: z.string().optional(),
    }),
  )
  .min(1, 'must list at least one tier');

/** A CRM value is compared exactly: only surrounding spaces are refused, as they never match. */
const crmValue = text.regex(/^\S(.*\S)?$/s, 'must not start or end with a space');

const roles = z.strictObject({
  ignoreTitles: z.array(text).optional(),
  defaultPoints: points.optional(),
  list: z
    .array(
      z.strictObject({
        id: snakeCase.refine((id) => id !== 'none', '"none" is reserved for people with no role'),
        label: text.max(100, 'must be at most 100 characters').optional(),
        points,
        required: z.boolean().optional(),
        titles: z.array(text).optional(),
        hubspot: z.array(crmValue).optional(),
        salesforce: z.array(crmValue).optional(),
      }),
    )
    .min(1, 'must list at least one role'),
});

/** Weights are relative (scores are shares of their sum): far outside this range is a typo or an overflow. */
const WEIGHT_MIN = 0.001;
const WEIGHT_MAX = 1_000_000;
const weight = z.number().superRefine((w, ctx) => {
  const hint = 'weights are relative: 1, 10 or 25 all work';
  if (w <= 0) ctx.addIssue({ code: 'custom', message: 'must be > 0' });
  else if (w < WEIGHT_MIN) ctx.addIssue({ code: 'custom', message: `must be at least ${WEIGHT_MIN} (${hint})` });
  else if (w > WEIGHT_MAX) ctx.addIssue({ code: 'custom', message: `must be at most 1,000,000 (${hint})` });
});

const modelSchema = z.strictObject({
  version: z
    .string({
      error: (iss) =>
        typeof iss.input === 'number' ? `must be a text: quote it, e.g. version: "${String(iss.input)}"` : undefined,
    })
    .min(1, 'must be 1 to 64 characters')
    .max(64, 'must be 1 to 64 characters'),
  name: z.string().optional(),
  tiers: tierList,
  excludedTier: tierName.optional(),
  criteria: z
    .array(
      z.strictObject({
        id: snakeCase,
        label: text.optional(),
        attribute: snakeCase,
        weight,
        tag: text
          .regex(/^[^;]*$/, 'must not contain ";" (the CRMs separate multiple values with it)')
          .regex(/^\S(.*\S)?$/s, 'must not start or end with a space')
          .max(100, 'must be at most 100 characters')
          .optional(),
        tagAt: z.number().gt(0, 'must be > 0 and ≤ 1').max(1, 'must be > 0 and ≤ 1').optional(),
        match: matcher,
      }),
    )
    .min(1, 'must list at least one criterion'),
  exclusions: z
    .array(
      z.strictObject({
        id: snakeCase,
        label: text.optional(),
        attribute: snakeCase,
        match: matcher,
        reason: text,
      }),
    )
    .optional(),
  roles: roles.optional(),
  priorityTiers: tierList.optional(),
});

type ParsedModel = z.infer<typeof modelSchema>;

export type ParseModelResult = { ok: true; model: IcpModel } | { ok: false; problems: string[] };

function rolesWithDefaults(set: NonNullable<ParsedModel['roles']>): RoleSet {
  return {
    ignoreTitles: set.ignoreTitles ?? [],
    defaultPoints: set.defaultPoints ?? 0,
    list: set.list.map(
      (r): RoleDef => ({
        id: r.id,
        label: r.label ?? r.id,
        points: r.points,
        required: r.required ?? false,
        titles: r.titles ?? [],
        hubspot: r.hubspot ?? [],
        salesforce: r.salesforce ?? [],
      }),
    ),
  };
}

function withDefaults(doc: ParsedModel): IcpModel {
  const criteria: Criterion[] = doc.criteria.map((c) => ({
    id: c.id,
    label: c.label ?? c.id,
    attribute: c.attribute,
    weight: c.weight,
    ...(c.tag === undefined ? {} : { tag: c.tag }),
    tagAt: c.tagAt ?? 1,
    match: c.match as Matcher,
  }));
  const exclusions: Exclusion[] = (doc.exclusions ?? []).map((e) => ({
    id: e.id,
    ...(e.label === undefined ? {} : { label: e.label }),
    attribute: e.attribute,
    match: e.match as Matcher,
    reason: e.reason,
  }));
  const tiersOf = (list: ParsedModel['tiers']): Tier[] =>
    list.map((t) => ({ name: t.name, min: t.min, ...(t.label === undefined ? {} : { label: t.label }) }));
  return {
    version: doc.version,
    ...(doc.name === undefined ? {} : { name: doc.name }),
    tiers: tiersOf(doc.tiers),
    excludedTier: doc.excludedTier ?? 'X',
    criteria,
    exclusions,
    ...(doc.roles === undefined ? {} : { roles: rolesWithDefaults(doc.roles) }),
    ...(doc.priorityTiers === undefined ? {} : { priorityTiers: tiersOf(doc.priorityTiers) }),
  };
}

/**
 * Validates a parsed model document (from YAML or JSON) and applies the defaults
 * (`label` = id, `tagAt` = 1, `excludedTier` = "X", `exclusions` = []; for roles `ignoreTitles` = [],
 * `defaultPoints` = 0, `required` = false, `titles`/`hubspot`/`salesforce` = []).
 * @param file the name shown in problems: the file's base name, e.g. `icp.yaml`.
 */
export function parseModel(doc: unknown, file: string): ParseModelResult {
  const parsed = modelSchema.safeParse(doc, { error: modelErrorMap });
  const problems = parsed.success ? [] : formatIssues(file, parsed.error.issues);
  for (const p of checkModelSemantics(file, doc)) if (!problems.includes(p)) problems.push(p);
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, model: withDefaults(parsed.data) };
}

/**
 * Parses model text, YAML or JSON (JSON is read as YAML 1.2), then validates it like `parseModel`.
 * Syntax errors come as `file: (line N, col M): message`.
 */
export function parseModelText(text: string, file: string): ParseModelResult {
  const lines = new LineCounter();
  // yaml's own duplicate-key check compares each key with every earlier one (quadratic: 50,000
  // category values took 24 s); keys are checked below with a set per map instead.
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const at = (pos: number) => {
    const { line, col } = lines.linePos(pos);
    return `${file}: (line ${line}, col ${col})`;
  };
  if (document.errors.length > 0) {
    return { ok: false, problems: document.errors.map((e) => `${at(e.pos[0])}: ${e.message}`) };
  }
  const duplicates: string[] = [];
  visit(document, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        // The same equality as yaml's: scalars by value, other keys by identity.
        const key: unknown = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) {
          const pos = isNode(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
          duplicates.push(`${at(pos)}: Map keys must be unique`);
        }
        seen.add(key);
      }
    },
  });
  if (duplicates.length > 0) return { ok: false, problems: duplicates };
  // Keys are texts in the model (`values` maps): an unquoted `62.10:` or `1.50:` must keep its
  // spelling instead of becoming the number 62.1 and losing the code's trailing zero.
  visit(document, {
    Pair(_, pair) {
      const key = pair.key;
      if (isScalar(key) && typeof key.value !== 'string' && typeof key.source === 'string') key.value = key.source;
    },
  });
  let doc: unknown;
  try {
    doc = document.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { ok: false, problems: [`${file}: ${e instanceof Error ? e.message : String(e)}`] };
  }
  return parseModel(doc, file);
}
