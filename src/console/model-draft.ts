/**
 * The draft a Model form sends: the model text plus what was typed in the form fields (weights,
 * tier thresholds, the version, and the structured sections of src/console/model-form-fields.ts:
 * criteria and their matchers, exclusions, roles). A field or section counts only when it differs
 * from what the page showed, so an edit made in the text is not undone by a form left as it was.
 * Comments and layout of the text are kept (YAML document API), and only the values that changed
 * are rewritten.
 */
import { isMap, isScalar, isSeq, parseDocument, visit, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import {
  CRITERION_KEYS,
  criterionFrom,
  digest,
  exclusionsFrom,
  FORM_ID,
  isRecord,
  newCriterionFrom,
  parseOp,
  priorityTiersFrom,
  rolesFrom,
  type Dropped,
  type Json,
} from './model-form-fields.ts';

export interface DraftForm {
  yaml: string;
  /** `weight.<criterion id>` → typed value; `weight0.<id>` → value shown. Same for `tier.<name>`. */
  fields: Readonly<Record<string, string>>;
}

export interface Draft {
  yaml: string;
  /** What the form changed in the text, as `criteria.size.weight`, `criteria.size`, `exclusions`. */
  applied: string[];
  /** Empty rows to show again per list (rows left blank, plus the one an "add" button asked for). */
  extraRows: Record<string, number>;
  /** The form sections the request touched (to show them open). */
  touched: string[];
}

function numberOf(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text.replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
}

/** The item of the sequence `list` whose `match` field equals `id`. */
function findInList(doc: Document, list: string, match: string, id: string): YAMLMap | undefined {
  const seq = doc.get(list, true);
  if (!isSeq(seq)) return undefined;
  for (const item of seq.items) if (isMap(item) && String(item.get(match)) === id) return item;
  return undefined;
}

/** A map key as the model reads it: `62.10:` keeps its spelling (see parseModelText). */
function keyText(key: unknown): string {
  if (isScalar(key)) return typeof key.value === 'string' ? key.value : (key.source ?? String(key.value));
  return String(key);
}

function sameValue(node: unknown, value: Json): boolean {
  const js: unknown = isScalar(node) ? node.value : node !== null && typeof node === 'object' && 'toJSON' in node ? (node as { toJSON: () => unknown }).toJSON() : node;
  return JSON.stringify(js) === JSON.stringify(value);
}

const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

/** A scalar as YAML text that reads back as the same value in block and flow context alike. */
function scalarText(value: Json): string {
  if (typeof value === 'string') return /^[A-Za-z\u00C0-\u024F][\w\u00C0-\u024F -]*$/.test(value) && !/ $/.test(value) && !RESERVED.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

/**
 * Writes form values into the YAML document, touching only what differs. When every change is a
 * scalar that already had a place in the text, the text is edited at those places only (so the
 * layout of everything else is kept to the character); adding or removing entries prints the
 * document again (comments kept).
 */
class Patcher {
  private readonly edits: Array<{ start: number; end: number; text: string }> = [];
  private structural = false;
  readonly doc: Document;
  constructor(doc: Document) {
    this.doc = doc;
  }

  /** Returns the node to keep in place of `node`. */
  patch(node: unknown, value: Json, keys?: readonly string[]): unknown {
    if (isMap(node) && isRecord(value)) {
      const wanted = value as Record<string, Json>;
      const names = keys ?? [...new Set([...node.items.map((p) => keyText(p.key)), ...Object.keys(wanted)])];
      for (const name of names) {
        const index = node.items.findIndex((p) => keyText(p.key) === name);
        const next = wanted[name];
        if (next === undefined) {
          if (index >= 0) {
            node.items.splice(index, 1);
            this.structural = true;
          }
        } else if (index >= 0) {
          const pair = node.items[index];
          if (pair !== undefined) pair.value = this.patch(pair.value, next);
        } else {
          node.items.push(this.doc.createPair(name, next));
          this.structural = true;
        }
      }
      return node;
    }
    if (isSeq(node) && Array.isArray(value)) {
      const seq = node as YAMLSeq;
      value.forEach((item, i) => {
        if (i < seq.items.length) seq.items[i] = this.patch(seq.items[i], item);
        else {
          seq.items.push(this.doc.createNode(item));
          this.structural = true;
        }
      });
      if (seq.items.length > value.length) {
        seq.items.splice(value.length);
        this.structural = true;
      }
      return seq;
    }
    if (sameValue(node, value)) return node;
    const range = isScalar(node) ? node.range : undefined;
    if (range !== undefined && range !== null && value !== null && typeof value !== 'object') this.edits.push({ start: range[0], end: range[1], text: scalarText(value) });
    else this.structural = true;
    return this.doc.createNode(value);
  }

  /** Sets `key` of `map` (a criterion, a tier, the document) to `value`. */
  set(map: YAMLMap, key: string, value: Json): void {
    const pair = map.items.find((p) => keyText(p.key) === key);
    if (pair === undefined) {
      map.items.push(this.doc.createPair(key, value));
      this.structural = true;
    } else pair.value = this.patch(pair.value, value);
  }

  /** Sets (or, for `undefined`, removes) a top-level section, patching it in place when it exists. */
  top(key: string, value: Json | undefined, keys?: readonly string[]): void {
    const node = this.doc.get(key, true);
    if (value === undefined) {
      if (node !== undefined) {
        this.doc.delete(key);
        this.structural = true;
      }
    } else if (node === undefined) {
      this.doc.set(key, this.doc.createNode(value));
      this.structural = true;
    } else this.doc.set(key, this.patch(node, value, keys));
  }

  removeFrom(seq: YAMLSeq, item: unknown): void {
    seq.items.splice(seq.items.indexOf(item), 1);
    this.structural = true;
  }

  append(seq: YAMLSeq, value: Json): void {
    seq.items.push(this.doc.createNode(value));
    this.structural = true;
  }

  /** The new text: `source` edited in place, or the document printed again. */
  text(source: string): string {
    if (this.structural) return this.doc.toString();
    let out = source;
    for (const e of [...this.edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
    return out;
  }
}

function addBlanks(into: Record<string, number>, blanks: Record<string, number>): void {
  for (const [list, n] of Object.entries(blanks)) into[list] = (into[list] ?? 0) + n;
}

/** The model text as plain data, with map keys spelled as written (as the model loader reads them). */
export function rawModel(yaml: string): Record<string, unknown> | undefined {
  const doc = parseDocument(yaml, { uniqueKeys: false });
  if (doc.errors.length > 0) return undefined;
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key;
      if (isScalar(key) && typeof key.value !== 'string' && typeof key.source === 'string') key.value = key.source;
    },
  });
  try {
    const js: unknown = doc.toJS({ maxAliasCount: 100 });
    return isRecord(js) ? js : undefined;
  } catch {
    return undefined;
  }
}

export function applyDraftForm(form: DraftForm): Draft {
  const fields = form.fields;
  const changed = (name: string) => {
    const typed = fields[name];
    return typed !== undefined && typed.trim() !== (fields[name.replace(/^(\w+)\./, (_whole, kind: string) => `${kind}0.`)] ?? '').trim() ? typed : undefined;
  };
  const op = parseOp(fields['op']);
  const extraRows: Record<string, number> = {};
  const touched: string[] = [];
  if (op?.kind === 'add') {
    extraRows[op.list] = 1;
    touched.push(op.list);
  }
  const doc = parseDocument(form.yaml);
  // A text that does not parse is returned as is: validation then reports where it breaks.
  if (doc.errors.length > 0) return { yaml: form.yaml, applied: [], extraRows, touched };
  const applied: string[] = [];
  const patcher = new Patcher(doc);
  for (const name of Object.keys(fields)) {
    const [kind, ...rest] = name.split('.');
    const id = rest.join('.');
    const typed = changed(name);
    if (typed === undefined || id === '') continue;
    if (kind === 'weight') {
      const n = numberOf(typed);
      const item = findInList(doc, 'criteria', 'id', id);
      if (n !== undefined && item !== undefined) {
        patcher.set(item, 'weight', n);
        applied.push(`criteria.${id}.weight`);
      }
    } else if (kind === 'tier') {
      const n = numberOf(typed);
      const item = findInList(doc, 'tiers', 'name', id);
      if (n !== undefined && item !== undefined) {
        patcher.set(item, 'min', n);
        applied.push(`tiers.${id}.min`);
      }
    }
  }
  const excludedTier = changed('excludedTier.model');
  if (excludedTier !== undefined && excludedTier.trim() !== '' && isMap(doc.contents)) {
    patcher.set(doc.contents, 'excludedTier', excludedTier.trim());
    applied.push('excludedTier');
  }
  const version = changed('version.model');
  if (version !== undefined && version.trim() !== '') {
    if (isMap(doc.contents)) patcher.set(doc.contents, 'version', version.trim());
    else doc.set('version', version.trim());
    applied.push('version');
  }

  const dropped: Dropped = (list, row) => op?.kind === 'del' && op.list === list && op.row === row;
  const shown = (section: string) => fields[`s0.${section}`];
  if (op?.kind === 'del') touched.push(op.list.split('.').slice(0, op.list.startsWith('c.') ? 2 : 1).join('.'));

  // Criteria: each one's own section, then removal and addition.
  for (const name of Object.keys(fields)) {
    const m = /^s0\.c\.([a-z][a-z0-9_]*)$/.exec(name);
    const id = m?.[1];
    if (id === undefined || !FORM_ID.test(id)) continue;
    const built = criterionFrom(fields, id, dropped);
    addBlanks(extraRows, built.blanks);
    const item = findInList(doc, 'criteria', 'id', id);
    if (item === undefined || digest(built.value) === shown(`c.${id}`)) continue;
    patcher.patch(item, built.value, CRITERION_KEYS);
    applied.push(`criteria.${id}`);
    touched.push(`c.${id}`);
  }
  if (op?.kind === 'delCriterion') {
    const seq = doc.get('criteria', true);
    const item = findInList(doc, 'criteria', 'id', op.id);
    if (isSeq(seq) && item !== undefined) {
      patcher.removeFrom(seq, item);
      applied.push(`criteria.${op.id} removed`);
    }
  }
  const added = newCriterionFrom(fields);
  if (added !== undefined) {
    const seq = doc.get('criteria', true);
    if (isSeq(seq)) patcher.append(seq, added);
    else patcher.top('criteria', [added]);
    applied.push(`criteria.${String(added['id'])} added`);
    touched.push(`c.${String(added['id'])}`);
    if (added['match'] !== null && isRecord(added['match']) && added['match']['kind'] !== 'boolean') extraRows[`c.${String(added['id'])}.m`] = 1;
  }

  if (shown('x') !== undefined) {
    const built = exclusionsFrom(fields, dropped);
    addBlanks(extraRows, built.blanks);
    if (digest(built.value) !== shown('x')) {
      patcher.top('exclusions', built.value.length === 0 ? undefined : built.value);
      applied.push('exclusions');
      touched.push('x');
    }
  }
  if (shown('r') !== undefined) {
    const built = rolesFrom(fields, dropped);
    addBlanks(extraRows, built.blanks);
    if (digest(built.value ?? null) !== shown('r')) {
      patcher.top('roles', built.value, ['ignoreTitles', 'defaultPoints', 'list']);
      applied.push('roles');
      touched.push('r');
    }
  }
  if (shown('pt') !== undefined) {
    const built = priorityTiersFrom(fields, dropped);
    addBlanks(extraRows, built.blanks);
    if (digest(built.value ?? null) !== shown('pt')) {
      patcher.top('priorityTiers', built.value);
      applied.push('priorityTiers');
      touched.push('pt');
    }
  }
  return { yaml: applied.length === 0 ? form.yaml : patcher.text(form.yaml), applied, extraRows, touched };
}
